#pragma once
// How gradient tests compare a tensor with a reference: the largest
// absolute difference relative to the reference's largest magnitude.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace gust::test {

inline double relative_to_max(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    double diff = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
        scale = std::max(scale, std::fabs(static_cast<double>(b[i])));
    }
    REQUIRE(scale > 0);
    return diff / scale;
}

}  // namespace gust::test
