#pragma once
// The event-driven backend. Spikes travel as events through Boost.Heap
// queues; a graded population is recomputed only when something reached it,
// otherwise it holds its precomputed rest value (so a silent step costs
// almost nothing, and a delay-line slot holding the rest value decodes to a
// constant computed once); a population read only as context is evaluated
// just for the neurons that can fire; a refractory neuron sleeps until a
// wake-up event. It shares every kernel with the dense backend, so its spikes
// are identical to the dense backend's, bit for bit.
#include <memory>

#include "sim/communicator.hpp"
#include "sim/draw_source.hpp"
#include "sim/engine.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace gust {

// Work counters, for benchmarks: what the event backend actually did.
struct event_stats {
    std::uint64_t steps = 0, spikes = 0, events = 0;
    std::uint64_t dense_layer_updates = 0, rest_layer_steps = 0;
    std::uint64_t context_rows = 0;  // rows of context-only populations evaluated
    std::uint64_t synaptic_events = 0;  // synapses reached by delivered (released) spikes
    std::uint64_t row_updates = 0;      // rows of sparse layers recomputed one by one
    std::uint64_t pulled_rows = 0;      // rows of demand-driven layers computed for the rows reading them
    // Rows the sparse row kernel summed from lists (recomputed and pulled
    // rows), and the runs of consecutive rows those lists make: where a
    // step's rows lie decides what they cost (docs/benchmarks.md).
    std::uint64_t listed_rows = 0, listed_runs = 0;
    // With several processes per image: the exchanges this one made, the
    // bytes it sent in them, and the copies of its spikes among them (one per
    // process that reads the neuron; sim/partition_exchange.hpp).
    std::uint64_t exchanges = 0, exchanged_bytes = 0, exchanged_spikes = 0;

    // Counts of several workers or runs added up, or one run's taken away.
    event_stats& combine(const event_stats& o, int sign) {
        auto f = [sign](std::uint64_t& a, std::uint64_t b) { a = sign > 0 ? a + b : a - b; };
        f(steps, o.steps), f(spikes, o.spikes), f(events, o.events), f(dense_layer_updates, o.dense_layer_updates);
        f(rest_layer_steps, o.rest_layer_steps), f(context_rows, o.context_rows);
        f(synaptic_events, o.synaptic_events), f(row_updates, o.row_updates), f(pulled_rows, o.pulled_rows);
        f(listed_rows, o.listed_rows), f(listed_runs, o.listed_runs);
        f(exchanges, o.exchanges), f(exchanged_bytes, o.exchanged_bytes), f(exchanged_spikes, o.exchanged_spikes);
        return *this;
    }
    event_stats& operator+=(const event_stats& o) { return combine(o, +1); }
    event_stats& operator-=(const event_stats& o) { return combine(o, -1); }
};

struct event_setup;
struct memory_account;

// A network prepared once for the event backend (validated; fan-out tables,
// rest values and partitions built) and run on any number of batches, so a
// caller pays the set-up once. It runs with the partition count it was built
// for, whatever opt.partitions says. The network must outlive the engine.
class event_engine final : public engine {
public:
    // With `ranks` (several processes, each constructing its engine with the
    // same arguments) every image is simulated by all of them together, each
    // owning `partitions` of the ranks.size() x partitions partitions; the
    // first process gets the records (the others, of the read-out's spikes
    // and recorded states, those of their own rows). Runs that record states
    // need an engine built with `records_states` (sim/rank_share.hpp).
    // `split` places the processes' parts (rank_share::split; empty: equal).
    event_engine(const network& net, std::size_t partitions = 1, const communicator* ranks = nullptr,
                 bool records_states = false, const std::vector<double>& split = {});
    ~event_engine() override;
    std::vector<image_record> run(const image_batch& images, const draw_source& draws, const sim_options& opt,
                                  const step_observer& observe = {}) const override {
        return run(images, draws, opt, observe, nullptr);
    }
    // The same, adding what the backend did to *stats.
    std::vector<image_record> run(const image_batch& images, const draw_source& draws, const sim_options& opt,
                                  const step_observer& observe, event_stats* stats) const;
    backend_kind kind() const override { return backend_kind::event; }
    // With `ranks`: how many of the others this process exchanges with each
    // step (sends to or receives from); 0 alone.
    std::size_t neighbours() const;
    // The weight sets and the fan-out tables this engine holds.
    memory_account memory() const;

private:
    const network& net_;
    std::unique_ptr<const event_setup> setup_;
};

// One-shot: prepares the network with opt.partitions and runs it.
std::vector<image_record> simulate_event(const network& net, const image_batch& images,
                                         const draw_source& draws, const sim_options& opt,
                                         const step_observer& observe = {}, event_stats* stats = nullptr);

}  // namespace gust
