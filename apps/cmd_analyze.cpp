// gust analyze: the spec's read-out of a SONATA spike report. For every image
// and cycle, K = objects + 1 clusters of all pixels' trains (k-medoids under
// Victor-Purpura), AMI against the ground truth and SynScore; writes
// metrics.csv, summary.csv, assignments.h5 and, with --figures, PNG figures.
// All outputs appear together or not at all.

#include <cmath>
#include <filesystem>
#include <iostream>

#include "analysis/model_grouping.hpp"
#include "analysis/readout_summary.hpp"
#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "apps/grouping_options.hpp"
#include "apps/readout_inputs.hpp"
#include "apps/readout_outputs.hpp"
#include "io/output_folder.hpp"
#include "analysis/readout_report.hpp"
#include "core/error.hpp"

namespace gust::cli {

namespace fs = std::filesystem;

int cmd_analyze(const args& a) {
    po::options_description desc("gust analyze options");
    std::string spikes, out_dir, images, labels, split, match;
    std::size_t first_index = 0;
    readout_flags readout;
    int threads = 0;
    bool figures = false;
    desc.add_options()
        ("spikes", po::value<std::string>(&spikes)->required(), "SONATA spike report (e.g. from gust run)")
        ("out-dir", po::value<std::string>(&out_dir)->required(), "folder for metrics.csv, summary.csv, assignments.h5, figures/")
        ("images", po::value<std::string>(&images)->default_value("all"), "image indices A:B (A..B-1), A:, A or all")
        ("threads", in_range<int>(&threads, 0, max_threads)->default_value(0), "worker threads (0 = all cores); results never depend on it")
        ("figures", po::bool_switch(&figures), "also write PNG figures to OUT_DIR/figures")
        ("labels", po::value<std::string>(&labels), "data set with the ground truth, for spike files without /gust labels")
        ("split", po::value<std::string>(&split)->default_value("test"), "split of --labels")
        ("match", po::value<std::string>(&match)->default_value("auto"),
         "how populations map to images: name (image_<index>), order (the k-th population in the file is image "
         "--first-index + k), or auto (name when every population is named image_<index>)")
        ("first-index", in_range<std::size_t>(&first_index, 0, max_images)->default_value(0),
         "with --match order: the image index of the file's first population");
    readout.add(desc, "seed");
    po::variables_map vm;
    if (!parse("analyze", "--spikes SPIKES.h5 --out-dir DIR [options]", desc, a, vm)) return exit_ok;
    require_nonnegative(vm, "threads");
    const analysis::readout_options opt = readout.options();
    // No check that --out-dir differs from the inputs is needed: an existing
    // file is never taken as the output folder (output_folder refuses it).

    readout_inputs in = load_readout_inputs(spikes, labels, split, images, parse_population_match(match), first_index);
    in.info.options = opt;
    const readout_info& info = in.info;
    const std::size_t n_images = in.images.size();

    output_folder out(out_dir, "--out-dir");
    analysis::read_out_all(in.images, in.trains, opt, threads);
    std::vector<analysis::image_readout> readouts;
    readouts.reserve(n_images);
    for (const auto& im : in.images) readouts.push_back(im.readout);
    const auto summary = analysis::summarize(readouts, info.T);
    write_readout_files(out, "", info, in.images, in.trains, summary, figures, threads);
    out.commit();

    print_summary(std::cout, summary);
    warn_if_clusters_exceed_phases(std::cerr, in.images, info.T);
    std::cout << "analysed " << n_images << (n_images == 1 ? " image" : " images") << " x " << info.cycles
              << " cycles (q " << opt.q << ", SynScore q " << opt.syn_q << ", labels from " << info.label_source
              << ") -> " << out_dir << "/{metrics.csv,summary.csv,assignments.h5"
              << (figures ? ",figures/" : "") << "}\n";
    return exit_ok;
}

}  // namespace gust::cli
