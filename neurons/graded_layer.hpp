#pragma once
// Graded (ANN) units: out = act(bias + W * in). The kernels here fix the
// order of every floating-point sum, and every backend computes its layers
// with them, so the dense and the event backend get the same bits:
//  - a dense input (graded source) goes row by row through `dot`;
//  - a spiking input goes column by column, ascending source id, over the
//    sources that delivered something (a zero input adds exactly nothing).
#include <cstddef>
#include <cstdint>

#include "sim/network.hpp"

namespace gust {

// sum_i a[i] * b[i] in a fixed order: 8 interleaved partial sums, combined pairwise.
float dot(const float* a, const float* b, std::size_t n);

// acc[r] += dot(W row r, in) for r in [row_begin, row_end); W row-major rows x cols.
void matvec_rows(const float* W, std::size_t cols, const float* in, float* acc, std::size_t row_begin,
                 std::size_t row_end);

// One delivered input: source unit and its summed value (e.g. 1 spike + 1 released copy = 2).
struct column_input {
    std::uint32_t source;
    float value;
};

// acc[r] += value * WT[source, r] for each input in the given (ascending) order,
// r in [row_begin, row_end); WT is the transposed weight matrix, cols x rows.
void accumulate_columns(const float* WT, std::size_t rows, const column_input* in, std::size_t count,
                        float* acc, std::size_t row_begin, std::size_t row_end);

void apply_activation(activation act, float* v, std::size_t n);
float apply_activation(activation act, float v);

}  // namespace gust
