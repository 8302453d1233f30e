#pragma once
// Random sparse weight sets and inputs for the tests of the row kernels:
// rows of unequal length, weights and inputs of spread magnitude and mixed
// sign (with zeros and negative zeros), so that the order of a row's
// additions shows in the bits of its sum.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/weight_matrix.hpp"

namespace gust::test {

// A CSR set of `rows` rows over `cols` columns; row r has a length drawn
// from [min_len, max_len] (its columns ascending, distinct), weights of
// mixed sign and magnitude so that the order of additions shows in the
// bits.
inline weight_matrix random_csr(std::size_t rows, std::size_t cols, std::size_t min_len, std::size_t max_len,
                                std::uint32_t seed) {
    std::mt19937 rng(seed);
    weight_matrix W;
    W.rows = rows;
    W.cols = cols;
    W.indptr.push_back(0);
    std::vector<std::uint32_t> sources;
    std::uniform_int_distribution<std::size_t> length(min_len, max_len);
    std::uniform_real_distribution<float> weight(-1.0f, 1.0f);
    std::uniform_int_distribution<int> scale(-20, 20);
    for (std::size_t r = 0; r < rows; ++r) {
        std::vector<std::uint32_t> all(cols);
        for (std::size_t c = 0; c < cols; ++c) all[c] = static_cast<std::uint32_t>(c);
        std::shuffle(all.begin(), all.end(), rng);
        all.resize(length(rng));
        std::sort(all.begin(), all.end());
        for (std::uint32_t c : all) {
            sources.push_back(c);
            W.w.push_back(std::ldexp(weight(rng), scale(rng)));
        }
        W.indptr.push_back(static_cast<std::uint32_t>(sources.size()));
    }
    W.indices = std::move(sources);
    return W;
}

// An input with zeros (relu's), negative zeros, and values of spread
// magnitude.
inline std::vector<float> random_input(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(n);
    for (auto& v : x) {
        const float d = u(rng);
        v = d < -0.4f ? 0.0f : d < -0.3f ? -0.0f : std::ldexp(d, static_cast<int>(rng() % 30) - 15);
    }
    return x;
}

inline std::vector<std::uint32_t> bits(const std::vector<float>& v) {
    std::vector<std::uint32_t> b(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) b[i] = std::bit_cast<std::uint32_t>(v[i]);
    return b;
}

}  // namespace gust::test
