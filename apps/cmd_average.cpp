// gust average: the parameter-wise mean of several models (weight averaging).
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "io/model_file.hpp"
#include "learning/model_average.hpp"
#include "sim/error.hpp"

namespace gust::cli {

int cmd_average(const args& a) {
    po::options_description desc("gust average options");
    desc.add_options()
        ("models", po::value<std::vector<std::string>>()->multitoken()->required(),
         "model files to average (two or more, one architecture)")
        ("out", po::value<std::string>()->required(), "model file to write (HDF5; written whole or not at all)");
    po::variables_map vm;
    if (!parse("average", "--models A.h5 B.h5 [...] --out MEAN.h5", desc, a, vm)) return exit_ok;
    const auto paths = vm["models"].as<std::vector<std::string>>();
    const std::string out = vm["out"].as<std::string>();
    if (paths.size() < 2) throw input_error("--models: give two or more model files to average");
    require_distinct_output(out, paths);
    std::vector<gust_model> models;
    for (const std::string& p : paths) models.push_back(read_model(p));
    write_model(out, learning::average_models(models, paths));
    std::cout << "wrote " << out << ": the mean of " << paths.size() << " models\n";
    return exit_ok;
}

}  // namespace gust::cli
