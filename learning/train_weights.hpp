#pragma once
// A paper-architecture model as the learning kernels read it: Eigen views of
// the row-major [out, in] weight matrices (no copies), plus W1 transposed,
// because a spike of pixel i adds column i of W1 to the first encoder layer
// and the backward needs W1[:, i] . d_a1: both want column i contiguous.
// Training needs dense layers and theta >= 1 (so that a pixel without input,
// whose membrane is the noise u < 1, can never fire).
#include "learning/eigen.hpp"

#include <cstddef>
#include <vector>

#include "sim/model.hpp"

namespace gust::learning {

using row_major_matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using const_weights_view = Eigen::Map<const row_major_matrix>;
using weights_view = Eigen::Map<row_major_matrix>;
// Activations: one column per (image, phase) of a cycle.
using activation_matrix = Eigen::MatrixXf;

// Throws input_error unless m can be trained (dense layers, theta >= 1).
void require_trainable(const gust_model& m);

struct train_weights {
    std::size_t N, M, H, Md;  // pixels, encoder inner width, hidden, decoder inner width
    int T, tau;
    float theta, release_p;
    const_weights_view W1, W2, W3, W4;       // [M,N], [H,M], [Md,H], [N,Md]
    Eigen::Map<const Eigen::VectorXf> b1, b2, b3, b4;
    std::vector<float> W1T;                   // N x M: row i = column i of W1

    explicit train_weights(const gust_model& m);
    train_weights(const train_weights&) = delete;
    train_weights& operator=(const train_weights&) = delete;

    const float* w1_column(std::size_t pixel) const { return W1T.data() + pixel * M; }
};

}  // namespace gust::learning
