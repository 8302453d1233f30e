#include "core/procedural_synapses.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace gust {

procedural_synapses::procedural_synapses(std::uint64_t seed_, std::uint32_t set_, std::size_t rows, std::size_t cols,
                                         std::size_t radius, double aspect, std::size_t fan_in_, float gain_,
                                         bool zero_)
    : seed(seed_), set(set_), fan_in(fan_in_), bound(1.0f / std::sqrt(static_cast<float>(fan_in_))), gain(gain_),
      zero(zero_), window(rows, cols, radius, aspect), hash(seed_, set_) {
    // From the fields themselves (field_at), so that the parts add up to count().
    const auto last = static_cast<std::int64_t>(window.source.rows) - 1;
    for (std::size_t ty = 0; ty < window.target.rows; ++ty) {
        const local_window::span f = window.field_at(ty, 0);
        const bool reaches = f.y1 == last;
        full_rows.push_back(static_cast<std::uint32_t>(f.y1 - f.y0 + 1 - (reaches ? 1 : 0)));
        reaches_last.push_back(reaches ? 1u : 0u);
    }
    for (std::size_t tx = 0; tx < window.target.cols; ++tx) {
        const local_window::span f = window.field_at(0, tx);
        columns.push_back(static_cast<std::uint32_t>(f.x1 - f.x0 + 1));
        last_columns.push_back(static_cast<std::uint32_t>(std::max<std::int64_t>(0, window.row_end(f, last) - f.x0)));
    }
}

namespace {

// Candidates are summed a batch at a time: up to this many, gathered from
// the row's field segment after segment (a field of radius 8 is 17 segments
// of 17), so the vector loops run long.
constexpr std::size_t batch = 512;

// Moves (s[i], v[i]) for each i < n with keep[i] != 0 to the front, in
// order, and returns how many. The arrays have room for 16 values past n:
// the vector path stores whole registers. Where AVX-512 is there (the build
// tunes for its machine), sixteen a step; else one, without a branch
// (presence and zero inputs fall in no pattern).
// Not inlined: called once a batch, and inlined with a constant n GCC
// warns, wrongly, of an overflowing tail loop.
[[gnu::noinline]] std::size_t pack_kept(std::uint32_t* s, float* v, const std::uint32_t* keep, std::size_t n) {
    std::size_t i = 0, m = 0;
#if defined(__AVX512F__)
    for (; i + 16 <= n; i += 16) {
        const __m512i k = _mm512_loadu_si512(keep + i);
        const __mmask16 mask = _mm512_test_epi32_mask(k, k);
        const __m512i si = _mm512_maskz_compress_epi32(mask, _mm512_loadu_si512(s + i));
        const __m512 vi = _mm512_maskz_compress_ps(mask, _mm512_loadu_ps(v + i));
        _mm512_storeu_si512(s + m, si);  // m <= i: never past what is still to be read
        _mm512_storeu_ps(v + m, vi);
        m += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(mask)));
    }
#endif
    for (; i < n; ++i) {
        s[m] = s[i];
        v[m] = v[i];
        m += keep[i];
    }
    return m;
}

// g(sources, terms, m) for each batch of row r's candidates (sources
// ascending), with the terms in[s] x w of its synapses whose input is not
// zero, in order; without an input (in null), every synapse and its weight. Per batch: first whether each candidate counts, in independent
// lanes that vectorise; then the ones that count are packed, in order;
// then their weights (a synapse's weight is drawn only where it is used).
template <class G>
void terms_in_batches(const procedural_synapses& p, std::size_t r, const float* in, G&& g) {
    const local_window::span f = p.window.field(r);
    const std::uint32_t t = p.threshold(f);
    const std::uint32_t kp = synapse_hash::row_key(p.hash.presence_key, static_cast<std::uint32_t>(r));
    const std::uint32_t kw = synapse_hash::row_key(p.hash.weight_key, static_cast<std::uint32_t>(r));
    std::uint32_t src[batch + 16], keep[batch];
    float val[batch + 16], term[batch];
    auto flush = [&](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            keep[i] = static_cast<std::uint32_t>(synapse_hash::top24(synapse_hash::draw(kp, src[i])) < t) &
                      static_cast<std::uint32_t>(val[i] != 0.0f);
        const std::size_t m = pack_kept(src, val, keep, n);
        // weight() spelt out as loops with its branches outside them: the same operations, so the same bits.
        for (std::size_t i = 0; i < m; ++i)
            term[i] = (2.0f * synapse_hash::uniform(synapse_hash::draw(kw, src[i])) - 1.0f) * p.bound;
        if (p.gain != 1.0f)
            for (std::size_t i = 0; i < m; ++i) term[i] *= p.gain;
        if (p.zero) std::fill(term, term + m, 0.0f);
        if (in)
            for (std::size_t i = 0; i < m; ++i) term[i] = val[i] * term[i];
        g(static_cast<const std::uint32_t*>(src), static_cast<const float*>(term), m);
    };
    std::size_t n = 0;
    for (std::int64_t y = f.y0; y <= f.y1; ++y) {
        const std::int64_t base = y * std::int64_t(p.window.source.cols), end = p.window.row_end(f, y);
        for (std::int64_t x0 = f.x0; x0 < end;) {
            const std::size_t take = std::min<std::size_t>(batch - n, static_cast<std::size_t>(end - x0));
            const auto s0 = static_cast<std::uint32_t>(base + x0);
            for (std::size_t i = 0; i < take; ++i) src[n + i] = s0 + static_cast<std::uint32_t>(i);
            if (in)
                for (std::size_t i = 0; i < take; ++i) val[n + i] = in[s0 + i];
            else
                std::fill(val + n, val + n + take, 1.0f);  // every synapse counts
            n += take;
            x0 += static_cast<std::int64_t>(take);
            if (n == batch) {
                flush(n);
                n = 0;
            }
        }
    }
    if (n > 0) flush(n);
}

}  // namespace

