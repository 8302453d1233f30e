// gust init: a fresh model of a network description (--network net.toml), or
// of the paper network at the sizes given (PyTorch's default initialisation),
// its stored sparse sets drawn a block of rows at a time as they are written.
#include <algorithm>
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "core/error.hpp"
#include "io/network_toml.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

namespace gust::cli {

int cmd_init(const args& a) {
    po::options_description desc("gust init options");
    model_sizes s;
    std::uint64_t seed = 1;
    desc.add_options()
        ("out", po::value<std::string>()->required(),
         "model file to write (HDF5), drawn as it is written: a network of any size in little memory")
        ("network", po::value<std::string>(), "network description (TOML, docs/network.md); without it, the paper "
                                              "network at the sizes below")
        ("seed", at_least<std::uint64_t>(&seed, 0)->default_value(1), "random seed of the initialisation")
        ("height", in_range<std::size_t>(&s.height, 1, 4096)->default_value(28), "image height")
        ("width", in_range<std::size_t>(&s.width, 1, 4096)->default_value(28), "image width")
        ("hidden", in_range<std::size_t>(&s.hidden, 1, 16777216)->default_value(400), "hidden units H (delay-line width)")
        ("inner", in_range<std::size_t>(&s.inner, 1, 16777216)->default_value(512), "width M of the inner ANN layers")
        ("cycle", in_range<int>(&s.T, 1, 1000)->default_value(10), "steps per cycle T")
        ("sparse-fan-in", in_range<std::size_t>(&s.sparse_fan_in, 0, 16777216)->default_value(0),
         "0: dense layers (the paper); K: every unit of every layer gets K random inputs (CSR)")
        ("receptive-field", in_range<std::size_t>(&s.receptive_field, 0, 4096)->default_value(0),
         "with --sparse-fan-in: 0 draws inputs from the whole layer; R from the units within R cells of "
         "the unit on its layer's grid (local, retinotopic connectivity)");
    po::variables_map vm;
    if (!parse("init", "--out MODEL.h5 [--network NET.toml | sizes] [--seed S]", desc, a, vm)) return exit_ok;
    const std::string out = vm["out"].as<std::string>();
    network_description d;
    std::string origin = "model";
    if (vm.count("network")) {
        for (const char* o : {"height", "width", "hidden", "inner", "cycle", "sparse-fan-in", "receptive-field"})
            if (!vm[o].defaulted())
                throw input_error(std::string("--") + o + ": the network description sets the sizes; not with --network");
        origin = vm["network"].as<std::string>();
        require_distinct_output(out, {origin});
        d = read_network_description(origin);
    } else {
        for (const char* o : {"height", "width", "hidden", "inner", "cycle"}) require_positive(vm, o);
        if (s.receptive_field > 0 && s.sparse_fan_in == 0)
            throw input_error("--receptive-field needs --sparse-fan-in");
        d = paper_description(s);
    }
    // Drawn as it is written: a model of any size needs the memory of its
    // dense sets, biases and row offsets, and of a block of rows.
    const std::size_t synapses = write_fresh_model_file(out, init_network_unfilled(d, seed, origin), seed);
    std::cout << "wrote " << out << " (" << d.height << "x" << d.width << " image, T = " << d.cycle << ";";
    for (const auto& p : d.populations) std::cout << " " << p.name << " " << p.size;
    const bool expected = std::any_of(d.projections.begin(), d.projections.end(),
                                      [](const projection_spec& pr) { return pr.procedural; });
    std::cout << "; " << synapses << (expected ? " synapses (procedural sets: expected)" : " synapses") << ", seed "
              << seed << ")\n";
    return exit_ok;
}

}  // namespace gust::cli
