// gust average: the parameter-wise mean of several models (weight averaging),
// or their weighted mean (interpolation, extrapolation of a step).
#include <algorithm>
#include <charconv>
#include <iostream>
#include <string>
#include <vector>

#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "io/model_file.hpp"
#include "learning/model_average.hpp"
#include "core/error.hpp"

namespace gust::cli {
namespace {

// "2,-1" -> {2, -1}; every item must be a number (std::from_chars, as
// the other numeric options); finiteness is weighted_models' to check.
std::vector<double> parse_weights(const std::string& text) {
    std::vector<double> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const char *first = text.data() + start, *last = text.data() + comma;
        double w = 0;
        const auto [end, ec] = std::from_chars(first, last, w);
        if (first == last || ec != std::errc() || end != last)
            throw input_error("--weights " + text + ": '" + std::string(first, last) + "' is not a number");
        out.push_back(w);
        if (comma == text.size()) return out;
        start = comma + 1;
    }
}

}  // namespace

int cmd_average(const args& a) {
    po::options_description desc("gust average options");
    desc.add_options()
        ("models", po::value<std::vector<std::string>>()->multitoken()->required(),
         "model files to average (two or more, one architecture)")
        ("weights", po::value<std::string>(),
         "one weight per model, comma-separated: the weighted mean sum w_k m_k / sum w_k instead of the plain mean; "
         "negative weights extrapolate (--models A B --weights 2,-1 takes the step from B to A once more; write "
         "--weights=-1,2 when the first is negative)")
        ("out", po::value<std::string>()->required(), "model file to write (HDF5; written whole or not at all)");
    po::variables_map vm;
    if (!parse("average", "--models A.h5 B.h5 [...] [--weights WA,WB,...] --out MEAN.h5", desc, a, vm)) return exit_ok;
    const auto paths = vm["models"].as<std::vector<std::string>>();
    const std::string out = vm["out"].as<std::string>();
    if (paths.size() < 2) throw input_error("--models: give two or more model files to average");
    require_distinct_output(out, paths);
    const std::vector<network_model> models = read_model_files(paths, "--models");
    const bool weighted = vm.count("weights") > 0;
    write_model_file(out, weighted ? learning::weighted_models(models, parse_weights(vm["weights"].as<std::string>()), paths)
                           : learning::average_models(models, paths));
    std::cout << "wrote " << out << ": the " << (weighted ? "weighted " : "") << "mean of " << paths.size() << " models\n";
    return exit_ok;
}

}  // namespace gust::cli
