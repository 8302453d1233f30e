#pragma once
// The spike report of a simulation run (what `gust run` writes and the Python
// module's Run.save): one population image_<index> per image with its spikes
// (node id = neuron, timestamp = step), and the /gust extras: the run's
// metadata and each image's input and labels.
#include <vector>

#include "io/dataset_file.hpp"
#include "io/spike_report.hpp"
#include "sim/simulation.hpp"

namespace gust {

// records[i] are the spikes of images.images' i-th image.
spike_report run_report(const std::vector<image_record>& records, const image_set& images, run_metadata meta);

}  // namespace gust
