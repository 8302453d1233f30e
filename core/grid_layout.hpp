#pragma once
// Where the units of a population sit: every population is laid out row-major
// on a grid of the image's aspect ratio, so that a local (receptive-field)
// projection connects units near each other and the spiking population's
// neurons land on their own pixels.
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace gust {

struct grid_layout {
    std::size_t rows, cols;
    grid_layout(std::size_t n, double aspect /* width / height */) {
        cols = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(std::sqrt(double(n) * aspect))));
        cols = std::min(cols, n);
        rows = (n + cols - 1) / cols;
    }
};

}  // namespace gust
