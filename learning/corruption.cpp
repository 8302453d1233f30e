#include "learning/corruption.hpp"

#include <vector>

namespace gust::learning {

void corrupt_image(const counter_rng& rng, std::uint32_t pass, std::size_t image, const float* clean,
                   float* out, std::size_t n, float keep_p) {
    std::vector<float> u(n);
    rng.fill_uniform(stream_id(purpose::corruption, pass), image, 0, u.data(), n);
    for (std::size_t i = 0; i < n; ++i) out[i] = u[i] < keep_p ? clean[i] : 0.0f;
}

}  // namespace gust::learning
