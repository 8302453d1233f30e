#include "analysis/kmedoids.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace gust::analysis {
namespace {

inline double w_of(const double* w, std::size_t i) { return w ? w[i] : 1.0; }

// Index i with cumulative weight c[i] > r (the last positive-weight index when
// rounding leaves r at the very end).
std::size_t pick_cumulative(const std::vector<double>& cum, const double* mass, double r) {
    auto it = std::upper_bound(cum.begin(), cum.end(), r);
    std::size_t i = static_cast<std::size_t>(it - cum.begin());
    if (i >= cum.size()) {
        i = cum.size() - 1;
        while (i > 0 && mass[i] <= 0.0) --i;
    }
    return i;
}

}  // namespace

std::vector<int> kmedoids_pp_init(const double* D, std::size_t n, const double* weights, int k,
                                  counter_sequence& rng) {
    std::vector<int> medoids;
    if (n == 0 || k <= 0) return medoids;
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), n);
    medoids.reserve(kk);
    std::vector<double> mass(n), cum(n);
    std::vector<char> is_medoid(n, 0);

    // First medoid: proportional to weight (uniform over the underlying points).
    double wsum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        mass[i] = w_of(weights, i);
        wsum += mass[i];
        cum[i] = wsum;
    }
    std::size_t first = wsum > 0.0 ? pick_cumulative(cum, mass.data(), rng.next_double() * wsum) : 0;
    medoids.push_back(static_cast<int>(first));
    is_medoid[first] = 1;

    // closest[i] = w_i * d(i, nearest medoid)^2
    std::vector<double> closest(n), trial(n), best_trial(n);
    double pot = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = D[first * n + i];
        closest[i] = w_of(weights, i) * d * d;
        pot += closest[i];
    }
    const int local_trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));

    while (medoids.size() < kk) {
        if (!(pot > 0.0)) {  // every point coincides with a medoid
            std::size_t i = 0;
            while (is_medoid[i]) ++i;
            medoids.push_back(static_cast<int>(i));
            is_medoid[i] = 1;
            continue;
        }
        double c = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            c += closest[i];
            cum[i] = c;
        }
        std::size_t best = n;
        double best_pot = 0.0;
        for (int t = 0; t < local_trials; ++t) {
            const std::size_t cand = pick_cumulative(cum, closest.data(), rng.next_double() * c);
            double p = 0.0;
            const double* row = D + cand * n;
            for (std::size_t i = 0; i < n; ++i) {
                const double d2 = w_of(weights, i) * row[i] * row[i];
                trial[i] = std::min(closest[i], d2);
                p += trial[i];
            }
            if (best == n || p < best_pot) {
                best = cand;
                best_pot = p;
                best_trial.swap(trial);
            }
        }
        medoids.push_back(static_cast<int>(best));
        is_medoid[best] = 1;
        closest.swap(best_trial);
        pot = best_pot;
    }
    return medoids;
}

double assign_to_medoids(const double* D, std::size_t n, const double* weights,
                         const std::vector<int>& medoids, std::vector<int>& labels) {
    labels.assign(n, 0);
    double total = 0.0;
    const std::size_t k = medoids.size();
    for (std::size_t i = 0; i < n; ++i) {
        double best = std::numeric_limits<double>::infinity();
        int arg = 0;
        for (std::size_t c = 0; c < k; ++c) {
            const double d = D[static_cast<std::size_t>(medoids[c]) * n + i];
            if (d < best) {
                best = d;
                arg = static_cast<int>(c);
            }
        }
        labels[i] = arg;
        total += w_of(weights, i) * best;
    }
    return total;
}

double kmedoids_refine(const double* D, std::size_t n, const double* weights,
                       std::vector<int>& medoids, std::vector<int>& labels, int max_iter,
                       int* iterations) {
    const std::size_t k = medoids.size();
    std::vector<std::vector<int>> members(k);
    int it = 0;
    for (; it < max_iter; ++it) {
        assign_to_medoids(D, n, weights, medoids, labels);
        for (auto& m : members) m.clear();
        for (std::size_t i = 0; i < n; ++i) members[static_cast<std::size_t>(labels[i])].push_back(static_cast<int>(i));
        bool moved = false;
        for (std::size_t c = 0; c < k; ++c) {
            const auto& mem = members[c];
            if (mem.empty()) continue;
            double cur_cost = std::numeric_limits<double>::infinity();
            double best_cost = std::numeric_limits<double>::infinity();
            int best = -1;
            for (int cand : mem) {
                const double* row = D + static_cast<std::size_t>(cand) * n;
                double s = 0.0;
                for (int j : mem) s += w_of(weights, static_cast<std::size_t>(j)) * row[j];
                if (cand == medoids[c]) cur_cost = s;
                if (s < best_cost) {
                    best_cost = s;
                    best = cand;
                }
            }
            if (best_cost < cur_cost) {
                medoids[c] = best;
                moved = true;
            }
        }
        if (!moved) {
            ++it;
            break;
        }
    }
    if (iterations) *iterations = it;
    return assign_to_medoids(D, n, weights, medoids, labels);
}

kmedoids_result kmedoids(const double* D, std::size_t n, int k, const kmedoids_options& opt,
                         const double* weights) {
    if (k < 1) throw input_error("k-medoids needs k >= 1, got " + std::to_string(k));
    if (opt.restarts < 1) throw input_error("k-medoids needs restarts >= 1");
    kmedoids_result res;
    if (n == 0) return res;
    if (static_cast<std::size_t>(k) >= n) {
        res.medoids.resize(n);
        res.labels.resize(n);
        for (std::size_t i = 0; i < n; ++i) res.medoids[i] = res.labels[i] = static_cast<int>(i);
        res.total = assign_to_medoids(D, n, weights, res.medoids, res.labels);
        res.initial_totals.assign(1, res.total);
        return res;
    }
    const counter_rng key(opt.seed);
    std::vector<int> medoids, labels;
    for (int r = 0; r < opt.restarts; ++r) {
        counter_sequence rng(key, stream_id(purpose::analysis, static_cast<std::uint32_t>(r)),
                             opt.sequence & 0xFFFFFFFFu, static_cast<std::uint32_t>(opt.sequence >> 32));
        medoids = kmedoids_pp_init(D, n, weights, k, rng);
        res.initial_totals.push_back(assign_to_medoids(D, n, weights, medoids, labels));
        int iters = 0;
        const double total = kmedoids_refine(D, n, weights, medoids, labels, opt.max_iter, &iters);
        if (r == 0 || total < res.total) {
            res.total = total;
            res.medoids = medoids;
            res.labels = labels;
            res.iterations = iters;
            res.restart = r;
        }
    }
    return res;
}

}  // namespace gust::analysis
