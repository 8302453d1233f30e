#include "apps/readout_outputs.hpp"

#include <tbb/blocked_range.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "analysis/figures.hpp"
#include "core/parallel_for.hpp"
#include "io/png_writer.hpp"

namespace gust::cli {

namespace {

void write_png(output_folder& out, const std::string& relative, const analysis::canvas& c) {
    out.write(relative, [&](const std::string& path) {
        write_png_rgb(path, c.data(), static_cast<std::size_t>(c.width()), static_cast<std::size_t>(c.height()));
    });
}

}  // namespace

void write_readout_files(output_folder& out, const std::string& subfolder, const readout_info& info,
                         const std::vector<analysed_image>& images, const std::vector<analysis::cycle_trains>& trains,
                         const std::vector<analysis::cycle_summary>& summary, bool figures, int threads) {
    const std::string dir = subfolder.empty() ? "" : subfolder + "/";
    if (figures) {
        tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
        arena.execute([&] {
            gust::parallel_for(tbb::blocked_range<std::size_t>(0, images.size(), 1), [&](const auto& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                    const analysed_image& im = images[i];
                    const analysis::image_view v{im.index, info.height, info.width, &im.labels, &im.input,
                                                 &trains[i], &im.readout};
                    const std::string name = "image_" + std::to_string(im.index) + ".png";
                    write_png(out, dir + "figures/binding_" + name, analysis::binding_picture(v));
                    write_png(out, dir + "figures/raster_" + name, analysis::spike_raster(v));
                }
            });
        });
        write_png(out, dir + "figures/metrics_vs_step.png", analysis::metrics_plot(summary, images.size(), info.T));
    }
    out.write(dir + "metrics.csv", [&](const std::string& path) { write_metrics_csv(path, info, images); });
    out.write(dir + "summary.csv", [&](const std::string& path) { write_summary_csv(path, summary); });
    out.write(dir + "assignments.h5", [&](const std::string& path) { write_assignments(path, info, images); });
}

void warn_if_clusters_exceed_phases(std::ostream& os, const std::vector<analysed_image>& images, int T) {
    std::size_t over = 0;
    int most = 0;
    for (const auto& im : images) {
        if (im.readout.K > T) ++over;
        most = std::max(most, im.readout.K);
    }
    if (over == 0) return;
    os << "warning: " << over << " of " << images.size() << " images need up to " << most
       << " clusters (objects + 1) but a cycle has only " << T
       << " phases, so objects must share phases; SynScore can read 1 for alike (e.g. silent) trains there: "
          "read the active SynScore and AMI\n";
}

}  // namespace gust::cli
