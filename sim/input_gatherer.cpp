#include "sim/input_gatherer.hpp"

namespace gust::event_detail {

bool input_gatherer::gather(std::size_t p, std::int64_t k, event_image_state& state, spike_router& router,
                            event_stats& st) const {
    bool rest = true;
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& g = groups[gi];
        auto& in = state.input(p, gi);
        if (g.spiking_source) {
            router.deliver(p, gi, k, state.image(), in.columns, st);
            for (const auto& c : in.columns) st.synaptic_events += g.out_degree(c.source);
            in.at_rest = in.columns.empty();
            in.dense_input = nullptr;
            if (g.weights->sparse()) {  // sparse rows look inputs up by source
                // Kept zero between steps: clear last step's entries only.
                if (in.scratch.size() != g.weights->cols) in.scratch.assign(g.weights->cols, 0.0f);
                for (std::uint32_t u : in.scattered) in.scratch[u] = 0.0f;
                in.scattered.clear();
                for (const auto& c : in.columns) {
                    in.scratch[c.source] = c.value;
                    in.scattered.push_back(c.source);
                }
                in.dense_input = in.scratch.data();
            }
        } else {
            in.at_rest = true;
            for (std::size_t j : g.projections)
                in.at_rest &= state.at_rest(g.source, k - net_.projections[j].delay) && net_.projections[j].release_p >= 1.0f;
            if (schedule_.demand_driven(g.source)) {  // its rows are pulled one by one (sim/demand_rows.hpp)
                in.dense_input = nullptr;
                in.columns.clear();
            } else {
                in.dense_input = graded_input(g, in, k, state);
                // Rows of a demand-driven population walk the list (dense
                // weights); otherwise it is built only if the whole layer
                // is computed from it (sim/whole_layer_update.hpp).
                in.columns_ready = schedule_.demand_driven(p) && !g.weights->sparse();
                if (in.columns_ready) nonzero_inputs(in.dense_input, g.weights->cols, in.columns);
            }
        }
        rest &= in.at_rest;
    }
    return rest;
}

const float* input_gatherer::graded_input(const afferent_group& g, group_input& in, std::int64_t k,
                                          event_image_state& state) const {
    if (g.projections.size() == 1 && net_.projections[g.projections[0]].release_p >= 1.0f)
        return state.output(g.source, k - net_.projections[g.projections[0]].delay);
    const std::size_t n = g.weights->cols;
    in.scratch.assign(n, 0.0f);
    for (std::size_t j : g.projections) {
        const auto& pr = net_.projections[j];
        const float* src = state.output(pr.source, k - pr.delay);
        for (std::size_t i = 0; i < n; ++i)
            if (pr.release_p >= 1.0f || draws_.release_at(state.image(), j, k, i) < pr.release_p) in.scratch[i] += src[i];
    }
    return in.scratch.data();
}

}  // namespace gust::event_detail
