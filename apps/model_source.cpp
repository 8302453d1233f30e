#include "apps/model_source.hpp"

#include "apps/option_values.hpp"
#include "apps/progress.hpp"
#include "core/error.hpp"
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

void write_model_file(const std::string& path, const network_model& m) {
    byte_progress shown("writing " + path);
    write_network_model(path, m, shown.callback());
}

network_model load_model(const model_source& src, const rank_share* share) {
    if (share) {
        if (!src.model_path.empty()) return read_network_model_rows(src.model_path, *share);
        return init_network_rows(read_network_description(src.network_path), src.init_seed, src.network_path, *share);
    }
    if (!src.model_path.empty()) return read_model_file(src.model_path);
    return init_network(read_network_description(src.network_path), src.init_seed, src.network_path);
}

}  // namespace gust::cli
