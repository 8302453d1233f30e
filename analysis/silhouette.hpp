#pragma once
// Silhouette score from a precomputed distance matrix, matching scikit-learn
// 1.2.1 silhouette_score(D, labels, metric="precomputed"):
//   a_i = mean distance from i to the other members of its cluster,
//   b_i = min over other clusters of the mean distance from i to its members,
//   s_i = (b_i - a_i) / max(a_i, b_i), and s_i = 0 when i is alone in its
//         cluster or when a_i = b_i = 0 (scikit-learn's nan_to_num of 0/0);
//   score = mean of s_i.
// Undefined cases: scikit-learn raises ValueError unless 2 <= number of
// distinct labels <= n - 1. We return NaN there instead (no exception), so a
// per-cycle loop can record "undefined" and callers can skip or count NaNs.
// A diagonal entry above 100 * DBL_EPSILON in magnitude throws input_error, as
// scikit-learn rejects such a matrix.
#include <cstddef>
#include <cstdint>
#include <span>

namespace gust::analysis {

double silhouette_score(const double* D, std::size_t n, std::span<const std::int64_t> labels);
double silhouette_score(const double* D, std::size_t n, std::span<const std::int32_t> labels);

// The same over m weighted items: item i stands for weight[i] >= 1 identical
// points (integer counts), all with cluster code[i] in [0, n_clusters). D is
// m x m. Exactly the score of the expanded n = sum(weight) points. When
// item_scores is given it receives each item's s_i (m values; 0 where the
// score is 0 by the rules above; untouched when the score is NaN).
double silhouette_weighted(const double* D, std::size_t m, const double* weight,
                           const std::int32_t* code, std::size_t n_clusters, double* item_scores = nullptr);

// SynScore: silhouette of bitmask spike trains (bit t = spike at step t) under
// the Victor-Purpura distance at cost q, given their cluster labels. NaN when
// the number of distinct labels is not in [2, n - 1].
double synscore(const std::uint16_t* trains, std::span<const std::int32_t> labels,
                double q = 1.0 / 3.0);
double synscore(const std::uint16_t* trains, std::span<const std::int64_t> labels,
                double q = 1.0 / 3.0);

}  // namespace gust::analysis
