// gust analyze: the spec's read-out of a SONATA spike report. For every image
// and cycle, K = objects + 1 clusters of all pixels' trains (k-medoids under
// Victor-Purpura), AMI against the ground truth and SynScore; writes
// metrics.csv, summary.csv, assignments.h5 and, with --figures, PNG figures.
// All outputs appear together or not at all.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "analysis/figures.hpp"
#include "analysis/readout_summary.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/readout_inputs.hpp"
#include "io/atomic_file.hpp"
#include "io/png_writer.hpp"
#include "io/readout_report.hpp"
#include "sim/error.hpp"

namespace gust::cli {
namespace {

namespace fs = std::filesystem;

// A Victor-Purpura cost: a decimal ("0.333") or a fraction ("1/3"), finite and >= 0.
double parse_cost(const std::string& text, const std::string& option) {
    const auto bad = [&] {
        return input_error("--" + option + " " + text + ": expected a number >= 0 such as 3, 0.5 or 1/3");
    };
    const auto number = [&](const std::string& s) {
        double v = 0.0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size()) throw bad();
        return v;
    };
    const auto slash = text.find('/');
    double v = slash == std::string::npos ? number(text) : number(text.substr(0, slash)) / number(text.substr(slash + 1));
    if (!std::isfinite(v) || v < 0.0) throw bad();
    return v;
}

// Output folders made by this run; removed again (if still empty) when the
// run fails, so an error leaves nothing behind.
class created_folders {
public:
    void make(const fs::path& dir) {
        std::error_code ec;
        if (fs::is_directory(dir, ec)) return;
        if (fs::exists(dir, ec)) throw input_error("--out-dir " + dir.string() + ": exists and is not a folder");
        if (dir.has_parent_path() && !dir.parent_path().empty()) make(dir.parent_path());
        if (!fs::create_directory(dir, ec) && !fs::is_directory(dir))
            throw input_error("--out-dir " + dir.string() + ": cannot create folder");
        made_.push_back(dir);
    }
    void keep() { made_.clear(); }
    ~created_folders() {
        std::error_code ec;
        for (auto it = made_.rbegin(); it != made_.rend(); ++it) fs::remove(*it, ec);  // only removes empty ones
    }

private:
    std::vector<fs::path> made_;
};

// Output files staged under temporary names, committed together at the end.
class staged_outputs {
public:
    const std::string& add(const std::string& path) {
        std::lock_guard<std::mutex> lock(mutex_);
        files_.push_back(std::make_unique<atomic_file>(path));
        return files_.back()->temp_path();
    }
    void commit_all() {
        for (auto& f : files_) f->commit();
    }
    std::size_t size() const { return files_.size(); }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<atomic_file>> files_;
};

}  // namespace

int cmd_analyze(const args& a) {
    po::options_description desc("gust analyze options");
    std::string spikes, out_dir, syn_q_text, q_text, images, labels, split;
    std::uint64_t seed = 1;
    int threads = 0, restarts = 1;
    bool figures = false;
    desc.add_options()
        ("spikes", po::value<std::string>(&spikes)->required(), "SONATA spike report (e.g. from gust run)")
        ("out-dir", po::value<std::string>(&out_dir)->required(), "folder for metrics.csv, summary.csv, assignments.h5, figures/")
        ("q", po::value<std::string>(&q_text)->default_value("3"), "Victor-Purpura cost of the clustering")
        ("syn-q", po::value<std::string>(&syn_q_text)->default_value("1/3"), "Victor-Purpura cost of SynScore (decimal or fraction)")
        ("seed", po::value<std::uint64_t>(&seed)->default_value(1), "k-medoids++ seed")
        ("restarts", po::value<int>(&restarts)->default_value(1),
         "k-medoids++ seedings per cycle; the clustering with the lowest total distance is kept (1 = the reference's protocol)")
        ("images", po::value<std::string>(&images)->default_value("all"), "image indices A:B (A..B-1), A:, A or all")
        ("threads", po::value<int>(&threads)->default_value(0), "worker threads (0 = all cores); results never depend on it")
        ("figures", po::bool_switch(&figures), "also write PNG figures to OUT_DIR/figures")
        ("labels", po::value<std::string>(&labels), "data set with the ground truth, for spike files without /gust labels")
        ("split", po::value<std::string>(&split)->default_value("test"), "split of --labels");
    po::variables_map vm;
    if (!parse("analyze", "--spikes SPIKES.h5 --out-dir DIR [options]", desc, a, vm)) return exit_ok;
    require_nonnegative(vm, "threads");
    require_positive(vm, "restarts");
    analysis::readout_options opt;
    opt.q = parse_cost(q_text, "q");
    opt.syn_q = parse_cost(syn_q_text, "syn-q");
    opt.seed = seed;
    opt.restarts = restarts;
    // No check that --out-dir differs from the inputs is needed: an existing
    // file is never taken as the output folder (created_folders refuses it).

    readout_inputs in = load_readout_inputs(spikes, labels, split, images);
    in.info.options = opt;
    const readout_info& info = in.info;
    const std::size_t n_images = in.images.size();

    created_folders folders;
    const fs::path dir(out_dir), fig_dir = fs::path(out_dir) / "figures";
    folders.make(dir);
    if (figures) folders.make(fig_dir);
    staged_outputs staged;

    // Each image is independent and its k-medoids draws are keyed by its
    // index, so the thread count cannot change any result.
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_images, 1), [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                analysed_image& im = in.images[i];
                im.readout = analysis::read_out_image(in.trains[i], im.labels, im.index, opt);
                if (!figures) continue;
                const analysis::image_view v{im.index, info.height, info.width, &im.labels, &im.input,
                                             &in.trains[i], &im.readout};
                const std::string name = "image_" + std::to_string(im.index) + ".png";
                const analysis::canvas binding = analysis::binding_picture(v);
                write_png_rgb(staged.add((fig_dir / ("binding_" + name)).string()), binding.data(),
                              static_cast<std::size_t>(binding.width()), static_cast<std::size_t>(binding.height()));
                const analysis::canvas raster = analysis::spike_raster(v);
                write_png_rgb(staged.add((fig_dir / ("raster_" + name)).string()), raster.data(),
                              static_cast<std::size_t>(raster.width()), static_cast<std::size_t>(raster.height()));
            }
        });
    });

    std::vector<analysis::image_readout> readouts;
    readouts.reserve(n_images);
    for (const auto& im : in.images) readouts.push_back(im.readout);
    const auto summary = analysis::summarize(readouts, info.T);

    write_metrics_csv(staged.add((dir / "metrics.csv").string()), info, in.images);
    write_summary_csv(staged.add((dir / "summary.csv").string()), summary);
    write_assignments(staged.add((dir / "assignments.h5").string()), info, in.images);
    if (figures) {
        const analysis::canvas plot = analysis::metrics_plot(summary, n_images, info.T);
        write_png_rgb(staged.add((fig_dir / "metrics_vs_step.png").string()), plot.data(),
                      static_cast<std::size_t>(plot.width()), static_cast<std::size_t>(plot.height()));
    }
    staged.commit_all();
    folders.keep();

    print_summary(std::cout, summary);
    std::cout << "analysed " << n_images << (n_images == 1 ? " image" : " images") << " x " << info.cycles
              << " cycles (q " << opt.q << ", SynScore q " << opt.syn_q << ", labels from " << info.label_source
              << ") -> " << out_dir << "/{metrics.csv,summary.csv,assignments.h5"
              << (figures ? ",figures/" : "") << "}\n";
    return exit_ok;
}

}  // namespace gust::cli
