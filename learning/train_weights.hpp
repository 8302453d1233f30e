#pragma once
// A paper-architecture model as the learning kernels read it: Eigen-owned
// copies of the [out, in] weight matrices for the backward pass, W1 by
// column for the backward's W1[:, i] . d_a1 (pixel i's spike reached the
// first encoder layer through column i), and every layer packed in panels
// of rows for the forward pass (core/panel_matrix.hpp), which computes each
// layer with the simulator's kernels (neurons/panel_layer.hpp).
//
// Why copies: Eigen's vectorised reductions (dot products, row sums) peel a
// different number of leading elements depending on the address of the data,
// which changes the order of the sum. Eigen allocates its own storage at a
// fixed alignment, so every process, every thread and every resumed run sums
// in the same order; std::vector storage would not guarantee that. (The copy
// costs about a millisecond per batch.)
//
// Training needs dense layers and theta >= 1 (so that a pixel without input,
// whose membrane is the noise u < 1, can never fire).
#include "learning/eigen.hpp"

#include <cstddef>
#include <vector>

#include "neurons/panel_layer.hpp"
#include "sim/model.hpp"

namespace gust::learning {

using row_major_matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Activations: one column per (image, phase) of a cycle.
using activation_matrix = Eigen::MatrixXf;

// Throws input_error unless m can be trained (dense layers, theta >= 1).
void require_trainable(const gust_model& m);

struct train_weights {
    std::size_t N, M, H, Md;  // pixels, encoder inner width, hidden, decoder inner width
    int T, tau;
    float theta, release_p;
    row_major_matrix W1, W2, W3, W4;  // [M,N], [H,M], [Md,H], [N,Md]
    Eigen::VectorXf b1, b2, b3, b4;
    // W1 column-major, column i = W1[:, i] contiguous.
    Eigen::MatrixXf W1_columns;
    panel_matrix W1_panels, W2_panels, W3_panels, W4_panels;

    explicit train_weights(const gust_model& m);

    const float* w1_column(std::size_t pixel) const { return W1_columns.col(static_cast<Eigen::Index>(pixel)).data(); }
};

// Adds the column sums of A to out (out[i] += A(i, j) for j = 0, 1, ...): a
// bias gradient, summed in column order whatever the alignment.
inline void add_row_sums(const activation_matrix& A, Eigen::VectorXf& out) {
    for (Eigen::Index j = 0; j < A.cols(); ++j) out += A.col(j);
}

}  // namespace gust::learning
