#pragma once
// One graded population at one step, the way every user computes it: the
// dense backend, and training when it recomputes a layer from its recorded
// inputs. Each afferent group's input is gathered (each projection's source
// output `delay` steps ago, masked by its release draws, summed in
// projection order), then out = act(bias + sum over groups of W * input) in
// the canonical order of neurons/graded_layer.hpp. Written once, so the two
// cannot drift apart by a rounding.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "neurons/graded_layer.hpp"
#include "sim/afferents.hpp"
#include "sim/draw_source.hpp"

namespace gust {

struct graded_scratch {
    std::vector<float> input, uniform;
    std::vector<column_input> columns;
    explicit graded_scratch(std::size_t widest = 0) : input(widest), uniform(widest) { columns.reserve(widest); }
};

// The summed input of group g at step k; source(p, step) returns population
// p's output at that step (step may be negative: the initial history).
template <class Source>
const float* gather_group_input(const network& net, const afferent_group& g, std::int64_t k, std::size_t image,
                                const draw_source& draws, Source&& source, graded_scratch& s) {
    const std::size_t n = g.weights->cols;
    if (g.projections.size() == 1) {
        const auto& pr = net.projections[g.projections[0]];
        if (pr.release_p >= 1.0f) return source(pr.source, k - pr.delay);
    }
    std::fill(s.input.begin(), s.input.begin() + static_cast<std::ptrdiff_t>(n), 0.0f);
    for (std::size_t j : g.projections) {
        const auto& pr = net.projections[j];
        const float* src = source(pr.source, k - pr.delay);
        if (pr.release_p >= 1.0f) {
            for (std::size_t i = 0; i < n; ++i) s.input[i] += src[i];
        } else {
            draws.release(image, j, k, s.uniform.data(), n);
            for (std::size_t i = 0; i < n; ++i)
                if (s.uniform[i] < pr.release_p) s.input[i] += src[i];
        }
    }
    return s.input.data();
}

// Population p's output at step k into out (p graded).
template <class Source>
void graded_update(const network& net, const afferent_plan& plan, std::size_t p, std::int64_t k, std::size_t image,
                   const draw_source& draws, Source&& source, float* out, graded_scratch& s) {
    const auto& pop = net.populations[p];
    if (pop.bias.empty()) std::fill(out, out + pop.size, 0.0f);
    else std::copy(pop.bias.begin(), pop.bias.end(), out);
    for (const auto& g : plan.groups[p]) {
        g.accumulate_vector(gather_group_input(net, g, k, image, draws, source, s), s.columns, out);
    }
    apply_activation(pop.act, out, pop.size);
}

}  // namespace gust
