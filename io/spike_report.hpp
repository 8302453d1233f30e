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
    int T = 10;
    int cycles = 30;  // 0 when the file does not say: as far as the spikes reach
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

// The image index of a population named image_<index> (gust run's naming),
// or nothing for any other name (including digits that overflow).
std::optional<std::size_t> image_index_in_name(const std::string& name);

// Reads any SONATA spike file (ours or another simulator's); the /gust extras
// are read when present. Throws input_error on inconsistent content.
spike_report read_spike_report(const std::string& path);

}  // namespace gust
