#include "apps/model_source.hpp"

#include <filesystem>

#include "apps/option_values.hpp"
#include "apps/progress.hpp"
#include "core/error.hpp"
#include "core/machine_memory.hpp"
#include "io/fresh_model_file.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "sim/network_init.hpp"

namespace gust::cli {

void add_model_source_options(po::options_description& desc, model_source& src) {
    desc.add_options()
        ("model", po::value<std::string>(&src.model_path), "model file (HDF5, docs/formats.md)")
        ("network", po::value<std::string>(&src.network_path),
         "instead of --model: a network description (TOML, docs/network.md) whose fresh model is generated in "
         "memory, as gust init --network writes it")
        ("init-seed", at_least<std::uint64_t>(&src.init_seed, 0)->default_value(1),
         "with --network: the seed of its initialisation (gust init --seed)");
}

void check_model_source(const po::variables_map& vm, const model_source& src) {
    if (src.model_path.empty() == src.network_path.empty())
        throw input_error(src.model_path.empty() ? "--model: a model file or --network NET.toml is required"
                                                 : "--network: not with --model (one network at a time)");
    if (!vm["init-seed"].defaulted() && src.network_path.empty())
        throw input_error("--init-seed: only with --network (a model file has its weights)");
}

network_model read_model_file(const std::string& path) {
    byte_progress shown("reading " + path);
    return read_network_model(path, shown.callback());
}

std::vector<network_model> read_model_files(const std::vector<std::string>& paths, const std::string& option) {
    double bytes = 0;  // a model takes about its file's size in memory
    for (const std::string& p : paths) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(p, ec);
        if (!ec) bytes += double(size);  // a missing file is named by its reader
    }
    const memory_limit limit = process_memory_limit();
    if (bytes > limit.bytes)
        throw input_error(option + ": the " + std::to_string(paths.size()) + " model files take " + whole_gib(bytes) +
                          " GiB together, more than " + limit.described() + "; give fewer at a time");
    std::vector<network_model> models;
    for (const std::string& p : paths) models.push_back(read_model_file(p));
    return models;
}

void write_model_file(const std::string& path, const network_model& m) {
    byte_progress shown("writing " + path);
    write_network_model(path, m, shown.callback());
}

std::size_t write_fresh_model_file(const std::string& path, const network_model& unfilled, std::uint64_t seed) {
    byte_progress shown("writing " + path);
    return write_fresh_network_model(path, unfilled, seed, shown.callback());
}

double model_bytes(const model_source& src) {
    if (src.model_path.empty()) return weight_bytes(read_network_description(src.network_path));
    std::error_code ec;
    const auto size = std::filesystem::file_size(src.model_path, ec);
    return ec ? -1.0 : double(size);
}

namespace {

// A run holds about what its weights take in a model file (a synapse's value
// and 32-bit source there; in memory a 16-bit source, and the fan-out tables
// the event backend builds), or what a fresh model's weights would take.
void check_processes_fit(const model_source& src, const rank_share* share, std::size_t processes_here) {
    if (processes_here <= 1) return;  // one process: the reader and init_network check it
    const double whole = model_bytes(src);
    if (whole < 0) return;  // the reader names what is wrong with the file
    const double each = whole / double(share ? share->ranks : 1);
    const memory_limit limit = process_memory_limit();
    if (each * double(processes_here) <= limit.bytes) return;
    throw input_error(src.path() + ": the " + std::to_string(processes_here) +
                      " processes of this job on this machine would hold about " + whole_gib(each) + " GiB of it each, " +
                      whole_gib(each * double(processes_here)) + " GiB together, more than " + limit.described() +
                      "; start fewer per machine" +
                      (share ? std::string() : ", or split each image's populations over them (--population-ranks)"));
}

}  // namespace

network_model load_model(const model_source& src, const rank_share* share, std::size_t processes_here) {
    check_processes_fit(src, share, processes_here);
    if (share) {
        if (!src.model_path.empty()) return read_network_model_rows(src.model_path, *share);
        return init_network_rows(read_network_description(src.network_path), src.init_seed, src.network_path, *share);
    }
    if (!src.model_path.empty()) return read_model_file(src.model_path);
    return init_network(read_network_description(src.network_path), src.init_seed, src.network_path);
}

}  // namespace gust::cli
