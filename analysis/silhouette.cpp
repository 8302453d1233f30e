#include "analysis/silhouette.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analysis/victor_purpura.hpp"
#include "analysis/label_codes.hpp"
#include "core/error.hpp"

namespace gust::analysis {
namespace {

template <class T>
double silhouette_impl(const double* D, std::size_t n, std::span<const T> labels) {
    if (labels.size() != n)
        throw input_error("silhouette: " + std::to_string(labels.size()) + " labels for " +
                          std::to_string(n) + " samples");
    const double atol = 100.0 * std::numeric_limits<double>::epsilon();
    for (std::size_t i = 0; i < n; ++i)
        if (std::abs(D[i * n + i]) > atol)
            throw input_error("silhouette: the precomputed distance matrix has a non-zero diagonal");
    std::size_t k = 0;
    const std::vector<std::int32_t> code = dense_label_codes(labels, k);
    const std::vector<double> ones(n, 1.0);
    return silhouette_weighted(D, n, ones.data(), code.data(), k);
}

template <class T>
double synscore_impl(const std::uint16_t* trains, std::span<const T> labels, double q) {
    const std::size_t n = labels.size();
    std::size_t k = 0;
    const std::vector<std::int32_t> code = dense_label_codes(labels, k);
    if (n == 0 || k < 2 || k > n - 1) return std::numeric_limits<double>::quiet_NaN();
    // Items = distinct (pattern, label) pairs with their counts.
    std::map<std::pair<std::uint16_t, std::int32_t>, std::size_t> item_of;
    std::vector<std::uint16_t> pat;
    std::vector<std::int32_t> lab;
    std::vector<double> w;
    for (std::size_t i = 0; i < n; ++i) {
        auto [it, fresh] = item_of.try_emplace({trains[i], code[i]}, pat.size());
        if (fresh) {
            pat.push_back(trains[i]);
            lab.push_back(code[i]);
            w.push_back(0.0);
        }
        w[it->second] += 1.0;
    }
    const std::vector<double> D = pattern_distances(pat, q);
    return silhouette_weighted(D.data(), pat.size(), w.data(), lab.data(), k);
}

}  // namespace

double silhouette_weighted(const double* D, std::size_t m, const double* weight,
                           const std::int32_t* code, std::size_t n_clusters, double* item_scores) {
    std::vector<double> freq(n_clusters, 0.0);
    double n = 0.0;
    std::size_t used = 0;
    for (std::size_t i = 0; i < m; ++i) {
        if (freq[static_cast<std::size_t>(code[i])] == 0.0 && weight[i] > 0.0) ++used;
        freq[static_cast<std::size_t>(code[i])] += weight[i];
        n += weight[i];
    }
    if (used < 2 || static_cast<double>(used) > n - 1.0) return std::numeric_limits<double>::quiet_NaN();

    std::vector<double> sums(n_clusters);
    double total = 0.0;
    if (item_scores) std::fill(item_scores, item_scores + m, 0.0);
    for (std::size_t i = 0; i < m; ++i) {
        if (weight[i] <= 0.0) continue;
        std::fill(sums.begin(), sums.end(), 0.0);
        const double* row = D + i * m;
        for (std::size_t j = 0; j < m; ++j) sums[static_cast<std::size_t>(code[j])] += weight[j] * row[j];
        const std::size_t own = static_cast<std::size_t>(code[i]);
        if (freq[own] <= 1.0) continue;  // singleton cluster: s = 0
        const double a = sums[own] / (freq[own] - 1.0);
        double b = std::numeric_limits<double>::infinity();
        for (std::size_t c = 0; c < n_clusters; ++c)
            if (c != own && freq[c] > 0.0) b = std::min(b, sums[c] / freq[c]);
        const double den = std::max(a, b);
        if (!(den > 0.0)) continue;  // 0/0 -> 0
        const double s = (b - a) / den;
        if (item_scores) item_scores[i] = s;
        total += weight[i] * s;
    }
    return total / n;
}

double silhouette_score(const double* D, std::size_t n, std::span<const std::int64_t> labels) {
    return silhouette_impl(D, n, labels);
}
double silhouette_score(const double* D, std::size_t n, std::span<const std::int32_t> labels) {
    return silhouette_impl(D, n, labels);
}
double synscore(const std::uint16_t* trains, std::span<const std::int32_t> labels, double q) {
    return synscore_impl(trains, labels, q);
}
double synscore(const std::uint16_t* trains, std::span<const std::int64_t> labels, double q) {
    return synscore_impl(trains, labels, q);
}

}  // namespace gust::analysis
