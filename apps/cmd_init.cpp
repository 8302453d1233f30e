// gust init: a fresh paper-architecture model (PyTorch's default init).
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "io/model_file.hpp"

namespace gust::cli {

int cmd_init(const args& a) {
    po::options_description desc("gust init options");
    model_sizes s;
    std::uint64_t seed = 1;
    desc.add_options()
        ("out", po::value<std::string>()->required(), "model file to write (HDF5)")
        ("seed", po::value<std::uint64_t>(&seed)->default_value(1), "random seed of the initialisation")
        ("height", po::value<std::size_t>(&s.height)->default_value(28), "image height")
        ("width", po::value<std::size_t>(&s.width)->default_value(28), "image width")
        ("hidden", po::value<std::size_t>(&s.hidden)->default_value(400), "hidden units H (delay-line width)")
        ("inner", po::value<std::size_t>(&s.inner)->default_value(512), "width M of the inner ANN layers")
        ("cycle", po::value<int>(&s.T)->default_value(10), "steps per cycle T");
    po::variables_map vm;
    if (!parse("init", "--out MODEL.h5 [--seed S] [sizes]", desc, a, vm)) return exit_ok;
    for (const char* o : {"height", "width", "hidden", "inner", "cycle"}) require_positive(vm, o);
    const std::string out = vm["out"].as<std::string>();
    write_model(out, init_model(s, seed));
    std::cout << "wrote " << out << " (" << s.height << "x" << s.width << " pixels, M = " << s.inner
              << ", H = " << s.hidden << ", T = " << s.T << ", seed " << seed << ")\n";
    return exit_ok;
}

}  // namespace gust::cli
