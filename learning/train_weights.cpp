#include "learning/train_weights.hpp"

#include "core/error.hpp"

namespace gust::learning {

void require_trainable(const gust_model& m) {
    validate(m, "model to train");
    if (m.enc1.sparse() || m.enc2.sparse() || m.dec1.sparse() || m.dec2.sparse())
        throw input_error("training supports dense layers only (this model has sparse CSR layers)");
    if (!(m.theta >= 1.0f))
        throw input_error("training needs theta >= 1 (pixels without input must not fire); the model has theta = " +
                          std::to_string(m.theta));
}

namespace {
Eigen::VectorXf vector_of(const std::vector<float>& v) {
    return Eigen::Map<const Eigen::VectorXf>(v.data(), static_cast<Eigen::Index>(v.size()));
}
row_major_matrix matrix_of(const linear_layer& l) {
    return Eigen::Map<const row_major_matrix>(l.weight.data(), static_cast<Eigen::Index>(l.out),
                                              static_cast<Eigen::Index>(l.in));
}
}  // namespace

train_weights::train_weights(const gust_model& m)
    : N(m.n_pixels()), M(m.enc1.out), H(m.enc2.out), Md(m.dec1.out), T(m.T), tau(m.refractory),
      theta(m.theta), release_p(m.release_p), W1(matrix_of((require_trainable(m), m.enc1))), W2(matrix_of(m.enc2)),
      W3(matrix_of(m.dec1)), W4(matrix_of(m.dec2)), b1(vector_of(m.enc1.bias)), b2(vector_of(m.enc2.bias)),
      b3(vector_of(m.dec1.bias)), b4(vector_of(m.dec2.bias)), W1_columns(W1) {
    W1_panels.pack(m.enc1.weight.data(), m.enc1.out, m.enc1.in);
    W2_panels.pack(m.enc2.weight.data(), m.enc2.out, m.enc2.in);
    W3_panels.pack(m.dec1.weight.data(), m.dec1.out, m.dec1.in);
    W4_panels.pack(m.dec2.weight.data(), m.dec2.out, m.dec2.in);
}

}  // namespace gust::learning
