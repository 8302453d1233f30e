#pragma once
// What `gust run` and `gust compare` both load: a validated model of any network, the image
// range of a split, and the batch built from them.
#include <string>

#include "apps/cli_common.hpp"
#include "io/dataset_file.hpp"
#include "sim/network_model.hpp"
#include "sim/simulation.hpp"

namespace gust::cli {

struct simulation_inputs {
    network_model model;
    image_set images;
    image_batch batch;  // points into images
};

// Throws input_error naming the file or option on any inconsistency.
simulation_inputs load_simulation_inputs(const std::string& model_path, const std::string& data_path,
                                         const std::string& split, const std::string& image_range);

}  // namespace gust::cli
