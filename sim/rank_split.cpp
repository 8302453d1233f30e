#include "sim/rank_split.hpp"

#include <algorithm>

namespace gust {

std::vector<double> balanced_split(const image_batch& images, std::size_t ranks) {
    std::vector<double> at(ranks + 1);
    for (std::size_t r = 0; r <= ranks; ++r) at[r] = static_cast<double>(r) / static_cast<double>(ranks);
    const std::size_t n = images.size;
    if (ranks < 2 || n == 0) return at;
    // Foreground per pixel, summed over the images, then its running total.
    std::vector<std::size_t> total(n, 0);
    for (std::size_t i = 0; i < images.count; ++i) {
        const float* px = images.pixels + i * n;
        for (std::size_t k = 0; k < n; ++k) total[k] += px[k] != 0.0f;
    }
    for (std::size_t k = 1; k < n; ++k) total[k] += total[k - 1];
    if (total.back() == 0) return at;
    const double least = 0.5 / static_cast<double>(ranks);  // of the pixels, per part
    for (std::size_t r = 1; r < ranks; ++r) {
        // The first pixel past an r-th share of the foreground.
        const std::size_t share = (total.back() * r + ranks - 1) / ranks;
        const auto k = static_cast<std::size_t>(std::lower_bound(total.begin(), total.end(), share) - total.begin());
        const double f = static_cast<double>(k + 1) / static_cast<double>(n);
        at[r] = std::clamp(f, at[r - 1] + least, 1.0 - static_cast<double>(ranks - r) * least);
    }
    return at;
}

}  // namespace gust
