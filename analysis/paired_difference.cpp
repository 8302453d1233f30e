#include "analysis/paired_difference.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace gust::analysis {

paired_difference compare_paired(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) throw input_error("paired comparison of " + std::to_string(a.size()) + " and " +
                                                std::to_string(b.size()) + " values");
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    paired_difference d;
    double sa = 0, sb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) || std::isnan(b[i])) continue;
        ++d.n;
        sa += a[i];
        sb += b[i];
    }
    if (d.n == 0) {
        d.mean_a = d.mean_b = d.mean_diff = d.std_error = d.correlation = nan;
        return d;
    }
    const double n = static_cast<double>(d.n);
    d.mean_a = sa / n;
    d.mean_b = sb / n;
    d.mean_diff = d.mean_a - d.mean_b;
    double sdd = 0, saa = 0, sbb = 0, sab = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) || std::isnan(b[i])) continue;
        const double da = a[i] - d.mean_a, db = b[i] - d.mean_b, dd = (a[i] - b[i]) - d.mean_diff;
        sdd += dd * dd;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    d.std_error = d.n < 2 ? nan : std::sqrt(sdd / (n - 1)) / std::sqrt(n);
    d.correlation = (saa > 0 && sbb > 0) ? sab / std::sqrt(saa * sbb) : nan;
    return d;
}

}  // namespace gust::analysis
