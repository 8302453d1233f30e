#pragma once
// k-medoids over a precomputed distance matrix: k-medoids++ seeding, then the
// "alternate" (Voronoi iteration) method: assign every point to its nearest
// medoid, then move each medoid to the cluster member with the least summed
// distance to the members, until no medoid moves. Restarts keep the lowest
// total distance.
//
// Points may carry weights (multiplicities): a weighted point stands for that
// many identical copies, so clustering the distinct spike patterns of a cycle
// with their counts gives exactly the objective of clustering every pixel.
//
// Determinism: all draws come from counter_sequence(counter_rng(seed),
// stream_id(purpose::analysis, restart), image word = low 32 bits of
// sequence, step word = its high 32 bits), so a result is a pure
// function of (D, weights, k, seed, sequence, restarts, max_iter).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/counter_rng.hpp"

namespace gust::analysis {

struct kmedoids_options {
    int restarts = 1;            // >= 1 seedings; the lowest total wins (ties: earliest)
    int max_iter = 300;          // alternating iterations per restart
    std::uint64_t seed = 0;      // counter_rng key
    std::uint64_t sequence = 0;  // decorrelates calls, e.g. analysis::readout_sequence(image, cycle)
};

struct kmedoids_result {
    std::vector<int> medoids;            // point index of each cluster's medoid (size k_eff)
    std::vector<int> labels;             // cluster of each point, in [0, k_eff)
    double total = 0.0;                  // sum_i w_i * D[i, medoid(label_i)]
    int iterations = 0;                  // alternating iterations of the winning restart
    int restart = 0;                     // which restart won
    std::vector<double> initial_totals;  // total of each restart's k-medoids++ seeding
};

// D: n x n row-major, symmetric, zero diagonal, non-negative. weights: n
// non-negative multiplicities or nullptr (all 1). k >= 1 (input_error
// otherwise). k >= n: every point is its own medoid (k_eff = n, total 0).
// Fewer distinct points than k: surplus medoids sit on duplicates and their
// clusters stay empty (labels only use the clusters that got points).
kmedoids_result kmedoids(const double* D, std::size_t n, int k, const kmedoids_options& opt = {},
                         const double* weights = nullptr);

// k-medoids++ (greedy variant, as scikit-learn-extra): first medoid drawn with
// probability proportional to weight, each further one among 2 + floor(ln k)
// candidates drawn proportional to w_i * d_i^2 (d_i = distance to the nearest
// medoid so far), keeping the candidate that lowers sum w_i d_i^2 the most.
// When every point already has distance 0, the first non-medoid point is taken.
std::vector<int> kmedoids_pp_init(const double* D, std::size_t n, const double* weights, int k,
                                  counter_sequence& rng);

// Nearest-medoid labels (ties to the lowest cluster index) and the total.
double assign_to_medoids(const double* D, std::size_t n, const double* weights,
                         const std::vector<int>& medoids, std::vector<int>& labels);

// Alternating updates from the given medoids, in place; a medoid moves only to a
// strictly cheaper member, so the total never increases and the loop ends.
// Returns the final total; *iterations receives the number of passes.
double kmedoids_refine(const double* D, std::size_t n, const double* weights,
                       std::vector<int>& medoids, std::vector<int>& labels, int max_iter,
                       int* iterations = nullptr);

}  // namespace gust::analysis
