#pragma once
// Sharpening a trained model's context. The decoder's output layer gives each
// pixel the logit a = W4 z3 + b4 and the context c = sigmoid(a), the pixel's
// firing probability at that step. Scaling that layer's weights and biases by
// `gain` and adding `offset` to its biases gives c = sigmoid(gain a + offset):
// with gain > 1 contexts above the pivot logit -offset / (gain - 1) move
// toward 1 and those below it toward 0, so a pixel fires more surely at its
// group's phase and less often one step early. The spec's loss judges only
// the context averaged over a cycle and cannot see that sharpness (it
// prefers gain < 1), so the gain is chosen on the grouping of validation
// images instead (scripts/fit_context_gain). The result is an ordinary model
// of the same architecture; nothing else changes.
#include <string>

#include "sim/network_model.hpp"

namespace gust::learning {

// The same for any network: every weight set that targets the spiking
// population's context population, and that population's bias. Throws
// input_error (naming the field) unless gain is finite and > 0 and offset is
// finite; gain 1 and offset 0 return m unchanged, bit for bit.
network_model with_context_gain(const network_model& m, double gain, double offset);

}  // namespace gust::learning
