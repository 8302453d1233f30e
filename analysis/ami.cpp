#include "analysis/ami.hpp"

#include <algorithm>
#include <math.h>  // lgamma_r (POSIX)

#include <cmath>
#include <limits>
#include <string>

#include "analysis/label_codes.hpp"
#include "core/error.hpp"

namespace gust::analysis {
namespace {

template <class T>
double ami_impl(std::span<const T> a, std::span<const T> b) {
    if (a.size() != b.size())
        throw input_error("adjusted_mutual_info: label arrays differ in length (" +
                          std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")");
    contingency_table t;
    std::vector<std::int32_t> ca = dense_label_codes(a, t.rows), cb = dense_label_codes(b, t.cols);
    t.n = static_cast<std::int64_t>(a.size());
    t.counts.assign(t.rows * t.cols, 0);
    for (std::size_t i = 0; i < a.size(); ++i)
        ++t.counts[static_cast<std::size_t>(ca[i]) * t.cols + static_cast<std::size_t>(cb[i])];
    return adjusted_mutual_info(t);
}

void marginals(const contingency_table& t, std::vector<std::int64_t>& r, std::vector<std::int64_t>& c) {
    r.assign(t.rows, 0);
    c.assign(t.cols, 0);
    for (std::size_t i = 0; i < t.rows; ++i)
        for (std::size_t j = 0; j < t.cols; ++j) {
            r[i] += t.counts[i * t.cols + j];
            c[j] += t.counts[i * t.cols + j];
        }
}

// Entropy of a labeling from its cluster sizes: -sum p log p with
// log p = log(count) - log(total).
double entropy(const std::vector<std::int64_t>& sizes) {
    std::size_t nonzero = 0;
    double total = 0.0;
    for (auto s : sizes)
        if (s > 0) {
            ++nonzero;
            total += static_cast<double>(s);
        }
    if (nonzero <= 1) return 0.0;
    const double log_total = std::log(total);
    double h = 0.0;
    for (auto s : sizes)
        if (s > 0) {
            const double x = static_cast<double>(s);
            h -= (x / total) * (std::log(x) - log_total);
        }
    return h;
}

}  // namespace

double mutual_info(const contingency_table& t) {
    if (t.rows <= 1 || t.cols <= 1) return 0.0;
    std::vector<std::int64_t> r, c;
    marginals(t, r, c);
    const double n = static_cast<double>(t.n);
    const double log_n = std::log(n);
    const double eps = std::numeric_limits<double>::epsilon();
    double mi = 0.0;
    for (std::size_t i = 0; i < t.rows; ++i)
        for (std::size_t j = 0; j < t.cols; ++j) {
            const std::int64_t nij = t.counts[i * t.cols + j];
            if (nij == 0) continue;
            const double p = static_cast<double>(nij) / n;
            // p * log(n_ij * N / (a_i * b_j)), split into logs as scikit-learn does
            const double log_outer = -std::log(static_cast<double>(r[i] * c[j])) + 2.0 * log_n;
            double term = p * (std::log(static_cast<double>(nij)) - log_n) + p * log_outer;
            if (std::abs(term) < eps) term = 0.0;
            mi += term;
        }
    return std::max(mi, 0.0);
}

double expected_mutual_info(const contingency_table& t) {
    if (t.rows <= 1 || t.cols <= 1) return 0.0;
    std::vector<std::int64_t> a, b;
    marginals(t, a, b);
    const std::int64_t N = t.n;
    const double Nd = static_cast<double>(N);
    const double log_N = std::log(Nd);
    // Every lgamma argument below is an integer k + 1 with 0 <= k <= N and every
    // log argument an integer in [1, N]: tabulate them once (same values as
    // calling lgamma / log each time, just fewer calls).
    const std::size_t Nz = static_cast<std::size_t>(N);
    std::vector<double> lfact(Nz + 1), logk(Nz + 1, 0.0);
    // lgamma_r, not lgamma: lgamma also stores the sign in the global
    // signgam, a data race when images are read out in parallel (glibc's
    // lgamma is lgamma_r into signgam: the same values).
    for (std::size_t k = 0; k <= Nz; ++k) {
        int sign = 0;
        lfact[k] = ::lgamma_r(static_cast<double>(k) + 1.0, &sign);
        if (k) logk[k] = std::log(static_cast<double>(k));
    }
    const double gln_N1 = lfact[Nz];
    double emi = 0.0;
    for (std::size_t i = 0; i < t.rows; ++i) {
        const std::int64_t ai = a[i];
        const double gln_a = lfact[static_cast<std::size_t>(ai)] + lfact[static_cast<std::size_t>(N - ai)];
        for (std::size_t j = 0; j < t.cols; ++j) {
            const std::int64_t bj = b[j];
            // log of a! b! (N-a)! (N-b)! / N!
            const double fixed = gln_a + lfact[static_cast<std::size_t>(bj)] +
                                 lfact[static_cast<std::size_t>(N - bj)] - gln_N1;
            const double log_ab = logk[static_cast<std::size_t>(ai)] + logk[static_cast<std::size_t>(bj)];
            const std::int64_t lo = std::max<std::int64_t>(1, ai + bj - N);
            const std::int64_t hi = std::min(ai, bj);
            for (std::int64_t nij = lo; nij <= hi; ++nij) {
                // (nij/N) * log(N nij / (a b)) * P_hypergeometric(nij)
                const double term2 = log_N + logk[static_cast<std::size_t>(nij)] - log_ab;
                const double gln = fixed - lfact[static_cast<std::size_t>(nij)] -
                                   lfact[static_cast<std::size_t>(ai - nij)] -
                                   lfact[static_cast<std::size_t>(bj - nij)] -
                                   lfact[static_cast<std::size_t>(N - ai - bj + nij)];
                emi += (static_cast<double>(nij) / Nd) * term2 * std::exp(gln);
            }
        }
    }
    return emi;
}

double adjusted_mutual_info(const contingency_table& t) {
    // No split on either side (or no samples): a perfect, trivial match.
    if ((t.rows == 1 && t.cols == 1) || (t.rows == 0 && t.cols == 0)) return 1.0;
    std::vector<std::int64_t> r, c;
    marginals(t, r, c);
    const double mi = mutual_info(t);
    const double emi = expected_mutual_info(t);
    const double normalizer = 0.5 * (entropy(r) + entropy(c));
    double den = normalizer - emi;
    const double eps = std::numeric_limits<double>::epsilon();
    den = den < 0.0 ? std::min(den, -eps) : std::max(den, eps);
    return (mi - emi) / den;
}

double adjusted_mutual_info(std::span<const std::int64_t> labels_true,
                            std::span<const std::int64_t> labels_pred) {
    return ami_impl(labels_true, labels_pred);
}
double adjusted_mutual_info(std::span<const std::int32_t> labels_true,
                            std::span<const std::int32_t> labels_pred) {
    return ami_impl(labels_true, labels_pred);
}

}  // namespace gust::analysis
