#pragma once
// The dense graded layer's kernels, for every user of a dense weight set:
// both simulation backends (one image's listed inputs, or many images in
// lockstep) and training (a batch of vectors with bias and activation).
// They read the weights as a panel_matrix (core/panel_matrix.hpp) and keep
// the canonical order of neurons/graded_layer.hpp: out[r] = bias[r], then
// += in[i] * W[r, i] for each non-zero input i, ascending.
//
// Vectors go six at a time through one pass over a panel: each weight loaded
// serves six of them. The six share one list of inputs, those non-zero in
// any of them; where a vector's own input is 0 it adds 0 * w, a zero, which
// can change only the sign of a zero sum, and relu and sigmoid give +0 and -0
// the same value: every output is the bit of the vector's own canonical sum.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/activation.hpp"
#include "core/panel_matrix.hpp"
#include "neurons/graded_layer.hpp"

namespace gust {

// What the kernels reuse from call to call.
struct panel_scratch {
    std::vector<std::uint32_t> list;  // per group of vectors, the inputs non-zero in any, ascending
    std::vector<std::size_t> ptr;     // group g's inputs: list[ptr[g] .. ptr[g + 1])
    std::vector<const float*> in;     // panel_layer's vectors as pointers
    std::vector<float*> out;
};

// acc[r] += in[e].value * W[r, in[e].source] for each listed input in order,
// r in [row_begin, row_end): one image's spikes or non-zero values.
void accumulate_panels(const panel_matrix& W, const column_input* in, std::size_t count, float* acc,
                       std::size_t row_begin, std::size_t row_end);

// The same for many vectors: acc[j][r] += W[r, :] . in[j] over the non-zero
// inputs, r in [row_begin, row_end); in[j] holds W.cols values.
void accumulate_panels_batch(const panel_matrix& W, const float* const* in, float* const* acc,
                             std::size_t vectors, std::size_t row_begin, std::size_t row_end,
                             panel_scratch& scratch);

// out[:, j] = act(bias + W in[:, j]), j < count, with in: W.cols x count and
// out: W.rows x count, one vector after another; bias may be null (zero).
void panel_layer(const panel_matrix& W, const float* bias, activation act, const float* in, std::size_t count,
                 float* out, panel_scratch& scratch);

}  // namespace gust
