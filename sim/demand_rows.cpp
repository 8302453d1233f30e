#include "sim/demand_rows.hpp"

#include <algorithm>

#include "core/procedural_synapses.hpp"
#include "neurons/graded_layer.hpp"

namespace gust::event_detail {

demand_rows::demand_rows(const event_setup& s, const population_schedule& schedule)
    : s_(s), net_(s.net), schedule_(schedule), kept_(s.plan.partitions) {
    const std::size_t n = net_.populations.size();
    for (auto& part : kept_) {
        part.resize(n);
        for (std::size_t p = 0; p < n; ++p)
            if (schedule.demand_driven(p) && !s.plan.context_only[p]) {  // read by other demand-driven populations
                part[p].value.resize(net_.populations[p].size);
                part[p].step.assign(net_.populations[p].size, -1);
            }
    }
}

void demand_rows::reset() {
    for (auto& part : kept_)
        for (auto& cache : part) std::fill(cache.step.begin(), cache.step.end(), -1);
}

float demand_rows::row(std::size_t p, std::int64_t k, std::size_t i, std::size_t q, event_image_state& state) {
    if (!schedule_.demand_driven(p) || state.at_rest(p, k)) return state.output(p, k)[i];
    auto& cache = kept_[q][p];
    if (!cache.step.empty() && cache.step[i] == k) return cache.value[i];
    const auto& pop = net_.populations[p];
    float acc = pop.bias.empty() ? 0.0f : pop.bias[i];
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& in = state.input(p, gi);
        const weight_matrix& W = *groups[gi].weights;
        if (!groups[gi].spiking_source && schedule_.demand_driven(groups[gi].source)) {
            if (W.procedural()) {  // the same walk over the regenerated row (its own lists: row() recurses)
                std::vector<std::uint32_t> sources;
                std::vector<float> weights;
                W.rule->row_synapses(i, sources, weights);
                for (std::size_t e = 0; e < sources.size(); ++e) {
                    const float v = row(groups[gi].source, k, sources[e], q, state);
                    if (v != 0.0f) acc += v * weights[e];
                }
                continue;
            }
            for (std::uint32_t s = W.indptr[i]; s < W.indptr[i + 1]; ++s) {
                const float v = row(groups[gi].source, k, W.indices[s], q, state);
                if (v != 0.0f) acc += v * W.w[s];
            }
            continue;
        }
        acc = accumulate_row(W, i, in.columns.data(), in.columns.size(), in.dense_input, acc);
    }
    const float out = apply_activation(pop.act, acc);
    if (!cache.step.empty()) {
        cache.step[i] = k;
        cache.value[i] = out;
    }
    return out;
}

void demand_rows::rows(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids, std::vector<float>& out,
                       std::size_t q, event_image_state& state) {
    out.resize(ids.size());
    const auto& groups = s_.plan.groups[p];
    bool batched = schedule_.demand_driven(p) && !state.at_rest(p, k);
    for (const auto& g : groups) batched &= !g.weights->sparse() && (g.spiking_source || !schedule_.demand_driven(g.source));
    if (!batched) {
        for (std::size_t j = 0; j < ids.size(); ++j) out[j] = row(p, k, ids[j], q, state);
        return;
    }
    const auto& pop = net_.populations[p];
    for (std::size_t j = 0; j < ids.size(); ++j) out[j] = pop.bias.empty() ? 0.0f : pop.bias[ids[j]];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& in = state.input(p, gi);
        accumulate_dense_rows(*groups[gi].weights, ids.data(), ids.size(), in.columns.data(), in.columns.size(),
                              out.data());
    }
    apply_activation(pop.act, out.data(), out.size());
}

void demand_rows::kept_rows(std::size_t p, std::int64_t k, float* out) const {
    for (const auto& part : kept_) {
        const auto& cache = part[p];
        for (std::size_t i = 0; i < cache.step.size(); ++i)
            if (cache.step[i] == k) out[i] = cache.value[i];
    }
}

}  // namespace gust::event_detail
