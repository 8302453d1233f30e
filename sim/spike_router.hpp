#pragma once
// Where spikes of the event backend wait until they are due: per partition
// of the spiking populations (all of one size, so partitioned alike), one
// queue per outgoing afferent group of each (a spike is pushed once per
// projection, never once per synapse) and one queue of wake-ups of each
// population's refractory neurons. Delivery turns the spikes due at a
// step into a group's input list: released copies only, ascending.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "neurons/graded_layer.hpp"
#include "sim/draw_source.hpp"
#include "sim/event_backend.hpp"
#include "sim/event_queue.hpp"
#include "sim/event_setup.hpp"

namespace gust::event_detail {

class spike_router {
public:
    spike_router(const event_setup& s, const draw_source& draws);

    // Empties every queue, for a new image.
    void clear();

    // Queues the wake-up of neuron i of spiking population p, partition q, at `step`.
    void wake_at(std::size_t p, std::size_t q, std::int64_t step, std::uint32_t i) {
        queues_[q].wake[spiking_index_[p]].push({step, spike_event::wake_channel, i});
    }
    // Appends the neurons of population p's partition q whose wake-up is due
    // at step k, ascending.
    void pop_woken(std::size_t p, std::size_t q, std::int64_t k, std::vector<std::uint32_t>& woken) {
        queues_[q].wake[spiking_index_[p]].pop_due(k, [&](const spike_event& e) { woken.push_back(e.unit); });
    }

    // Sends the neurons population p's partition q fired at step k
    // (ascending) along every outgoing projection, each due after the
    // projection's delay.
    void send(std::size_t p, std::size_t q, std::int64_t k, const std::vector<std::uint32_t>& fired);

    // The input of group `group` of population p at step k: the spikes due
    // now from every source partition (ascending ranges, so each projection's
    // come out ascending), the ones whose release draw fails dropped, the
    // group's projections merged into one ascending list (a neuron reached by
    // two of them has value 2).
    void deliver(std::size_t p, std::size_t group, std::int64_t k, std::size_t image,
                 std::vector<column_input>& columns, event_stats& st);

private:
    struct partition_queues {
        std::vector<event_queue> wake;      // one per spiking population
        std::vector<event_queue> outgoing;  // one per fan-out group of each spiking population
    };

    const event_setup& s_;
    const network& net_;
    const draw_source& draws_;
    std::vector<std::size_t> spiking_index_;                // [population]: its place in net.spiking
    std::vector<std::size_t> first_outgoing_;               // [population]: its first fan-out group's queue
    std::vector<std::vector<std::size_t>> outgoing_index_;  // [population][group]: its queue
    std::vector<partition_queues> queues_;                  // [partition]
};

}  // namespace gust::event_detail
