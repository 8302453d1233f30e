#pragma once
// One image simulated by the event backend (sim/event_backend.hpp), step by
// step: spikes delivered from the queues, graded populations left at rest,
// updated row by row or whole, demand-driven rows, wake-ups. Internal to the
// event backend (sim/event_backend.cpp and lockstep_images.hpp); the methods
// are in event_image_sim.cpp.
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <limits>

#include "neurons/graded_layer.hpp"
#include "sim/afferents.hpp"
#include "sim/event_backend.hpp"
#include "sim/event_queue.hpp"
#include "sim/history.hpp"
#include "sim/rest_state.hpp"

namespace gust {

// Read-only, shared by every image and thread.
struct event_setup {
    const network& net;
    afferent_plan plan;
    rest_state rest;
    std::vector<std::size_t> order;
    // For each population, the (target population, group) its spikes feed.
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> fanout;

    event_setup(const network& n, std::size_t partitions)
        : net(n), plan(n, partitions), rest(rest_values(n, plan)), order(n.evaluation_order()),
          fanout(n.populations.size()) {
        for (std::size_t p = 0; p < n.populations.size(); ++p)
            for (std::size_t g = 0; g < plan.groups[p].size(); ++g)
                if (plan.groups[p][g].spiking_source) fanout[plan.groups[p][g].source].push_back({p, g});
    }
};

namespace event_detail {

// What one partition of the spiking population owns: its neurons that can
// fire, its wake-up queue and the queues of the spikes it emits.
struct spiking_partition {
    std::vector<std::uint32_t> candidates, woken, merged, fired;
    std::vector<float> context;  // this step's context value of each candidate
    // Rows of demand-driven populations computed this step, per population
    // (a partition keeps its own so that partitions never share a write).
    struct row_cache {
        std::vector<float> value;
        std::vector<std::int64_t> step;
    };
    std::vector<row_cache> rows;
    event_queue wake;
    std::vector<event_queue> outgoing;  // one per fan-out group of the population
    event_stats stats;
};

class event_image_sim {
public:
    event_image_sim(const event_setup& s, const draw_source& draws, const sim_options& opt);

    void run(const float* x, std::size_t batch_pos, std::size_t image_id, image_record& rec,
             const step_observer& observe, event_stats& st);

    std::int64_t steps() const { return static_cast<std::int64_t>(opt_.cycles) * net_.cycle; }

    // Resets the state for a new image.
    void begin(const float* x, std::size_t image_id, image_record& rec);

    // Updates population p at step k. A graded population that needs its
    // whole layer computed returns true and, when `defer` is set, leaves that
    // to the caller (whole_layer() or a batch over several images).
    bool step_population(std::size_t p, std::int64_t k, event_stats& st, bool defer);

    // Records step k once every population is updated.
    void end_step(std::int64_t k, std::size_t batch_pos, image_record& rec, const step_observer& observe,
                  event_stats& st);

    void end(event_stats& st);

private:
    struct group_state {
        std::vector<column_input> columns;  // this step's non-zero inputs, ascending
        const float* dense_input = nullptr; // the same as a vector (sparse rows read it)
        std::vector<float> scratch;         // summed graded inputs / scattered spikes
        std::vector<std::uint32_t> scattered;  // spiking sources: entries of scratch set this step
        bool at_rest = true;
        bool columns_ready = true;           // graded sources: `columns` lists dense_input's non-zeros
    };

    // Rows of a population recomputed at one step (the others held their
    // rest value), or all of them. Listed per partition (each list ascending
    // and inside its partition's range) so that partitions find and compute
    // their rows in parallel.
    struct changed_rows {
        bool all = false;
        std::vector<std::vector<std::uint32_t>> rows;  // [partition]
    };

    // Populations evaluated row by row on demand rather than whole: the
    // spiking population's context, and (the chain behind it) any graded
    // population read only at delay 0 through sparse weights by demand-driven
    // ones. In a sparse network with local connectivity the rows the
    // candidates need are a small part of each layer. Recorded populations
    // are always computed whole.
    std::vector<bool> demand_driven(const sim_options& opt) const;

