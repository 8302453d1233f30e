#include "analysis/victor_purpura.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "core/error.hpp"

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

inline int popcount16(std::uint16_t m) {
    // SWAR popcount: std::popcount becomes a libgcc call without -mpopcnt.
    unsigned v = m;
    v = v - ((v >> 1) & 0x5555u);
    v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
    v = (v + (v >> 4)) & 0x0F0Fu;
    return static_cast<int>((v + (v >> 8)) & 0x1Fu);
}

// A bitmask train unpacked once: its spike count and times.
struct unpacked {
    int n = 0;
    int t[16];
};
inline unpacked unpack(std::uint16_t m) {
    unpacked u;
    while (m) {
        u.t[u.n++] = std::countr_zero(m);
        m = static_cast<std::uint16_t>(m & (m - 1));
    }
    return u;
}

// cost[d] = shift_cost(q, d) for the 16 possible step differences.
struct shift_table {
    double c[16];
    explicit shift_table(double q) {
        for (int d = 0; d < 16; ++d) c[d] = shift_cost(q, static_cast<double>(d));
    }
};

// The DP of vp_dp for short integer trains, split per row into an independent
// pass (delete a_i, or match a_i with b_j) and a running pass (insert b_j), so
// only one add+min per cell sits on the dependency chain. Same candidates, same
// roundings, hence the same value as vp_dp.
inline double vp_small(const unpacked& a, const unpacked& b, const shift_table& cost) {
    double buf0[17], buf1[17];
    double* prev = buf0;
    double* cur = buf1;
    const int nb = b.n;
    for (int j = 0; j <= nb; ++j) prev[j] = static_cast<double>(j);
    for (int i = 0; i < a.n; ++i) {
        const int ai = a.t[i];
        cur[0] = static_cast<double>(i + 1);
        for (int j = 1; j <= nb; ++j) {
            const int d = ai > b.t[j - 1] ? ai - b.t[j - 1] : b.t[j - 1] - ai;
            cur[j] = std::min(prev[j] + 1.0, prev[j - 1] + cost.c[d]);
        }
        for (int j = 1; j <= nb; ++j) cur[j] = std::min(cur[j], cur[j - 1] + 1.0);
        std::swap(prev, cur);
    }
    return prev[nb];
}

// Distance of two unpacked non-identical trains, q already validated, q < 2.
inline double vp_unpacked(const unpacked& a, const unpacked& b, double q, const shift_table& cost) {
    if (q == 0.0) return static_cast<double>(std::abs(a.n - b.n));
    if (a.n == 0 || b.n == 0) return static_cast<double>(a.n + b.n);
    return vp_small(a, b, cost);
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
    if (q >= 2.0) return static_cast<double>(popcount16(static_cast<std::uint16_t>(a ^ b)));
    return vp_unpacked(unpack(a), unpack(b), q, shift_table(q));
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
    if (q >= 2.0) {
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = i + 1; j < m; ++j)
                d[i * m + j] = d[j * m + i] =
                    static_cast<double>(popcount16(static_cast<std::uint16_t>(patterns[i] ^ patterns[j])));
        return d;
    }
    const shift_table cost(q);
    std::vector<unpacked> u(m);
    for (std::size_t i = 0; i < m; ++i) u[i] = unpack(patterns[i]);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            d[i * m + j] = d[j * m + i] = patterns[i] == patterns[j] ? 0.0 : vp_unpacked(u[i], u[j], q, cost);
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
