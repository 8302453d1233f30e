#include "analysis/cycle_metrics.hpp"

#include <cmath>
#include <limits>

#include "analysis/ami.hpp"
#include "analysis/kmedoids.hpp"
#include "analysis/silhouette.hpp"
#include "analysis/victor_purpura.hpp"

namespace gust::analysis {

cycle_metrics analyze_cycle(const std::uint16_t* trains, const std::int32_t* labels,
                            std::size_t n, int K, const cycle_options& opt) {
    cycle_metrics out;
    const pattern_set ps = distinct_patterns(trains, n);
    const std::size_t m = ps.patterns.size();
    out.distinct_patterns = m;

    // 1. k-medoids over the distinct patterns, weighted by multiplicity.
    const std::vector<double> Dc = pattern_distances(ps.patterns, opt.q_cluster);
    kmedoids_options ko;
    ko.restarts = opt.restarts;
    ko.max_iter = opt.max_iter;
    ko.seed = opt.seed;
    ko.sequence = opt.sequence;
    const kmedoids_result km = kmedoids(Dc.data(), m, K, ko, ps.weight.data());
    out.total_distance = km.total;
    out.assignment.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        out.assignment[i] = km.labels[static_cast<std::size_t>(ps.index_of[i])];

    // 2. Foreground: AMI over pixels, SynScore over the foreground patterns.
    std::vector<std::int32_t> truth, pred;
    truth.reserve(n);
    pred.reserve(n);
    std::vector<double> fg_weight(m, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (labels[i] == 0) continue;
        truth.push_back(labels[i]);
        pred.push_back(out.assignment[i]);
        fg_weight[static_cast<std::size_t>(ps.index_of[i])] += 1.0;
    }
    out.foreground = truth.size();
    out.ami = adjusted_mutual_info(std::span<const std::int32_t>(truth),
                                   std::span<const std::int32_t>(pred));

    // A pattern's cluster is a function of the pattern, so (pattern, cluster)
    // items are just the foreground patterns.
    std::vector<std::uint16_t> fp;
    std::vector<double> fw;
    std::vector<std::int32_t> fc;
    for (std::size_t p = 0; p < m; ++p)
        if (fg_weight[p] > 0.0) {
            fp.push_back(ps.patterns[p]);
            fw.push_back(fg_weight[p]);
            fc.push_back(km.labels[p]);
        }
    const std::size_t kc = km.medoids.size();
    if (fp.empty()) {
        out.synscore = out.active_synscore = std::numeric_limits<double>::quiet_NaN();
    } else {
        const std::vector<double> Ds = pattern_distances(fp, opt.q_syn);
        std::vector<double> s(fp.size());
        out.synscore = silhouette_weighted(Ds.data(), fp.size(), fw.data(), fc.data(), kc, s.data());
        double active = 0.0;
        for (std::size_t p = 0; p < fp.size(); ++p)
            if (fp[p] != 0) active += fw[p] * s[p];  // pattern 0: no spike in the cycle
        out.active_synscore = std::isnan(out.synscore) ? out.synscore : active / static_cast<double>(out.foreground);
    }
    return out;
}

}  // namespace gust::analysis
