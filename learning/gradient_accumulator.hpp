#pragma once
// Where a backward pass sums its parameter gradients: Eigen-owned storage
// (fixed alignment, see train_weights.hpp), reused from group to group, with
// d W1 kept by column because spikes touch whole columns of W1. Converted to
// the model layout (model_gradients) once per batch.
#include "learning/model_gradients.hpp"
#include "learning/train_weights.hpp"

namespace gust::learning {

struct gradient_accumulator {
    Eigen::MatrixXf dW1_columns;  // M x N: column i = d loss / d W1[:, i]
    row_major_matrix dW2, dW3, dW4;
    Eigen::VectorXf db1, db2, db3, db4;

    // Sets every entry to zero, shaped for w (allocates only on a shape change).
    void reset(const train_weights& w) {
        const auto N = static_cast<Eigen::Index>(w.N), M = static_cast<Eigen::Index>(w.M),
                   H = static_cast<Eigen::Index>(w.H), Md = static_cast<Eigen::Index>(w.Md);
        dW1_columns.setZero(M, N);
        dW2.setZero(H, M);
        dW3.setZero(Md, H);
        dW4.setZero(N, Md);
        db1.setZero(M);
        db2.setZero(H);
        db3.setZero(Md);
        db4.setZero(N);
    }

    // this += o, element by element.
    void add(const gradient_accumulator& o) {
        dW1_columns += o.dW1_columns;
        dW2 += o.dW2;
        dW3 += o.dW3;
        dW4 += o.dW4;
        db1 += o.db1;
        db2 += o.db2;
        db3 += o.db3;
        db4 += o.db4;
    }

    model_gradients to_model_gradients() const {
        model_gradients g;
        auto copy = [](std::vector<float>& dst, const float* src, Eigen::Index n) {
            dst.assign(src, src + n);
        };
        const row_major_matrix dW1 = dW1_columns;  // [M, N] like the model
        copy(g.enc1.weight, dW1.data(), dW1.size());
        copy(g.enc1.bias, db1.data(), db1.size());
        copy(g.enc2.weight, dW2.data(), dW2.size());
        copy(g.enc2.bias, db2.data(), db2.size());
        copy(g.dec1.weight, dW3.data(), dW3.size());
        copy(g.dec1.bias, db3.data(), db3.size());
        copy(g.dec2.weight, dW4.data(), dW4.size());
        copy(g.dec2.bias, db4.data(), db4.size());
        return g;
    }
};

}  // namespace gust::learning
