#pragma once
// Victor-Purpura spike-train distance: the cheapest edit turning train a into
// train b, where deleting or inserting a spike costs 1 and moving a spike by dt
// costs q*|dt|. Computed by the classic dynamic programme
//   G[i][j] = min(G[i-1][j] + 1, G[i][j-1] + 1, G[i-1][j-1] + q*|a_i - b_j|).
//
// A cycle of the network gives each pixel a short binary train (T = 10 steps),
// stored as a bitmask: bit t set <=> a spike at step t. Such masks have a fast
// path, and a distance matrix over many pixels is computed once per distinct
// pattern (most pixels share a few patterns, the background all the empty one)
// and only then expanded.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gust::analysis {

// Spike times in any order-preserving unit (sorted ascending). q >= 0; q may be
// +inf (then only identical times can be matched). Throws input_error for q < 0
// or NaN.
double victor_purpura(std::span<const double> a, std::span<const double> b, double q);
double victor_purpura(std::span<const std::int64_t> a, std::span<const std::int64_t> b, double q);

// Distance between two bitmask trains (bit t = spike at step t). Exact: equal to
// victor_purpura() on the spike-time lists. For q >= 2 a shift never beats a
// delete plus an insert, so the distance is popcount(a ^ b).
double victor_purpura_bits(std::uint16_t a, std::uint16_t b, double q);

// The distinct patterns among n bitmask trains, in order of first appearance.
struct pattern_set {
    std::vector<std::uint16_t> patterns;  // m distinct masks
    std::vector<double> weight;           // how many trains have pattern p
    std::vector<std::int32_t> index_of;   // train i -> its pattern index (size n)
};
pattern_set distinct_patterns(const std::uint16_t* trains, std::size_t n);

// m x m row-major matrix of distances between the given patterns.
std::vector<double> pattern_distances(std::span<const std::uint16_t> patterns, double q);

// n x n row-major Victor-Purpura matrix of n bitmask trains (via distinct patterns).
std::vector<double> distance_matrix(const std::uint16_t* trains, std::size_t n, double q);

// Converts a binary n x T matrix (row-major, nonzero = spike) to bitmasks. T <= 16.
std::vector<std::uint16_t> trains_to_bits(const std::uint8_t* binary, std::size_t n, std::size_t T);

}  // namespace gust::analysis
