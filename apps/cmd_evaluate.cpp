// gust evaluate: how well a model groups fresh test images with 2, 3 and 4
// shapes (by default), each simulated for 30 cycles and read out as gust
// analyze does; prints the final cycle's AMI, SynScore and active SynScore
// per shape count, and with --out-dir writes every read-out's files plus a
// summary.csv of the final cycles. The images are generated in memory from
// --data-seed: choose a seed no earlier choice has seen.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "analysis/model_grouping.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "apps/grouping_options.hpp"
#include "apps/progress.hpp"
#include "apps/readout_outputs.hpp"
#include "io/model_file.hpp"
#include "io/output_folder.hpp"

namespace gust::cli {

namespace {

void print_final(std::ostream& os, std::size_t shapes, const analysis::cycle_summary& c) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%zu shapes: final cycle (step %d): AMI %.3f +- %.3f, SynScore %.3f +- %.3f, active SynScore %.3f +- "
                  "%.3f over %zu images\n",
                  shapes, c.step, c.ami_mean, c.ami_std, c.synscore_mean, c.synscore_std, c.active_synscore_mean,
                  c.active_synscore_std, c.images);
    os << line;
}

}  // namespace

int cmd_evaluate(const args& a) {
    po::options_description desc("gust evaluate options");
    std::string model_path, out_dir;
    bool figures = false;
    test_image_flags test;
    protocol_flags protocol;
    desc.add_options()
        ("model", po::value<std::string>(&model_path)->required(), "model file (HDF5)")
        ("out-dir", po::value<std::string>(&out_dir), "also write objects_<n>/{metrics.csv,summary.csv,assignments.h5} and summary.csv here")
        ("figures", po::bool_switch(&figures), "with --out-dir: also write each read-out's PNG figures");
    test.add(desc, "2,3,4");
    protocol.add(desc);
    po::variables_map vm;
    if (!parse("evaluate", "--model M.h5 [--out-dir DIR] [options]", desc, a, vm)) return exit_ok;
    const auto shape_counts = test.shape_counts();
    const auto p = protocol.protocol();
    if (figures && out_dir.empty()) throw input_error("--figures needs --out-dir");
    const network_model model = read_model_file(model_path);
    const network_description& d = model.description;

    std::optional<output_folder> out;
    if (!out_dir.empty()) out.emplace(out_dir, "--out-dir");
    std::ostringstream table;
    table << "shapes,images,cycle,step,ami_mean,ami_std,synscore_images,synscore_mean,synscore_std,"
             "active_synscore_mean,active_synscore_std\n"
          << std::setprecision(6) << std::fixed;
    progress bar("evaluate", shape_counts.size());
    for (std::size_t shapes : shape_counts) {
        bar.start(std::to_string(shapes) + " shapes, " + std::to_string(test.images) + " images");
        const image_set images = analysis::fresh_shape_images(shapes, test.images, test.data_seed, d.height, d.width);
        analysis::model_grouping g = analysis::group_images(model, images, p);
        g.info.spikes_file = "(simulated in memory by gust evaluate)";
        g.info.label_source = "shapes data set, seed " + std::to_string(test.data_seed) + ", " +
                              std::to_string(shapes) + " shapes";
        const auto& c = g.final_cycle();
        print_final(std::cout, shapes, c);
        warn_if_clusters_exceed_phases(std::cerr, g.images, d.cycle);
        table << shapes << ',' << c.images << ',' << c.cycle << ',' << c.step << ',' << c.ami_mean << ',' << c.ami_std
              << ',' << c.synscore_images << ',' << c.synscore_mean << ',' << c.synscore_std << ','
              << c.active_synscore_mean << ',' << c.active_synscore_std << '\n';
        if (out)
            write_readout_files(*out, "objects_" + std::to_string(shapes), g.info, g.images, g.trains, g.summary,
                                figures, p.threads);
    }
    if (out) {
        out->write("summary.csv", [&](const std::string& path) {
            std::ofstream f(path);
            f << table.str();
            f.close();
            if (!f) throw input_error(path + ": cannot write (is the disk full?)");
        });
        out->commit();
        std::cout << "per-cycle means: " << out_dir << "/objects_<n>/summary.csv; final cycles: " << out_dir
                  << "/summary.csv\n";
    }
    return exit_ok;
}

}  // namespace gust::cli
