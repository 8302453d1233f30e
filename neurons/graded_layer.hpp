#pragma once
// Graded (ANN) units: out = act(bias + W * in). Every backend computes its
// layers with these kernels, and they all fix the same order of the sums:
//
//   out[r] = bias[r], then out[r] += in[i] * W[r, i] for each input i with
//   in[i] != 0, in ascending i.
//
// Skipping a zero input changes no value (x + 0 == x), so a kernel may visit
// only the inputs that are non-zero (spikes, active ReLUs) and still agree
// with one that visits all: the dense and the event backend get the same bits
// whichever kernel they use, and however rows are split between threads.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/activation.hpp"
#include "core/fanout_matrix.hpp"
#include "core/weight_matrix.hpp"

namespace gust {

// One non-zero input: its index and value (e.g. spike + released copy = 2).
struct column_input {
    std::uint32_t source;
    float value;
};

// The non-zero entries of a dense input vector, ascending.
void nonzero_inputs(const float* in, std::size_t n, std::vector<column_input>& out);

// acc[r] += the inputs' contributions for the rows of f (dense: rows in
// [row_begin, row_end), by neurons/panel_layer.hpp; sparse: the rows f was
// built for, with its values).
void accumulate_fanout(const fanout_matrix& f, const column_input* in, std::size_t count, float* acc,
                       std::size_t row_begin, std::size_t row_end);

// acc[r] += the inputs' contributions through a procedural set, for rows in
// [row_begin, row_end): each input's targets regenerated, ascending, the
// terms the stored twin's fan-out adds, in the same order.
void accumulate_procedural(const procedural_synapses& rule, const column_input* in, std::size_t count, float* acc,
                           std::size_t row_begin, std::size_t row_end);

// acc[r] += the row sums of the sparse W for r in [row_begin, row_end), each
// row as accumulate_row sums it: the same terms, per row, that scattering
// the non-zeros of dense_in through W's fan-out adds, in the same order.
void accumulate_sparse_rows(const weight_matrix& W, const float* dense_in, float* acc, std::size_t row_begin,
                            std::size_t row_end);
// acc[i] += the sum of row rows[i] of the sparse W, for i < n, the same way.
void accumulate_sparse_row_list(const weight_matrix& W, const std::uint32_t* rows, std::size_t n,
                                const float* dense_in, float* acc);

// One row in the canonical order. Dense weights walk the input list; sparse
// ones walk the row's synapses (stored or regenerated) and read the same
// inputs from `dense_in` (the input as a vector, zero where nothing arrived).
float accumulate_row(const weight_matrix& W, std::size_t row, const column_input* in, std::size_t count,
                     const float* dense_in, float acc);

// Several rows of a dense matrix, acc[j] for row rows[j]: the same sums as
// accumulate_row, advanced eight rows at a time so that independent additions
// overlap instead of waiting on each other.
void accumulate_dense_rows(const weight_matrix& W, const std::uint32_t* rows, std::size_t n_rows,
                           const column_input* in, std::size_t count, float* acc);
// The same for a dense row-major matrix given by its values and width.
void accumulate_dense_rows(const float* W, std::size_t cols, const std::uint32_t* rows, std::size_t n_rows,
                           const column_input* in, std::size_t count, float* acc);

// The activations, defined once for every backend and for training:
// relu(v) = max(v, 0), sigmoid(v) = 1 / (1 + exp(-v)), in float.
inline float apply_activation(activation act, float v) {
    switch (act) {
        case activation::relu: return v > 0.0f ? v : 0.0f;
        case activation::sigmoid: return 1.0f / (1.0f + std::exp(-v));
    }
    return v;
}
void apply_activation(activation act, float* v, std::size_t n);

}  // namespace gust
