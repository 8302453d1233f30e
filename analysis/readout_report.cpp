#include "analysis/readout_report.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "io/h5.hpp"
#include "core/error.hpp"

namespace gust {
namespace {

// Six decimals: metrics live in [-1, 1] and differences below 1e-6 mean nothing
// to a reader; assignments.h5 keeps the full doubles.
std::string number(double v) {
    if (std::isnan(v)) return "nan";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

std::ofstream open_text(const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw input_error(path + ": cannot create file");
    return out;
}

void finish_text(std::ofstream& out, const std::string& path) {
    out.flush();
    if (!out) throw input_error(path + ": write failed");
}

}  // namespace

void write_metrics_csv(const std::string& path, const readout_info& info,
                       const std::vector<analysed_image>& images) {
    std::ofstream out = open_text(path);
    out << "image,cycle,step,ami,synscore,active_synscore\n";
    for (const auto& im : images)
        for (int c = 0; c < info.cycles; ++c) {
            const auto cc = static_cast<std::size_t>(c);
            out << im.index << ',' << c << ',' << (c + 1) * info.T << ',' << number(im.readout.ami[cc]) << ','
                << number(im.readout.synscore[cc]) << ',' << number(im.readout.active_synscore[cc]) << '\n';
        }
    finish_text(out, path);
}

void write_summary_csv(const std::string& path, const std::vector<analysis::cycle_summary>& summary) {
    std::ofstream out = open_text(path);
    out << "cycle,step,images,ami_mean,ami_std,synscore_images,synscore_mean,synscore_std,active_synscore_mean,"
           "active_synscore_std\n";
    for (const auto& s : summary)
        out << s.cycle << ',' << s.step << ',' << s.images << ',' << number(s.ami_mean) << ',' << number(s.ami_std)
            << ',' << s.synscore_images << ',' << number(s.synscore_mean) << ',' << number(s.synscore_std) << ','
            << number(s.active_synscore_mean) << ',' << number(s.active_synscore_std) << '\n';
    finish_text(out, path);
}

void print_summary(std::ostream& os, const std::vector<analysis::cycle_summary>& summary) {
    char line[200];
    std::snprintf(line, sizeof line, "%6s %6s %7s %18s %18s %18s\n", "cycle", "step", "images", "AMI mean +- std",
                  "SynScore +- std", "active SynScore");
    os << line;
    for (const auto& s : summary) {
        std::snprintf(line, sizeof line, "%6d %6d %7zu %9.3f +- %5.3f %9.3f +- %5.3f %9.3f +- %5.3f\n", s.cycle, s.step,
                      s.images, s.ami_mean, s.ami_std, s.synscore_mean, s.synscore_std, s.active_synscore_mean,
                      s.active_synscore_std);
        os << line;
    }
}

void write_assignments(const std::string& path, const readout_info& info,
                       const std::vector<analysed_image>& images) {
    h5::file f = h5::create(path);
    h5::write_attr_string(f, "/", "format", "gust-assignments");
    h5::write_attr_string(f, "/", "gust_version", GUST_VERSION);
    h5::write_attr<std::int64_t>(f, "/", "T", info.T);
    h5::write_attr<std::int64_t>(f, "/", "cycles", info.cycles);
    h5::write_attr<std::int64_t>(f, "/", "height", static_cast<std::int64_t>(info.height));
    h5::write_attr<std::int64_t>(f, "/", "width", static_cast<std::int64_t>(info.width));
    h5::write_attr<double>(f, "/", "q", info.options.q);
    h5::write_attr<double>(f, "/", "syn_q", info.options.syn_q);
    h5::write_attr<std::uint64_t>(f, "/", "seed", info.options.seed);
    h5::write_attr<std::int64_t>(f, "/", "restarts", info.options.restarts);
    h5::write_attr_string(f, "/", "spikes_file", info.spikes_file);
    h5::write_attr_string(f, "/", "label_source", info.label_source);
    const auto pixels = static_cast<hsize_t>(info.height * info.width);
    const auto cycles = static_cast<hsize_t>(info.cycles);
    h5::write_options packed;
    packed.chunk = {cycles, pixels};
    packed.gzip = 4;  // cluster labels are long runs of one value: ~20x smaller
    for (const auto& im : images) {
        const std::string g = "/image_" + std::to_string(im.index);
        h5::write<std::int32_t>(f, g + "/clusters", {cycles, pixels}, im.readout.clusters.data(), packed);
        h5::write<std::int32_t>(f, g + "/labels", {pixels}, im.labels.data());
        h5::write<double>(f, g + "/ami", {cycles}, im.readout.ami.data());
        h5::write<double>(f, g + "/synscore", {cycles}, im.readout.synscore.data());
        h5::write_attr<std::int64_t>(f, g, "index", static_cast<std::int64_t>(im.index));
        h5::write_attr<std::int64_t>(f, g, "K", im.readout.K);
    }
    h5::close(f);
}

}  // namespace gust
