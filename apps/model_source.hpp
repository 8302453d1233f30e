#pragma once
// Where `gust run` and `gust compare` take their network from: a model file
// (--model), or a network description whose fresh model is generated in
// memory (--network, --init-seed), as `gust init --network` would write it.
// The second spares a network of a billion synapses its 8 GB model file.
// Every command reads and writes model files through here, showing progress.
#include <cstdint>
#include <string>
#include <vector>

#include "apps/cli_common.hpp"
#include "sim/network_model.hpp"
#include "sim/rank_share.hpp"

namespace gust::cli {

struct model_source {
    std::string model_path, network_path;
    std::uint64_t init_seed = 1;

    // The file named in messages and refused as an output.
    const std::string& path() const { return model_path.empty() ? network_path : model_path; }
    // What a report records as its model: the file, or "NET.toml, init seed S".
    std::string describe() const {
        return model_path.empty() ? network_path + ", init seed " + std::to_string(init_seed) : model_path;
    }
};

void add_model_source_options(po::options_description& desc, model_source& src);

// read_network_model and write_network_model with their progress on the
// terminal (apps/progress.hpp): a model of a billion synapses is 8 GB.
network_model read_model_file(const std::string& path);
// Several model files held at once (averaged, compared, chosen among), each
// read as above; refused before the first is read, naming `option`, when
// together they exceed this machine's memory.
std::vector<network_model> read_model_files(const std::vector<std::string>& paths, const std::string& option);
void write_model_file(const std::string& path, const network_model& m);
// A fresh model (init_network_unfilled's, of `seed`) written as its stored
// sparse sets are drawn, a block of rows at a time: the bytes
// write_model_file writes of the model drawn whole. Returns the synapses
// written (of a procedural set, those its rule expects).
std::size_t write_fresh_model_file(const std::string& path, const network_model& unfilled, std::uint64_t seed);

// About what the whole model takes in memory, for weighing a job before it
// is read or drawn: a fresh model's weight sets, or the size of its file (a
// synapse's value and 32-bit source there, a 16-bit source in memory, and
// the fan-out tables the event backend builds); -1 when the file cannot be
// asked (its reader says why).
double model_bytes(const model_source& src);

// Throws input_error unless exactly one of --model and --network is given,
// and --init-seed only with --network.
void check_model_source(const po::variables_map& vm, const model_source& src);

// The whole model, or only what the process of `share` needs of it: its
// stored sparse weight sets hold only the rows it uses (sim/held_rows.hpp).
// Refused before anything is read or drawn when `processes_here` processes
// on this machine, each loading such a part, could not hold them together.
network_model load_model(const model_source& src, const rank_share* share = nullptr, std::size_t processes_here = 1);

}  // namespace gust::cli
