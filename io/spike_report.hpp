#pragma once
// SONATA spike reports (docs/formats.md "Spike reports") with the /gust extras: one population
// per image ("image_<index>"), node id = pixel index, timestamp = global step
// (dt = 1 ms), sorted by time. Readers of plain SONATA files ignore /gust.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gust {

struct spike_population {
    std::string name;
    std::vector<double> timestamps;      // ms
    std::vector<std::uint64_t> node_ids;
};

struct image_extras {
    std::size_t index = 0;             // index in its split
    std::vector<float> input;          // height x width, as fed to the network
    std::vector<float> labels;         // height x width; empty if unknown
};

struct run_metadata {
    int T = 10, cycles = 30;
    std::uint64_t seed = 0;
    std::string backend, split, data_file, model_file;
    std::size_t height = 0, width = 0;
};

struct spike_report {
    std::vector<spike_population> populations;
    std::optional<run_metadata> meta;  // the /gust extras, if present
    std::vector<image_extras> images;  // parallel to populations when meta is set
};

// Writes atomically. Populations must be sorted by time.
void write_spike_report(const std::string& path, const spike_report& r);

// Reads any SONATA spike file (ours or another simulator's); the /gust extras
// are read when present. Throws input_error on inconsistent content.
spike_report read_spike_report(const std::string& path);

}  // namespace gust
