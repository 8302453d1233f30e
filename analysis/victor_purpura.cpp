#include "analysis/victor_purpura.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "sim/error.hpp"

namespace gust::analysis {
namespace {

void check_q(double q) {
    if (!(q >= 0.0))  // also rejects NaN
        throw input_error("Victor-Purpura cost q must be >= 0, got " + std::to_string(q));
}

// Cost of moving a spike by dt; q = inf with dt = 0 must stay 0, not NaN.
inline double shift_cost(double q, double dt) { return dt == 0.0 ? 0.0 : q * std::abs(dt); }

// The DP over two sorted time arrays, one rolling row of length nb + 1.
template <class TA, class TB>
double vp_dp(const TA* a, std::size_t na, const TB* b, std::size_t nb, double q, double* row) {
    for (std::size_t j = 0; j <= nb; ++j) row[j] = static_cast<double>(j);
    for (std::size_t i = 1; i <= na; ++i) {
        double diag = row[0];  // G[i-1][0]
        row[0] = static_cast<double>(i);
        const double ai = static_cast<double>(a[i - 1]);
        for (std::size_t j = 1; j <= nb; ++j) {
            const double up = row[j];  // G[i-1][j]
            double best = std::min(up + 1.0, row[j - 1] + 1.0);
            best = std::min(best, diag + shift_cost(q, ai - static_cast<double>(b[j - 1])));
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

template <class T>
double vp_general(std::span<const T> a, std::span<const T> b, double q) {
    check_q(q);
    if (a.empty() || b.empty()) return static_cast<double>(a.size() + b.size());
    if (q == 0.0) return std::abs(static_cast<double>(a.size()) - static_cast<double>(b.size()));
    std::vector<double> row(b.size() + 1);
    return vp_dp(a.data(), a.size(), b.data(), b.size(), q, row.data());
}

inline int bits_to_times(std::uint16_t m, int* t) {
    int n = 0;
    while (m) {
        t[n++] = std::countr_zero(m);
        m = static_cast<std::uint16_t>(m & (m - 1));
    }
    return n;
}

}  // namespace

double victor_purpura(std::span<const double> a, std::span<const double> b, double q) {
    return vp_general(a, b, q);
}
double victor_purpura(std::span<const std::int64_t> a, std::span<const std::int64_t> b, double q) {
    return vp_general(a, b, q);
}

double victor_purpura_bits(std::uint16_t a, std::uint16_t b, double q) {
    check_q(q);
    if (a == b) return 0.0;
    const int na = std::popcount(a), nb = std::popcount(b);
    if (q >= 2.0) return static_cast<double>(std::popcount(static_cast<std::uint16_t>(a ^ b)));
    if (q == 0.0) return static_cast<double>(std::abs(na - nb));
    if (na == 0 || nb == 0) return static_cast<double>(na + nb);
    int ta[16], tb[16];
    bits_to_times(a, ta);
    bits_to_times(b, tb);
    double row[17];
    return vp_dp(ta, static_cast<std::size_t>(na), tb, static_cast<std::size_t>(nb), q, row);
}

pattern_set distinct_patterns(const std::uint16_t* trains, std::size_t n) {
    pattern_set s;
    s.index_of.resize(n);
    std::uint16_t hi = 0;
    for (std::size_t i = 0; i < n; ++i) hi = std::max(hi, trains[i]);
    std::vector<std::int32_t> lut(static_cast<std::size_t>(hi) + 1, -1);
    for (std::size_t i = 0; i < n; ++i) {
        std::int32_t& p = lut[trains[i]];
        if (p < 0) {
            p = static_cast<std::int32_t>(s.patterns.size());
            s.patterns.push_back(trains[i]);
            s.weight.push_back(0.0);
        }
        s.weight[static_cast<std::size_t>(p)] += 1.0;
        s.index_of[i] = p;
    }
    return s;
}

std::vector<double> pattern_distances(std::span<const std::uint16_t> patterns, double q) {
    check_q(q);
    const std::size_t m = patterns.size();
    std::vector<double> d(m * m, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            d[i * m + j] = d[j * m + i] = victor_purpura_bits(patterns[i], patterns[j], q);
    return d;
}

std::vector<double> distance_matrix(const std::uint16_t* trains, std::size_t n, double q) {
    const pattern_set s = distinct_patterns(trains, n);
    const std::size_t m = s.patterns.size();
    const std::vector<double> dp = pattern_distances(s.patterns, q);
    std::vector<double> d(n * n);
    for (std::size_t i = 0; i < n; ++i) {
        const double* src = dp.data() + static_cast<std::size_t>(s.index_of[i]) * m;
        double* dst = d.data() + i * n;
        for (std::size_t j = 0; j < n; ++j) dst[j] = src[s.index_of[j]];
    }
    return d;
}

std::vector<std::uint16_t> trains_to_bits(const std::uint8_t* binary, std::size_t n, std::size_t T) {
    if (T > 16) throw input_error("bitmask spike trains hold at most 16 steps, got T = " + std::to_string(T));
    std::vector<std::uint16_t> out(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t t = 0; t < T; ++t)
            if (binary[i * T + t]) out[i] = static_cast<std::uint16_t>(out[i] | (1u << t));
    return out;
}

}  // namespace gust::analysis
