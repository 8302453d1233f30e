// gust learning-curve: grouping over training. Each kept snapshot of a run
// (gust train --keep-every, --keep-every-batches), or each model given, reads
// out the same fresh test images as gust evaluate does; one CSV row per
// model, in training order.
#include <cstdio>
#include <iostream>

#include "analysis/model_grouping.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "apps/grouping_options.hpp"
#include "apps/progress.hpp"
#include "io/model_file.hpp"
#include "learning/trainer.hpp"

namespace gust::cli {

int cmd_learning_curve(const args& a) {
    po::options_description desc("gust learning-curve options");
    std::vector<std::string> models;
    std::string run_dir;
    test_image_flags test;
    protocol_flags protocol;
    desc.add_options()
        ("run", po::value<std::string>(&run_dir), "a gust train run folder: every model in its snapshots/, in training order")
        ("models", po::value<std::vector<std::string>>(&models)->multitoken(), "model files, in the order to report them");
    test.add(desc, "3");
    protocol.add(desc);
    po::variables_map vm;
    if (!parse("learning-curve", "(--run RUN_DIR | --models M.h5 ...) [options]", desc, a, vm)) return exit_ok;
    const auto shape_counts = test.shape_counts();
    if (shape_counts.size() != 1) throw input_error("--shapes " + test.shapes + ": learning-curve takes one shape count");
    const auto p = protocol.protocol();
    std::vector<std::pair<std::size_t, std::size_t>> when;  // (epoch, batch) of run snapshots
    if (!run_dir.empty()) {
        for (const auto& k : learning::run_files(run_dir).kept_snapshots()) {
            models.push_back(k.path);
            when.emplace_back(k.epoch, k.batch);
        }
        if (when.empty())
            throw input_error("--run " + run_dir + ": no snapshots/epoch_N.h5 (train with --keep-every 1)");
    }
    if (models.empty()) throw input_error("give the models: --run RUN_DIR or --models M.h5 ...");
    const std::vector<network_model> loaded = read_model_files(models, run_dir.empty() ? "--models" : "--run " + run_dir);
    const image_set images = analysis::fresh_shape_images(shape_counts[0], test.images, test.data_seed,
                                                          loaded[0].description.height, loaded[0].description.width);

    std::cout << "model,epoch,batch,images,ami_mean,ami_std,synscore_mean,synscore_std,active_synscore_mean,"
                 "active_synscore_std\n";
    progress bar("learning-curve", models.size());
    for (std::size_t k = 0; k < models.size(); ++k) {
        bar.start(models[k]);
        const analysis::model_grouping g = analysis::group_images(loaded[k], images, p);
        const auto& c = g.final_cycle();
        char line[200];
        std::snprintf(line, sizeof line, ",%s,%s,%zu,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n",
                      k < when.size() ? std::to_string(when[k].first).c_str() : "",
                      k < when.size() ? std::to_string(when[k].second).c_str() : "", c.images, c.ami_mean, c.ami_std,
                      c.synscore_mean, c.synscore_std, c.active_synscore_mean, c.active_synscore_std);
        std::cout << models[k] << line;
    }
    return exit_ok;
}

}  // namespace gust::cli
