#pragma once
// Per-cycle read-out of docs/model.md "Read-out and metrics": cluster all
// pixel trains of one cycle with k-medoids under Victor-Purpura (q_cluster),
// then score the clustering on the foreground pixels (ground truth != 0):
// AMI against the ground truth, and SynScore = silhouette of the foreground
// trains under Victor-Purpura at q_syn given the cluster labels (and the
// same with silent pixels scored 0, which needs no object labels either).
//
// Everything works on the distinct spike patterns of the cycle with their
// multiplicities, which is exact (see kmedoids.hpp, silhouette.hpp) and makes
// a 784-pixel cycle cost a few tens of microseconds.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gust::analysis {

struct cycle_options {
    double q_cluster = 3.0;      // Victor-Purpura cost for the clustering
    double q_syn = 1.0 / 3.0;    // Victor-Purpura cost for SynScore
    std::uint64_t seed = 0;      // k-medoids++ key
    std::uint64_t sequence = 0;  // k-medoids sequence, e.g. readout_sequence(image, cycle)
    int restarts = 1;            // k-medoids++ seedings (the reference: 1)
    int max_iter = 300;
};

struct cycle_metrics {
    std::vector<int> assignment;  // cluster of each pixel, in [0, K)
    double ami = 0.0;             // sklearn AMI over foreground pixels
    double synscore = 0.0;        // NaN when the foreground clusters number < 2 or == n_fg
    // SynScore in which a foreground pixel that does not fire in the cycle
    // scores 0 instead of its silhouette: a pixel without a spike has no
    // timing to share, while in SynScore silent pixels form a cluster of
    // identical (empty) trains and score as a perfect group. NaN with SynScore.
    double active_synscore = 0.0;
    double total_distance = 0.0;  // k-medoids objective at q_cluster (over all pixels)
    std::size_t foreground = 0;   // pixels with label != 0
    std::size_t distinct_patterns = 0;
};

// trains: n bitmasks (bit t = spike at step t of the cycle); labels: n ground
// truth labels, 0 = ignore (background, overlaps); K = objects + 1 >= 1.
// AMI follows sklearn on the foreground (an empty foreground gives 1.0, as
// sklearn does for two empty labelings).
cycle_metrics analyze_cycle(const std::uint16_t* trains, const std::int32_t* labels,
                            std::size_t n, int K, const cycle_options& opt = {});

// The same with the parameters spelled out.
inline cycle_metrics analyze_cycle(const std::uint16_t* trains, const std::int32_t* labels,
                                   std::size_t n, int K, double q_cluster, double q_syn,
                                   std::uint64_t seed, std::uint64_t sequence = 0) {
    cycle_options o;
    o.q_cluster = q_cluster;
    o.q_syn = q_syn;
    o.seed = seed;
    o.sequence = sequence;
    return analyze_cycle(trains, labels, n, K, o);
}

}  // namespace gust::analysis