float procedural_synapses::row_sum(std::size_t r, const float* in, float acc) const {
    // One chain of additions over the terms, the canonical order.
    terms_in_batches(*this, r, in, [&](const std::uint32_t*, const float* term, std::size_t m) {
        for (std::size_t i = 0; i < m; ++i) acc += term[i];
    });
    return acc;
}

void procedural_synapses::rows_sum(std::size_t n, const std::size_t* rows, const float* in, float* acc) const {
    // A row's sum is one chain of dependent additions; eight rows whose
    // fields fit one batch advance together, lane j adding its term k at
    // step k or, once its terms are spent, keeping its sum (a select, not
    // an addition of 0: -0.0 + 0 would not be -0.0), so the chains overlap
    // and each row gets its own terms in its own order.
    constexpr std::size_t lanes = 8;
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        bool fits = true;
        for (std::size_t j = 0; j < lanes; ++j) fits &= window.count(window.field(rows[i + j])) <= batch;
        if (!fits) {
            for (std::size_t j = 0; j < lanes; ++j) acc[i + j] = row_sum(rows[i + j], in, acc[i + j]);
            continue;
        }
        thread_local std::vector<float> by_step;  // by_step[k * lanes + j]: lane j's term k
        by_step.resize(batch * lanes);
        std::size_t count[lanes], longest = 0;
        for (std::size_t j = 0; j < lanes; ++j) {
            count[j] = 0;
            terms_in_batches(*this, rows[i + j], in, [&](const std::uint32_t*, const float* term, std::size_t m) {
                for (std::size_t k = 0; k < m; ++k) by_step[k * lanes + j] = term[k];
                count[j] = m;
            });
            longest = std::max(longest, count[j]);
        }
        // The select on bits, as add_unless_zero in neurons/graded_layer.cpp
        // does: written as a conditional expression, GCC 12 at -O3 with
        // AVX-512 compiled this loop into wrong sums (the vectoriser; at
        // -O2, or without AVX-512, it was right), which
        // tests/test_procedural_synapses.cpp catches.
        std::uint32_t a[lanes];
        for (std::size_t j = 0; j < lanes; ++j) a[j] = std::bit_cast<std::uint32_t>(acc[i + j]);
        for (std::size_t k = 0; k < longest; ++k)
            for (std::size_t j = 0; j < lanes; ++j) {
                const std::uint32_t keep = 0u - static_cast<std::uint32_t>(k < count[j]);
                const float sum = std::bit_cast<float>(a[j]) + by_step[k * lanes + j];
                a[j] = (std::bit_cast<std::uint32_t>(sum) & keep) | (a[j] & ~keep);
            }
        for (std::size_t j = 0; j < lanes; ++j) acc[i + j] = std::bit_cast<float>(a[j]);
    }
    for (; i < n; ++i) acc[i] = row_sum(rows[i], in, acc[i]);
}

void procedural_synapses::row_synapses(std::size_t r, std::vector<std::uint32_t>& sources,
                                       std::vector<float>& weights) const {
    sources.clear();
    weights.clear();
    terms_in_batches(*this, r, nullptr, [&](const std::uint32_t* s, const float* w, std::size_t m) {
        sources.insert(sources.end(), s, s + m);
        weights.insert(weights.end(), w, w + m);
    });
}

std::size_t procedural_synapses::out_degree(std::uint32_t s) const {
    std::size_t n = 0;
    for_each_target(s, 0, rows(), [&](std::size_t) { ++n; });
    return n;
}

double procedural_synapses::expected_synapses() const {
    double n = 0;
    for (std::size_t r = 0; r < rows(); ++r) {
        const local_window::span f = window.field(r);
        n += double(window.count(f)) * double(threshold(f)) * 0x1p-24;
    }
    return n;
}

}  // namespace gust
