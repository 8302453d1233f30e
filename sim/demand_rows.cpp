#include "sim/demand_rows.hpp"

#include <algorithm>

#include "core/procedural_synapses.hpp"
#include "neurons/graded_layer.hpp"
#include "sim/shared_row_sums.hpp"

namespace gust::event_detail {

demand_rows::demand_rows(const event_setup& s)
    : s_(s), net_(s.net), schedule_(s.schedule), kept_(s.plan.partitions), pulled_(s.plan.partitions, 0),
      listed_(s.plan.partitions) {
    const std::size_t n = net_.populations.size();
    for (auto& part : kept_) {
        part.resize(n);
        for (std::size_t p = 0; p < n; ++p)
            if (schedule_.demand_driven(p) && !s.plan.context_only[p]) {  // read by other demand-driven populations
                part[p].kept = true;
                part[p].value.resize(net_.populations[p].size);
                part[p].done = row_set(0, net_.populations[p].size);
                part[p].listing = row_set(0, net_.populations[p].size);
            }
    }
    // A demand-driven source is summed through its kept rows, which must
    // first be found from the weights' rows: sparse ones only.
    batched_.assign(n, 1);
    for (std::size_t p = 0; p < n; ++p)
        for (const auto& g : s.plan.groups[p])
            if (!g.spiking_source && schedule_.demand_driven(g.source) &&
                (!g.weights->sparse() || !kept_.front()[g.source].kept))
                batched_[p] = 0;
}

void demand_rows::reset() {
    for (auto& part : kept_)
        for (auto& cache : part) {
            cache.done.clear();
            cache.step = -1;
        }
    std::fill(pulled_.begin(), pulled_.end(), 0);
    std::fill(listed_.begin(), listed_.end(), listed_counts{});
}

void demand_rows::add_counts(event_stats& st) const {
    for (std::uint64_t n : pulled_) st.pulled_rows += n;
    for (const listed_counts& c : listed_) st.listed_rows += c.rows, st.listed_runs += c.runs;
}

float demand_rows::row(std::size_t p, std::int64_t k, std::size_t i, std::size_t q, event_image_state& state) {
    if (!schedule_.demand_driven(p) || state.at_rest(p, k)) return state.output(p, k)[i];
    auto& cache = kept_[q][p];
    if (cache.kept && cache.at(k).contains(i)) return cache.value[i];
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
            W.indices.for_each_in_row(i, W.indptr[i], W.indptr[i + 1], [&](std::uint32_t s, std::uint32_t source) {
                const float v = row(groups[gi].source, k, source, q, state);
                if (v != 0.0f) acc += v * W.w[s];
            });
            continue;
        }
        acc = accumulate_row(W, i, in.columns.data(), in.columns.size(), in.dense_input, acc);
    }
    const float out = apply_activation(pop.act, acc);
    if (cache.kept) {
        cache.at(k).insert(i);
        cache.value[i] = out;
        ++pulled_[q];
    }
    return out;
}

void demand_rows::rows(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids, std::vector<float>& out,
                       std::size_t q, event_image_state& state) {
    out.resize(ids.size());
    if (!schedule_.demand_driven(p) || state.at_rest(p, k)) {
        const float* o = state.output(p, k);
        for (std::size_t j = 0; j < ids.size(); ++j) out[j] = o[ids[j]];
        return;
    }
    compute(p, k, ids, out, q, state);
    auto& cache = kept_[q][p];
    if (!cache.kept) return;
    pulled_[q] += ids.size();
    auto& done = cache.at(k);
    for (std::size_t j = 0; j < ids.size(); ++j) {
        done.insert(ids[j]);
        cache.value[ids[j]] = out[j];
    }
}

void demand_rows::compute(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids, std::vector<float>& out,
                          std::size_t q, event_image_state& state) {
    out.resize(ids.size());
    if (!batched_[p]) {
        for (std::size_t j = 0; j < ids.size(); ++j) out[j] = row(p, k, ids[j], q, state);
        return;
    }
    // Every row's sum as row() forms it: the bias, then each group's terms
    // in the weights' order, zero inputs skipped; only eight rows advance
    // together, and the rows a demand-driven source gives are computed
    // first, batched in turn, into its kept rows.
    const auto& pop = net_.populations[p];
    listed_[q].count(ids);
    for (std::size_t j = 0; j < ids.size(); ++j) out[j] = pop.bias.empty() ? 0.0f : pop.bias[ids[j]];
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& in = state.input(p, gi);
        const weight_matrix& W = *groups[gi].weights;
        const std::size_t src = groups[gi].source;
        if (!W.sparse()) {
            accumulate_dense_rows(W, ids.data(), ids.size(), in.columns.data(), in.columns.size(), out.data());
            continue;
        }
        const float* dense_in = in.dense_input;
        if (!groups[gi].spiking_source && schedule_.demand_driven(src)) {
            if (state.at_rest(src, k)) {
                dense_in = state.output(src, k);
            } else {
                fill(src, k, W, ids, q, state);
                dense_in = kept_[q][src].value.data();
            }
        }
        sum_rows_shared(W, ids.data(), ids.size(), dense_in, out.data());
    }
    apply_activation(pop.act, out.data(), out.size());
}

void demand_rows::fill(std::size_t p, std::int64_t k, const weight_matrix& W, const std::vector<std::uint32_t>& readers,
                       std::size_t q, event_image_state& state) {
    // The rows of p that the readers' rows of W reach and this step has not
    // computed yet, each once, ascending (their weights are read in order).
    auto& cache = kept_[q][p];
    auto& listing = cache.listing;
    const auto& done = cache.at(k);
    auto want = [&](std::uint32_t s) {
        if (!done.contains(s)) listing.insert(s);
    };
    if (W.procedural()) {
        std::vector<std::uint32_t> sources;
        for (std::uint32_t r : readers) {
            W.rule->row_sources(r, sources);
            for (std::uint32_t s : sources) want(s);
        }
    } else {
        for (std::uint32_t r : readers)
            W.indices.for_each_in_row(r, W.indptr[r], W.indptr[r + 1], [&](std::uint32_t, std::uint32_t s) { want(s); });
    }
    if (listing.size() == 0) return;
    auto& need = cache.need;
    need.clear();
    listing.take(need);
    compute(p, k, need, cache.sums, q, state);
    pulled_[q] += need.size();
    auto& now_done = cache.at(k);  // compute() may have pulled rows of its own sources, not of p
    for (std::size_t j = 0; j < need.size(); ++j) {
        now_done.insert(need[j]);
        cache.value[need[j]] = cache.sums[j];
    }
}

void demand_rows::kept_rows(std::size_t p, std::int64_t k, float* out) const {
    for (const auto& part : kept_) {
        const auto& cache = part[p];
        if (cache.kept && cache.step == k) cache.done.for_each([&](std::size_t i) { out[i] = cache.value[i]; });
    }
}

}  // namespace gust::event_detail
