#pragma once
// The backward of a graded layer, out = act(bias + W in)
// (neurons/graded_layer.hpp): from d loss / d out, the gradient of the
// pre-activation, of the weights (only stored synapses of a sparse set) and
// of the input.
#include <cstddef>

#include "core/activation.hpp"
#include "core/weight_matrix.hpp"

namespace gust {

// act'(a) from the output o = act(a): relu 1 where o > 0, else 0; sigmoid
// o (1 - o).
inline float activation_slope(activation act, float o) {
    return act == activation::relu ? (o > 0.0f ? 1.0f : 0.0f) : o * (1.0f - o);
}

// For each row r with da[r] != 0 (d loss / d pre-activation), ascending:
// dW[r, i] += da[r] * in[i] and d_in[i] += W[r, i] * da[r] over the row's
// synapses. dW has W's layout (dense: rows x cols; sparse: one value per
// stored synapse).
void graded_layer_backward(const weight_matrix& W, const float* da, const float* in, float* dW, float* d_in);

}  // namespace gust
