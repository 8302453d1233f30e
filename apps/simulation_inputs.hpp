#pragma once
// What `gust run` and `gust compare` both load: a validated model of any network, the image
// range of a split, and the batch built from them; under mpirun, each rank's
// share of the images (rank 0 also reads the rest, which its report holds).
#include <cstdint>
#include <string>

#include "apps/cli_common.hpp"
#include "apps/model_source.hpp"
#include "io/dataset_file.hpp"
#include "sim/communicator.hpp"
#include "sim/image_shares.hpp"
#include "sim/network_model.hpp"
#include "sim/simulation.hpp"

namespace gust::cli {

// The options `gust run` and `gust compare` share: which images, how long,
// with which draws, and how the work is spread (threads, partitions, ranks
// per image). One name, one default and one help text each.
struct simulation_flags {
    std::string data, split, images, rank_parts;
    int cycles = 30, threads = 0;
    std::size_t partitions = 1, population_ranks = 1;
    std::uint64_t seed = 1;
    void add(po::options_description& desc);
    // Once parsed: throws input_error naming the option whose value is out of range.
    static void check(const po::variables_map& vm);
    // The ranks whose parts the run's images place (load_simulation_inputs):
    // those of a group, or 1 for equal parts.
    std::size_t placed_ranks(std::size_t group_size) const { return rank_parts == "images" ? group_size : 1; }
};

struct simulation_inputs {
    network_model model;
    std::string model_path, data_path, split;
    std::size_t first = 0, count = 0;  // the run's images: [first, first + count) of the split
    image_set images;   // rank 0: all of them; other ranks read their shares (image_share_of)
    image_batch batch;  // points into images
    // Where each of the ranks that share an image begins its part of every
    // population (sim/rank_split.hpp), the same on every rank; empty alone.
    std::vector<double> rank_split;
};

// Throws input_error naming the file or option on any inconsistency. With
// `population_ranks` above 1 (every rank of the job passing the same),
// rank_split is drawn from the run's images on rank 0 and shared; with
// `rows`, only what that process needs of the model under that split is
// loaded.
simulation_inputs load_simulation_inputs(const model_source& source, const std::string& data_path,
                                         const std::string& split, const std::string& image_range,
                                         const communicator& job, const rank_share* rows = nullptr,
                                         std::size_t population_ranks = 1);

// Share `part` of `parts` (groups of ranks) of the run's images at positions
// [some.first, some.first + some.count): on rank 0 a part of in.batch,
// elsewhere read into `held`.
image_batch image_share_of(const simulation_inputs& in, image_share some, std::size_t part, std::size_t parts,
                           const communicator& job, image_set& held);

}  // namespace gust::cli
