#pragma once
// Several images of the event backend advanced together (internal to
// sim/event_backend.cpp), so that a layer every image must compute whole is
// computed for all of them in one pass over its weights.
#include <algorithm>
#include <memory>
#include <vector>

#include "sim/event_image_sim.hpp"
#include "sim/whole_layer_update.hpp"

namespace gust::event_detail {

// Several images advanced in lockstep, step by step and population by
// population, so that a layer every image must compute whole is computed for
// all of them in one pass over its weights (accumulate_panels_batch): the
// weights, not the arithmetic, bound a single image's step. Each image keeps
// its own state and gets exactly the bits it would get alone.
class lockstep_images {
public:
    static constexpr std::size_t width = 4;

    lockstep_images(const event_setup& s, const draw_source& draws, const sim_options& opt) : s_(s), whole_(s) {
        for (std::size_t j = 0; j < width; ++j) sims_.push_back(std::make_unique<event_image_sim>(s, draws, opt));
    }

    // Images [b, b + count) of the batch, count <= width.
    void run(const image_batch& images, std::size_t b, std::size_t count, std::vector<image_record>& out,
             event_stats& st) {
        for (std::size_t j = 0; j < count; ++j)
            sims_[j]->begin(images.pixels + (b + j) * images.size, images.ids.empty() ? b + j : images.ids[b + j],
                            out[b + j]);
        const std::int64_t steps = sims_[0]->steps();
        for (std::int64_t k = 0; k < steps; ++k) {
            for (std::size_t p : s_.order) {
                need_.clear();
                for (std::size_t j = 0; j < count; ++j)
                    if (sims_[j]->step_population(p, k, st, true)) need_.push_back(&sims_[j]->state());
                if (need_.size() > 1 && whole_.batchable(p)) {
                    whole_.compute_batch(p, k, need_.data(), need_.size());
                } else {
                    for (event_image_state* state : need_) whole_.compute(p, k, *state);
                }
            }
            for (std::size_t j = 0; j < count; ++j) sims_[j]->end_step(k, b + j, out[b + j], {}, st);
        }
        for (std::size_t j = 0; j < count; ++j) sims_[j]->end(st);
    }

private:
    const event_setup& s_;
    std::vector<std::unique_ptr<event_image_sim>> sims_;
    whole_layer_update whole_;
    std::vector<event_image_state*> need_;  // the images that must compute this layer whole
};

}  // namespace gust::event_detail
