// gust compare-models: whether model A groups better than model B. Both read
// out the same fresh test images (same draws); per shape count it prints each
// model's mean final-cycle AMI and active SynScore, the mean paired
// difference A - B with its standard error, and the per-image correlation.
// --out writes the per-image values as CSV.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/model_grouping.hpp"
#include "analysis/paired_difference.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "apps/grouping_options.hpp"
#include "apps/progress.hpp"
#include "io/atomic_file.hpp"
#include "io/model_file.hpp"

namespace gust::cli {

namespace {

void print_difference(std::ostream& os, const char* what, const analysis::paired_difference& d) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "  %-16s A %.3f, B %.3f; A - B %+.4f +- %.4f (standard error of the paired difference, %zu images); "
                  "per-image correlation %.3f\n",
                  what, d.mean_a, d.mean_b, d.mean_diff, d.std_error, d.n, d.correlation);
    os << line;
}

}  // namespace

int cmd_compare_models(const args& a) {
    po::options_description desc("gust compare-models options");
    std::string path_a, path_b, out;
    test_image_flags test;
    protocol_flags protocol;
    desc.add_options()
        ("model-a", po::value<std::string>(&path_a)->required(), "model A (HDF5)")
        ("model-b", po::value<std::string>(&path_b)->required(), "model B (HDF5), same image size as A")
        ("out", po::value<std::string>(&out), "also write per-image final-cycle values as CSV");
    test.images = 1000;
    test.add(desc, "3");
    protocol.add(desc);
    po::variables_map vm;
    if (!parse("compare-models", "--model-a A.h5 --model-b B.h5 [options]", desc, a, vm)) return exit_ok;
    const auto shape_counts = test.shape_counts();
    const auto p = protocol.protocol();
    if (!out.empty()) require_distinct_output(out, {path_a, path_b});
    std::vector<network_model> models = read_model_files({path_a, path_b}, "--model-a and --model-b");
    const network_model &model_a = models[0], &model_b = models[1];
    const network_description &da = model_a.description, &db = model_b.description;
    if (da.height != db.height || da.width != db.width)
        throw input_error("--model-b " + path_b + ": its images are " + std::to_string(db.height) + "x" +
                          std::to_string(db.width) + ", model A's " + std::to_string(da.height) + "x" +
                          std::to_string(da.width));

    std::ostringstream csv;
    csv << "shapes,image,ami_a,ami_b,active_synscore_a,active_synscore_b\n";
    progress bar("compare-models", 2 * shape_counts.size());
    for (std::size_t shapes : shape_counts) {
        const image_set images =
            analysis::fresh_shape_images(shapes, test.images, test.data_seed, da.height, da.width);
        bar.start("model A, " + std::to_string(shapes) + " shapes");
        const auto ga = analysis::group_images(model_a, images, p);
        bar.start("model B, " + std::to_string(shapes) + " shapes");
        const auto gb = analysis::group_images(model_b, images, p);
        using analysis::grouping_measure;
        const auto ami_a = final_values(ga, grouping_measure::ami), ami_b = final_values(gb, grouping_measure::ami);
        const auto act_a = final_values(ga, grouping_measure::active_synscore),
                   act_b = final_values(gb, grouping_measure::active_synscore);
        std::cout << shapes << " shapes, " << images.count << " images (seed " << test.data_seed
                  << "), final cycle:\n";
        print_difference(std::cout, "AMI", analysis::compare_paired(ami_a, ami_b));
        print_difference(std::cout, "active SynScore", analysis::compare_paired(act_a, act_b));
        csv.precision(6);
        for (std::size_t i = 0; i < images.count; ++i)
            csv << shapes << ',' << images.indices[i] << ',' << ami_a[i] << ',' << ami_b[i] << ',' << act_a[i] << ','
                << act_b[i] << '\n';
    }
    if (!out.empty()) {
        atomic_file file(out);
        std::ofstream f(file.temp_path());
        f << csv.str();
        f.close();
        if (!f) throw input_error(out + ": cannot write (is the disk full?)");
        file.commit();
        std::cout << "per-image values -> " << out << "\n";
    }
    return exit_ok;
}

}  // namespace gust::cli
