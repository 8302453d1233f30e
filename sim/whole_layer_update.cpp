#include "sim/whole_layer_update.hpp"

#include <algorithm>

#include "neurons/graded_layer.hpp"
#include "neurons/panel_layer.hpp"
#include "sim/for_partitions.hpp"

namespace gust::event_detail {

whole_layer_update::whole_layer_update(const event_setup& s) : s_(s), batchable_(s.net.populations.size()) {
    for (std::size_t p = 0; p < batchable_.size(); ++p) {
        bool dense = !s.plan.groups[p].empty();
        for (const auto& g : s.plan.groups[p]) dense &= g.fanout.dense;
        batchable_[p] = dense;
    }
}

void whole_layer_update::compute(std::size_t p, std::int64_t k, event_image_state& state) {
    const auto& pop = s_.net.populations[p];
    float* out = state.layer(p, k);
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        auto& in = state.input(p, gi);
        if (!groups[gi].spiking_source && !groups[gi].by_rows && !in.columns_ready) {
            nonzero_inputs(in.dense_input, groups[gi].weights->cols, in.columns);
            in.columns_ready = true;
        }
    }
    for_partitions(s_.plan.first_owned, s_.plan.end_owned, [&](std::size_t q) {
        const std::size_t rb = s_.plan.bounds[p][q], re = s_.plan.bounds[p][q + 1];
        if (pop.bias.empty()) std::fill(out + rb, out + re, 0.0f);
        else std::copy(pop.bias.begin() + static_cast<std::ptrdiff_t>(rb), pop.bias.begin() + static_cast<std::ptrdiff_t>(re), out + rb);
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& in = state.input(p, gi);
            groups[gi].accumulate_rows(q, rb, re, in.columns.data(), in.columns.size(), in.dense_input, out);
        }
        apply_activation(pop.act, out + rb, re - rb);
    });
}

void whole_layer_update::compute_batch(std::size_t p, std::int64_t k, event_image_state* const* states,
                                       std::size_t count) {
    const auto& pop = s_.net.populations[p];
    outs_.clear();
    for (std::size_t j = 0; j < count; ++j) {
        float* o = states[j]->layer(p, k);
        if (pop.bias.empty()) std::fill(o, o + pop.size, 0.0f);
        else std::copy(pop.bias.begin(), pop.bias.end(), o);
        outs_.push_back(o);
    }
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        // Each image's input as a vector (spikes are scattered into one).
        const std::size_t n = groups[gi].weights->cols;
        value_ptrs_.clear();
        scatter_.resize(count);
        for (std::size_t j = 0; j < count; ++j) {
            const group_input& in = states[j]->input(p, gi);
            const float* dense = in.dense_input;
            if (!dense) {
                scatter_[j].assign(n, 0.0f);
                for (const auto& c : in.columns) scatter_[j][c.source] = c.value;
                dense = scatter_[j].data();
            }
            value_ptrs_.push_back(dense);
        }
        const auto& f = groups[gi].fanout;  // dense (batchable_): the whole table holds the weights
        accumulate_panels_batch(f.panels, value_ptrs_.data(), outs_.data(), count, 0, pop.size, panel_scratch_);
    }
    for (float* o : outs_) apply_activation(pop.act, o, pop.size);
}

}  // namespace gust::event_detail
