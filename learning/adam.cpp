#include "learning/adam.hpp"

#include <cmath>

namespace gust::learning {

adam_state adam_state::zeros_like(const network_model& model) {
    adam_state s;
    s.m = zeros_like_parameters(model);
    s.v = s.m;
    return s;
}

void adam_step(tensor_list& params, const tensor_list& g, adam_state& s, double lr, const adam_params& p) {
    ++s.step;
    const double bc1 = 1.0 - std::pow(p.beta1, static_cast<double>(s.step));
    const double bc2 = 1.0 - std::pow(p.beta2, static_cast<double>(s.step));
    const float step_size = static_cast<float>(lr / bc1);
    const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
    const float b1 = static_cast<float>(p.beta1), b2 = static_cast<float>(p.beta2), eps = static_cast<float>(p.eps);
    for (std::size_t t = 0; t < params.size(); ++t) {
        float* w = params[t].data();
        const float* d = g[t].data();
        float* m = s.m[t].data();
        float* v = s.v[t].data();
        const std::size_t n = params[t].size();
        for (std::size_t i = 0; i < n; ++i) {
            m[i] = b1 * m[i] + (1.0f - b1) * d[i];
            v[i] = b2 * v[i] + (1.0f - b2) * d[i] * d[i];
            const float denom = std::sqrt(v[i]) / bc2_sqrt + eps;
            w[i] -= step_size * (m[i] / denom);
        }
    }
}

}  // namespace gust::learning
