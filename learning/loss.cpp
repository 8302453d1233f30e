#include "learning/loss.hpp"

#include <vector>

namespace gust::learning {

double receptive_field_loss(const float* ctx_last, const float* clean, std::size_t T, std::size_t n,
                            float* d_ctx) {
    constexpr double eps = 1e-6;
    std::vector<double> R(n, 0.0);
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t i = 0; i < n; ++i) R[i] += ctx_last[t * n + i];
    double sum_r = 0, sum_y = 0;
    for (std::size_t i = 0; i < n; ++i) {
        R[i] /= static_cast<double>(T);
        sum_r += R[i];
        sum_y += clean[i];
    }
    const double zr = sum_r + eps, zy = sum_y + eps;
    double loss = 0, g_dot_rhat = 0;
    std::vector<double> g(n);  // d loss / d R^
    for (std::size_t i = 0; i < n; ++i) {
        const double rh = R[i] / zr, yh = clean[i] / zy;
        loss += (yh - rh) * (yh - rh);
        g[i] = 2.0 * (rh - yh);
        g_dot_rhat += g[i] * rh;
    }
    if (d_ctx) {
        // d R^_i / d R_j = delta_ij / zr - R_i / zr^2, and d R / d C_last[t] = 1/T.
        for (std::size_t j = 0; j < n; ++j)
            d_ctx[j] = static_cast<float>((g[j] - g_dot_rhat) / zr / static_cast<double>(T));
    }
    return loss;
}

}  // namespace gust::learning
