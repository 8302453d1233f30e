// gust select: chooses among models (a training run's snapshots) by their
// grouping of the run's own validation images, never test images: by
// default the active SynScore of the final cycle, which needs no object
// labels (a pixel's label only says whether it lies on one shape, never on
// which). Prints one CSV row per model, the choice on stderr, and with --out
// writes the chosen model.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "analysis/model_grouping.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "apps/grouping_options.hpp"
#include "apps/model_choice.hpp"
#include "apps/progress.hpp"
#include "io/model_file.hpp"
#include "learning/trainer.hpp"

namespace gust::cli {

int cmd_select(const args& a) {
    po::options_description desc("gust select options");
    std::vector<std::string> models;
    std::string run_dir, out, criterion;
    validation_flags validation;
    protocol_flags protocol;
    desc.add_options()
        ("models", po::value<std::vector<std::string>>(&models)->multitoken(), "model files to choose among")
        ("run", po::value<std::string>(&run_dir), "a gust train run folder: choose among its snapshots/ (and best.h5, last.h5)")
        ("criterion", po::value<std::string>(&criterion)->default_value("active_synscore"),
         "what to maximise: active_synscore (label-free, default), synscore, or ami (uses object labels)")
        ("out", po::value<std::string>(&out), "write the chosen model here");
    validation.add(desc);
    protocol.add(desc);
    po::variables_map vm;
    if (!parse("select", "--data DATA.h5 (--run RUN_DIR | --models M.h5 ...) [--out BEST.h5] [options]", desc, a, vm))
        return exit_ok;
    const auto measure = analysis::parse_grouping_measure(criterion, "--criterion");
    const auto p = protocol.protocol();
    if (!run_dir.empty()) {
        const learning::run_files files(run_dir);
        for (const auto& k : files.kept_snapshots()) models.push_back(k.path);
        for (const auto* f : {&files.best, &files.last})
            if (std::filesystem::is_regular_file(*f)) models.push_back(*f);
        if (models.empty()) throw input_error("--run " + run_dir + ": holds no snapshots/, best.h5 or last.h5");
    }
    if (models.empty()) throw input_error("give the models to choose among: --models M.h5 ... or --run RUN_DIR");
    std::vector<std::string> inputs = models;
    inputs.push_back(validation.data);
    if (!out.empty()) require_distinct_output(out, inputs);
    // Every model checked before minutes of work.
    const std::vector<network_model> loaded = read_model_files(models, run_dir.empty() ? "--models" : "--run " + run_dir);
    const image_set images = validation.load();

    std::cout << "model,images,ami_mean,synscore_mean,active_synscore_mean\n";
    model_choice best(measure);
    progress bar("select", models.size());
    for (std::size_t k = 0; k < models.size(); ++k) {
        bar.start(models[k]);
        const auto g = analysis::group_images(loaded[k], images, p);
        print_grouping_row(std::cout, models[k], g.final_cycle());
        best.offer(k, g.final_cycle());
    }
    if (!out.empty()) write_model_file(out, loaded[best.index()]);
    best.report(std::cerr, validation_flags::describe(images, validation.data), models[best.index()]);
    if (!out.empty()) std::cerr << "wrote " << out << "\n";
    return exit_ok;
}

}  // namespace gust::cli
