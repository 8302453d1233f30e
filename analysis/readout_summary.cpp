#include "analysis/readout_summary.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace gust::analysis {
namespace {

struct mean_std {
    std::size_t n = 0;
    double mean = std::numeric_limits<double>::quiet_NaN(), std = std::numeric_limits<double>::quiet_NaN();
};

// Two passes (mean, then squared deviations): exact enough and order-fixed.
mean_std stats(const std::vector<double>& v) {
    mean_std s;
    double sum = 0.0;
    for (double x : v)
        if (!std::isnan(x)) {
            sum += x;
            ++s.n;
        }
    if (s.n == 0) return s;
    s.mean = sum / static_cast<double>(s.n);
    double ss = 0.0;
    for (double x : v)
        if (!std::isnan(x)) ss += (x - s.mean) * (x - s.mean);
    s.std = std::sqrt(ss / static_cast<double>(s.n));
    return s;
}

}  // namespace

std::vector<cycle_summary> summarize(const std::vector<image_readout>& readouts, int T) {
    std::vector<cycle_summary> out;
    if (readouts.empty()) return out;
    const std::size_t cycles = readouts.front().ami.size();
    for (const auto& r : readouts)
        if (r.ami.size() != cycles || r.synscore.size() != cycles || r.active_synscore.size() != cycles)
            throw input_error("summary: images have different numbers of cycles");
    std::vector<double> ami(readouts.size()), syn(readouts.size()), active(readouts.size());
    for (std::size_t c = 0; c < cycles; ++c) {
        for (std::size_t i = 0; i < readouts.size(); ++i) {
            ami[i] = readouts[i].ami[c];
            syn[i] = readouts[i].synscore[c];
            active[i] = readouts[i].active_synscore[c];
        }
        const mean_std a = stats(ami), s = stats(syn), as = stats(active);
        cycle_summary cs;
        cs.cycle = static_cast<int>(c);
        cs.step = (static_cast<int>(c) + 1) * T;
        cs.images = a.n;
        cs.ami_mean = a.mean;
        cs.ami_std = a.std;
        cs.synscore_images = s.n;
        cs.synscore_mean = s.mean;
        cs.synscore_std = s.std;
        cs.active_synscore_mean = as.mean;
        cs.active_synscore_std = as.std;
        out.push_back(cs);
    }
    return out;
}

}  // namespace gust::analysis
