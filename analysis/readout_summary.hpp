#pragma once
// Per-cycle statistics of a read-out over many images: the honest measure the
// spec asks for (averages over test images, not one picked image).
#include <cstddef>
#include <vector>

#include "analysis/image_readout.hpp"

namespace gust::analysis {

struct cycle_summary {
    int cycle = 0;
    int step = 0;                 // steps simulated by the end of the cycle: (cycle + 1) * T
    std::size_t images = 0;       // images averaged for AMI
    double ami_mean = 0.0, ami_std = 0.0;
    std::size_t synscore_images = 0;  // images where SynScore is defined (not NaN)
    double synscore_mean = 0.0, synscore_std = 0.0;  // NaN when no image defines it
    double active_synscore_mean = 0.0, active_synscore_std = 0.0;  // over the same images
};

// Mean and population standard deviation (ddof = 0, numpy's default) per
// cycle over the images; SynScore over the images where it is defined. All
// read-outs must have the same number of cycles.
std::vector<cycle_summary> summarize(const std::vector<image_readout>& readouts, int T);

}  // namespace gust::analysis
