// gust init: a fresh paper-architecture model (PyTorch's default init).
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "io/model_file.hpp"

namespace gust::cli {

int cmd_init(const args& a) {
    po::options_description desc("gust init options");
    model_sizes s;
    std::uint64_t seed = 1;
    desc.add_options()
        ("out", po::value<std::string>()->required(), "model file to write (HDF5)")
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
    if (!parse("init", "--out MODEL.h5 [--seed S] [sizes]", desc, a, vm)) return exit_ok;
    for (const char* o : {"height", "width", "hidden", "inner", "cycle"}) require_positive(vm, o);
    const std::string out = vm["out"].as<std::string>();
    const gust_model m = init_model(s, seed);
    write_model(out, m);
    std::size_t synapses = 0;
    for (const linear_layer* l : {&m.enc1, &m.enc2, &m.dec1, &m.dec2}) synapses += l->weight.size();
    std::cout << "wrote " << out << " (" << s.height << "x" << s.width << " pixels, M = " << s.inner
              << ", H = " << s.hidden << ", T = " << s.T << ", " << synapses << " synapses"
              << (s.sparse_fan_in ? ", sparse fan-in " + std::to_string(s.sparse_fan_in) : std::string())
              << (s.receptive_field ? ", receptive field " + std::to_string(s.receptive_field) : std::string())
              << ", seed " << seed << ")\n";
    return exit_ok;
}

}  // namespace gust::cli
