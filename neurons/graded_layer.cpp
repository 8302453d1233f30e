#include "neurons/graded_layer.hpp"

#include <Eigen/Core>
#include <cmath>

namespace gust {

void accumulate_matvec(const float* W, std::size_t rows, std::size_t cols, const float* in,
                       float* acc) {
    using matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const matrix> w(W, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    Eigen::Map<const Eigen::VectorXf> x(in, static_cast<Eigen::Index>(cols));
    Eigen::Map<Eigen::VectorXf> y(acc, static_cast<Eigen::Index>(rows));
    y.noalias() += w * x;
}

void apply_activation(activation act, float* v, std::size_t n) {
    switch (act) {
        case activation::relu:
            for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
            break;
        case activation::sigmoid:
            for (std::size_t i = 0; i < n; ++i) v[i] = 1.0f / (1.0f + std::exp(-v[i]));
            break;
    }
}

}  // namespace gust
