// gust sharpen: a model whose decoder output layer is scaled by --gain and
// shifted by --offset, c = sigmoid(gain * logit + offset) (learning/context_gain.hpp).
#include <cmath>
#include <iostream>
#include <string>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "io/model_file.hpp"
#include "learning/context_gain.hpp"

namespace gust::cli {

int cmd_sharpen(const args& a) {
    po::options_description desc("gust sharpen options");
    desc.add_options()
        ("model", po::value<std::string>()->required(), "trained model file (HDF5)")
        ("gain", in_interval<double>(nullptr, 0, 1e6, true, false)->required(),
         "factor on the decoder output layer's weights and biases (> 1 sharpens the context, < 1 softens it)")
        ("offset", in_range<double>(nullptr, -1e6, 1e6)->default_value(0.0), "added to the decoder output layer's biases after the gain")
        ("out", po::value<std::string>()->required(), "model file to write (HDF5; written whole or not at all)");
    po::variables_map vm;
    if (!parse("sharpen", "--model M.h5 --gain G [--offset S] --out OUT.h5", desc, a, vm)) return exit_ok;
    const std::string in = vm["model"].as<std::string>(), out = vm["out"].as<std::string>();
    const double gain = vm["gain"].as<double>(), offset = vm["offset"].as<double>();
    require_distinct_output(out, {in});
    write_model_file(out, learning::with_context_gain(read_model_file(in), gain, offset));
    std::cout << "wrote " << out << ": context = sigmoid(" << gain << " * logit " << (offset < 0 ? "- " : "+ ")
              << std::abs(offset) << ") of " << in << "\n";
    return exit_ok;
}

}  // namespace gust::cli
