// gust fit-context: sharpens a trained model's context, c = sigmoid(gain *
// logit + offset) (learning/context_gain.hpp), with the gain and offset
// chosen on a grid by the grouping of the training run's own validation
// images: by default the active SynScore, which needs no object labels. The
// training loss cannot choose them (it prefers a softer context), nor can
// plain SynScore (it rises while shapes fall silent). Prints one CSV row per
// grid point, the choice on stderr, and writes the chosen model to --out.
#include <iostream>
#include <sstream>

#include "analysis/model_grouping.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "sim/paper_network.hpp"
#include "apps/grouping_options.hpp"
#include "apps/model_choice.hpp"
#include "apps/progress.hpp"
#include "io/model_file.hpp"
#include "learning/context_gain.hpp"

namespace gust::cli {

int cmd_fit_context(const args& a) {
    po::options_description desc("gust fit-context options");
    std::string model_path, out, criterion, gains_text, offsets_text;
    validation_flags validation;
    protocol_flags protocol;
    desc.add_options()
        ("model", po::value<std::string>(&model_path)->required(), "trained model file (HDF5)")
        ("out", po::value<std::string>(&out)->required(), "write the sharpened model here")
        ("gains", po::value<std::string>(&gains_text)->default_value("1.0,1.1,1.2,1.3,1.4,1.5"), "gains to try, comma-separated, each > 0")
        ("offsets", po::value<std::string>(&offsets_text)->default_value("0,0.3,0.6,0.9,1.2,1.5"), "offsets to try, comma-separated")
        ("criterion", po::value<std::string>(&criterion)->default_value("active_synscore"),
         "what to maximise: active_synscore (label-free, default), or ami (uses object labels)");
    validation.add(desc);
    protocol.add(desc);
    po::variables_map vm;
    if (!parse("fit-context", "--model M.h5 --data DATA.h5 --out OUT.h5 [options]", desc, a, vm)) return exit_ok;
    const auto measure = analysis::parse_grouping_measure(criterion, "--criterion");
    if (measure == analysis::grouping_measure::synscore)
        throw input_error("--criterion synscore: SynScore rises as shapes fall silent, so it cannot choose a gain; "
                          "use active_synscore");
    const auto gains = parse_number_list(gains_text, "gains"), offsets = parse_number_list(offsets_text, "offsets");
    for (double g : gains)
        if (!(g > 0)) throw input_error("--gains " + gains_text + ": every gain must be > 0");
    const auto p = protocol.protocol();
    require_distinct_output(out, {model_path, validation.data});
    const network_model model = read_model_file(model_path);
    const image_set images = validation.load();

    std::cout << "gain,offset,images,ami_mean,synscore_mean,active_synscore_mean\n";
    model_choice best(measure);
    std::vector<std::pair<double, double>> grid;
    progress bar("fit-context", gains.size() * offsets.size());
    for (double g : gains)
        for (double s : offsets) {
            std::ostringstream name;
            name << g << ',' << s;
            bar.start("gain " + std::to_string(g) + ", offset " + std::to_string(s));
            const auto r = analysis::group_images(learning::with_context_gain(model, g, s), images, p);
            print_grouping_row(std::cout, name.str(), r.final_cycle());
            best.offer(grid.size(), r.final_cycle());
            grid.emplace_back(g, s);
        }
    const auto [g, s] = grid[best.index()];
    std::ostringstream chosen;
    chosen << "gain " << g << ", offset " << s;
    write_model_file(out, learning::with_context_gain(model, g, s));
    best.report(std::cerr, validation_flags::describe(images, validation.data), chosen.str());
    std::cerr << "wrote " << out << "\n";
    return exit_ok;
}

}  // namespace gust::cli
