#pragma once
// Reference BPTT for tests: the same mathematics as train_forward +
// backward_events, written step by step on every neuron with no sparsity, no
// event lists and no batching over phases or images, exactly in the order of
// docs/model.md. The event-based pass must agree with it (to float rounding).
#include "learning/batch_gradient.hpp"

namespace gust::learning {

// Loss summed over the images and d loss / d parameters; single-threaded.
batch_result dense_bptt(const gust_model& m, const image_inputs& in, const draw_source& draws,
                        const bptt_options& opt);

}  // namespace gust::learning
