#pragma once
// The read-out of one image (docs/model.md "Read-out and metrics"): for every
// cycle, K = objects + 1 clusters of all pixels' trains (k-medoids under
// Victor-Purpura at q), AMI against the ground truth on the foreground pixels
// and SynScore (silhouette at syn_q) of the foreground trains.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/spike_trains.hpp"

namespace gust::analysis {

struct readout_options {
    double q = 3.0;            // Victor-Purpura cost of the clustering
    double syn_q = 1.0 / 3.0;  // Victor-Purpura cost of SynScore
    std::uint64_t seed = 1;    // k-medoids++ key
    int restarts = 1;          // k-medoids++ seedings per cycle, the lowest total kept (the reference: 1)
};

struct image_readout {
    int K = 1;                          // clusters per cycle = objects + 1
    std::vector<std::int32_t> clusters; // cycles x pixels: cluster of every pixel in every cycle
    std::vector<double> ami;            // per cycle
    std::vector<double> synscore;       // per cycle; NaN where undefined (fewer than 2 foreground clusters)
    std::vector<double> active_synscore;  // per cycle: SynScore with silent pixels scored 0 (cycle_metrics.hpp)
};

// Objects of a label image: the largest label (labels are 1..n, 0 for
// background and overlaps), so a shape hidden entirely by overlaps still
// counts, as it was placed.
int count_objects(const std::vector<std::int32_t>& labels);

// The k-medoids sequence of cycle `cycle` of image `image_index` (its index
// in its split). It depends on nothing else, so an image's result does not
// depend on which other images are analysed, on how many cycles the report
// holds, or on the thread count. Cycles are numbered in blocks of the spec's
// 30-cycle read-out: image * 30 + cycle % 30 in the low word, cycle / 30 in
// the high word; so a 30-cycle report keeps the seedings of every figure
// published before cycles beyond 30 were keyed this way.
std::uint64_t readout_sequence(std::size_t image_index, int cycle);

// Every cycle of one image, each with readout_sequence(image_index, cycle).
image_readout read_out_image(const cycle_trains& trains, const std::vector<std::int32_t>& labels,
                             std::size_t image_index, const readout_options& opt);

}  // namespace gust::analysis
