#pragma once
// The files `gust analyze` writes (docs/formats.md "assignments.h5"):
// metrics.csv (one row per image and cycle), summary.csv (mean and std per
// cycle over images) and assignments.h5 (every pixel's cluster in every cycle
// plus the ground truth, enough to recompute every metric).
//
// The writers write to the path they are given; callers that need atomic
// output pass an atomic_file's temporary name and commit all files together.
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/image_readout.hpp"
#include "analysis/readout_summary.hpp"

namespace gust {

struct analysed_image {
    std::size_t index = 0;               // index in its split (population image_<index>)
    std::vector<std::int32_t> labels;    // height * width ground truth, 0 = background/overlap
    std::vector<float> input;            // height * width image as fed to the network; may be empty
    analysis::image_readout readout;
};

struct readout_info {
    int T = 10, cycles = 0;
    std::size_t height = 0, width = 0;
    analysis::readout_options options;
    std::string spikes_file;
    std::string label_source;  // where the ground truth came from
};

void write_metrics_csv(const std::string& path, const readout_info& info,
                       const std::vector<analysed_image>& images);
void write_summary_csv(const std::string& path, const std::vector<analysis::cycle_summary>& summary);
// The same table, aligned for a terminal.
void print_summary(std::ostream& os, const std::vector<analysis::cycle_summary>& summary);
void write_assignments(const std::string& path, const readout_info& info,
                       const std::vector<analysed_image>& images);

}  // namespace gust
