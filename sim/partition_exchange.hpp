#pragma once
// The per-step exchange of the processes that simulate one image together
// (sim_options::ranks). Each owns a contiguous run of the event backend's
// partitions, the same number each, so process r owns partitions
// [r L, (r + 1) L): it computes only its rows of every population, and after
// each population's update receives from the others what it reads of theirs
// (sim/exchange_plan.hpp): the neurons their partitions fired that reach its
// rows, and of a graded population the rows it reads: their values when the
// layer was computed whole, else only those that changed, with their ids.
// Messages go only between neighbours, the pairs of processes where one
// reads something of the other's (a band of a local network has two); the
// verdicts all processes share are reductions. A demand-driven population
// is never exchanged: each process computes the rows it reads. Each records
// its own rows (the read-out's spikes, the probes' units), and the first one
// gathers the others' records after the images (sim/record_gather.hpp).
//
// Every process makes the same exchanges in the same order (the evaluation
// order, step after step), so messages match without tags, and each brings
// the partitions in ascending order: after it a process holds what one
// process simulating every partition would hold, bit for bit.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/communicator.hpp"
#include "sim/event_image_state.hpp"
#include "sim/event_setup.hpp"
#include "sim/exchange_plan.hpp"
#include "sim/spike_router.hpp"

namespace gust::event_detail {

class spiking_update;

class partition_exchange {
public:
    partition_exchange(const event_setup& s, const communicator& ranks);

    // After the update of u's population at step k: the neurons the other
    // processes' partitions fired that this one reads, handed to u and sent
    // through `router`. True when no neuron fired here and none arrived: all
    // this process's work depends on (whether a layer fed by the population
    // is at rest is agreed on with all()).
    bool spikes(std::int64_t k, spiking_update& u, spike_router& router);

    // True on every process when `ok` on every process (a reduction).
    bool all(bool ok);

    // After graded population p was computed at step k, whole
    // (state.changed(p, k).all) or row by row: the other processes' rows
    // into state's layer, and their changed rows into state.changed(p, k).
    void rows(std::size_t p, std::int64_t k, event_image_state& state);

    // What this process sent, for benchmarks: exchanges, and the bytes that
    // left it (a part sent to every other process counts once for each).
    std::uint64_t exchanges() const { return exchanges_; }
    std::uint64_t bytes_sent() const { return bytes_sent_; }
    std::uint64_t spikes_sent() const { return spikes_sent_; }

private:
    // Process r's partitions.
    std::size_t first_of(std::size_t r) const { return r * per_rank_; }

    // A changed row as it travels.
    struct row_value {
        std::uint32_t row;
        float value;
    };

    const event_setup& s_;
    const communicator& ranks_;
    const exchange_plan& plan_;
    std::size_t per_rank_;
    std::vector<char> mine_, all_;
    std::vector<std::size_t> at_, mine_at_;
    std::vector<std::uint32_t> received_;     // one partition's fired neurons
    std::vector<std::vector<row_value>> to_;  // [process]: this step's changed rows it reads
    std::vector<std::vector<std::uint32_t>> spikes_to_;  // [process]: this step's message of spikes it reads
    std::vector<std::size_t> count_at_;                  // [process]: where a partition's count sits in it
    std::uint64_t exchanges_ = 0, bytes_sent_ = 0, spikes_sent_ = 0;
};

}  // namespace gust::event_detail
