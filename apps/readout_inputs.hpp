#pragma once
// What `gust analyze` loads: a SONATA spike report, the ground-truth label
// image of every population (from the report's /gust extras, or from a data
// set with --labels/--split), and each image's spikes cut into cycle trains.
// Everything is validated here, before any output exists.
#include <string>
#include <vector>

#include "analysis/spike_trains.hpp"
#include "analysis/readout_report.hpp"

namespace gust::cli {

struct readout_inputs {
    readout_info info;                          // T, cycles, height, width, files
    std::vector<analysed_image> images;         // index, labels, input; readout still empty
    std::vector<analysis::cycle_trains> trains;  // parallel to images
};

// How spike populations map to images: by their names image_<index>, by
// their order in the file (the k-th is image first_index + k), or by name
// when every population is so named and by order otherwise.
enum class population_match { automatic, by_name, by_order };
population_match parse_population_match(const std::string& name);

// labels_path empty: labels come from the spike file's /gust extras. Throws
// input_error naming the file, population or option on any problem (missing
// labels, node ids beyond the image, bad times, mismatched sizes, an --images
// range that selects nothing).
readout_inputs load_readout_inputs(const std::string& spikes_path, const std::string& labels_path,
                                   const std::string& split, const std::string& image_range,
                                   population_match match = population_match::automatic, std::size_t first_index = 0);

}  // namespace gust::cli
