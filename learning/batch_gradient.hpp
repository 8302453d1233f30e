#pragma once
// Loss and gradient of a batch of images: train_forward + backward_events on
// fixed groups of images_per_group consecutive images, run in parallel with
// TBB, and summed in group order. The groups depend only on the batch, never
// on the thread count, and the reduction is ordered (a pipeline whose last
// stage is serial in order), so the result is the same bits for any --threads.
#include <cstddef>

#include "learning/group_selection.hpp"
#include "learning/model_gradients.hpp"
#include "learning/train_forward.hpp"
#include "sim/model.hpp"

namespace gust::learning {

// Images simulated together: their hidden layers are one GEMM per cycle.
constexpr std::size_t images_per_group = 16;

struct batch_result {
    double loss = 0;          // summed over the images (docs/model.md's batch loss)
    std::size_t spikes = 0;   // total spikes, for progress reports
    model_gradients grad;     // d loss / d parameters (empty without gradient)
    bool cancelled = false;   // opt.cancel was set: the figures are incomplete
};

// threads: 0 = all cores. with_gradient = false runs the forward only
// (validation). `groups` restricts the pass to some groups, and can take
// each group's values in place of the sum.
batch_result batch_loss_and_gradient(const gust_model& m, const image_inputs& in, const draw_source& draws,
                                     const bptt_options& opt, int threads, bool with_gradient = true,
                                     const group_selection& groups = {});

}  // namespace gust::learning