    // Runs f(q) for every partition: in parallel when there are several.
    template <class F>
    void for_partitions(F&& f) {
        if (parts_ == 1) {
            f(std::size_t{0});
            return;
        }
        tbb::parallel_for(std::size_t{0}, parts_, [&](std::size_t q) { f(q); }, tbb::static_partitioner());
    }

    std::size_t slot(std::size_t p, std::int64_t k) const {
        const std::int64_t d = static_cast<std::int64_t>(rest_flag_[p].size());
        return static_cast<std::size_t>(((k % d) + d) % d);
    }
    bool at_rest(std::size_t p, std::int64_t k) const { return rest_flag_[p][slot(p, k)] != 0; }
    const float* output(std::size_t p, std::int64_t k) {
        return at_rest(p, k) ? s_.rest.value[p].data() : hist_.at(p, k);
    }

    // Collects this step's input of every afferent group of p; true if all rest.
    bool gather(std::size_t p, std::int64_t k, event_stats& st);

    // Pops the spikes due now from every source partition (ascending ranges,
    // so the list comes out ascending per projection), applies release, and
    // merges projections of the group into one ascending input list.
    void deliver_spikes(std::size_t p, std::size_t gi, std::int64_t k, event_stats& st);

    // The summed input of a graded-source group, as the dense backend forms it.
    const float* graded_input(const afferent_group& g, group_state& gs, std::int64_t k);

    bool update_graded(std::size_t p, std::int64_t k, event_stats& st, bool defer);

public:
    // The whole layer p at step k from this step's input lists.
    void whole_layer(std::size_t p, std::int64_t k);

    float* layer_output(std::size_t p, std::int64_t k) { return hist_.at(p, k); }
    const std::vector<column_input>& inputs(std::size_t p, std::size_t group) const {
        return group_state_[p][group].columns;
    }
    // This step's input of a group as a vector, if the image formed one.
    const float* input_vector(std::size_t p, std::size_t group) const { return group_state_[p][group].dense_input; }

private:
    // Silence at row granularity: a row whose inputs all hold their rest
    // values and that no spike reached computes exactly its rest value (same
    // inputs, same order). Lists into `rows` the rows that can differ: the
    // targets of this step's spikes and of the source rows that changed at
    // the delivered step, each partition its own through its slice of the
    // fan-out. False if too many do in some partition (then the whole layer
    // is cheaper) or if a source changed whole.
    bool dirty_rows(std::size_t p, std::int64_t k, changed_rows& changed);

    // The layer at rest except `rows`, each computed in the kernels' order.
    void update_rows(std::size_t p, std::int64_t k, const changed_rows& changed);

    // One row of a demand-driven population, in the kernels' order; rows of
    // a demand-driven source are pulled (and kept for this step) as needed.
    float row(std::size_t p, std::int64_t k, std::size_t i, std::size_t q);

    // The context rows of the candidates: dense-weight rows eight at a time,
    // others one by one (row()); the same bits either way.
    void context_rows(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids, std::vector<float>& out,
                      std::size_t q);

    void update_spiking(std::int64_t k);

    void notify(const step_observer& observe, std::size_t batch_pos, std::int64_t k);

    const event_setup& s_;
    const network& net_;
    const draw_source& draws_;
    population_history hist_;
    const sim_options& opt_;
    const std::size_t parts_;
    std::vector<std::vector<char>> rest_flag_;
    std::vector<std::vector<group_state>> group_state_;
    std::vector<bool> lazy_;
    std::vector<bool> row_level_;                       // sparse layers updated row by row when few change
    std::vector<std::vector<changed_rows>> changed_;    // per population and history slot
    std::vector<std::vector<std::int64_t>> row_mark_;   // the step a row was last listed as dirty
    std::vector<spiking_partition> partition_;
    std::vector<char> partition_ok_;                    // dirty_rows(): each partition's verdict
    std::size_t image_ = 0;
    const float* x_ = nullptr;
    std::vector<std::int64_t> last_fire_;
    std::vector<refractory_t> refractory_;
    std::vector<std::vector<float>> observed_;
};

}  // namespace event_detail
}  // namespace gust
