#pragma once
// Several images of the event backend advanced together (internal to
// sim/event_backend.cpp).
#include <algorithm>
#include <vector>

#include "sim/event_image_sim.hpp"

namespace gust::event_detail {

// Several images advanced in lockstep, step by step and population by
// population, so that a layer every image must compute whole is computed for
// all of them in one pass over its weights (accumulate_columns_batch): the
// weights, not the arithmetic, bound a single image's step. Each image keeps
// its own state and gets exactly the bits it would get alone.
class lockstep_images {
public:
    static constexpr std::size_t width = 4;

    lockstep_images(const event_setup& s, const draw_source& draws, const sim_options& opt) : s_(s) {
        for (std::size_t j = 0; j < width; ++j) sims_.emplace_back(s, draws, opt);
        batchable_.resize(s.net.populations.size());
        for (std::size_t p = 0; p < batchable_.size(); ++p) {
            bool dense = !s.plan.groups[p].empty();
            for (const auto& g : s.plan.groups[p]) dense &= g.fanout.dense;
            batchable_[p] = dense;
        }
    }

    // Images [b, b + count) of the batch, count <= width.
    void run(const image_batch& images, std::size_t b, std::size_t count, std::vector<image_record>& out,
             event_stats& st) {
        for (std::size_t j = 0; j < count; ++j)
            sims_[j].begin(images.pixels + (b + j) * images.size, images.ids.empty() ? b + j : images.ids[b + j],
                           out[b + j]);
        const std::int64_t steps = sims_[0].steps();
        for (std::int64_t k = 0; k < steps; ++k) {
            for (std::size_t p : s_.order) {
                need_.clear();
                for (std::size_t j = 0; j < count; ++j)
                    if (sims_[j].step_population(p, k, st, true)) need_.push_back(j);
                if (need_.size() > 1 && batchable_[p]) {
                    whole_layer_batch(p, k);
                } else {
                    for (std::size_t j : need_) sims_[j].whole_layer(p, k);
                }
            }
            for (std::size_t j = 0; j < count; ++j) sims_[j].end_step(k, b + j, out[b + j], {}, st);
        }
        for (std::size_t j = 0; j < count; ++j) sims_[j].end(st);
    }

private:
    void whole_layer_batch(std::size_t p, std::int64_t k) {
        const auto& pop = s_.net.populations[p];
        outs_.clear();
        for (std::size_t j : need_) {
            float* o = sims_[j].layer_output(p, k);
            if (pop.bias.empty()) std::fill(o, o + pop.size, 0.0f);
            else std::copy(pop.bias.begin(), pop.bias.end(), o);
            outs_.push_back(o);
        }
        const auto& groups = s_.plan.groups[p];
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            // Each image's input as a vector (spikes are scattered into one),
            // and the columns where any of them is non-zero.
            const std::size_t n = groups[gi].weights->cols;
            value_ptrs_.clear();
            scatter_.resize(need_.size());
            for (std::size_t j = 0; j < need_.size(); ++j) {
                const float* dense = sims_[need_[j]].input_vector(p, gi);
                if (!dense) {
                    scatter_[j].assign(n, 0.0f);
                    for (const auto& c : sims_[need_[j]].inputs(p, gi)) scatter_[j][c.source] = c.value;
                    dense = scatter_[j].data();
                }
                value_ptrs_.push_back(dense);
            }
            cols_.clear();
            for (std::size_t c = 0; c < n; ++c) {
                bool any = false;
                for (const float* v : value_ptrs_) any |= v[c] != 0.0f;
                if (any) cols_.push_back(static_cast<std::uint32_t>(c));
            }
            const auto& f = groups[gi].fanout;
            accumulate_columns_batch(f.wt.data(), f.rows, cols_.data(), cols_.size(), value_ptrs_.data(), outs_.data(),
                                     need_.size(), 0, pop.size);
        }
        for (float* o : outs_) apply_activation(pop.act, o, pop.size);
    }

    const event_setup& s_;
    std::vector<event_image_sim> sims_;
    std::vector<bool> batchable_;
    std::vector<std::size_t> need_;
    std::vector<float*> outs_;
    std::vector<std::uint32_t> cols_;
    std::vector<std::vector<float>> scatter_;
    std::vector<const float*> value_ptrs_;
};

}  // namespace gust::event_detail
