#pragma once
// Graded (ANN) units: out = act(bias + W * in). The matrix-vector kernel and
// the activations live here so that every backend computes a layer with the
// same summation order, hence the same bits.
#include <cstddef>

#include "sim/network.hpp"

namespace gust {

// acc[r] += sum_c W[r, c] * in[c], W row-major rows x cols.
void accumulate_matvec(const float* W, std::size_t rows, std::size_t cols, const float* in,
                       float* acc);

void apply_activation(activation act, float* v, std::size_t n);

}  // namespace gust
