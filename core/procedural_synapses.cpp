#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 warns inside its own AVX-512 header, where intrinsics start from
// _mm512_undefined_epi32() (GCC bug 105593); the pragma must come before
// the header is first read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "core/procedural_synapses.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "core/transpose8.hpp"

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
    widest_rows = *std::max_element(full_rows.begin(), full_rows.end());
    widest_columns = *std::max_element(columns.begin(), columns.end());
    const std::size_t widest = std::size_t(widest_rows) * widest_columns;
    widest_threshold = widest <= fan_in ? std::uint32_t{1} << 24
                                        : static_cast<std::uint32_t>((std::uint64_t(fan_in) << 24) / widest);
}

namespace {

#if defined(__AVX512F__)
// Sixteen candidates at once, each lane with its own source and row: the
// operations of synapse_hash and procedural_synapses::weight, lane by
// lane, so the same bits.
inline __m512i fmix32_lanes(__m512i h) {
    h = _mm512_xor_si512(h, _mm512_srli_epi32(h, 16));
    h = _mm512_mullo_epi32(h, _mm512_set1_epi32(static_cast<int>(0x85ebca6bu)));
    h = _mm512_xor_si512(h, _mm512_srli_epi32(h, 13));
    h = _mm512_mullo_epi32(h, _mm512_set1_epi32(static_cast<int>(0xc2b2ae35u)));
    return _mm512_xor_si512(h, _mm512_srli_epi32(h, 16));
}
inline __m512i draw_lanes(__m512i row_key, __m512i s) { return fmix32_lanes(_mm512_xor_si512(row_key, s)); }
inline __m512i first_plus_lane(std::uint32_t first) {
    return _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first)),
                            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}
// The rule's weight parameters as values, so that a loop storing floats
// need not read them back through the rule after every store.
struct weight_params {
    bool zero;
    float bound, gain;
    explicit weight_params(const procedural_synapses& p) : zero(p.zero), bound(p.bound), gain(p.gain) {}
};
// weight(h) in lanes, by an exact rewriting: with k = h >> 8, uniform(h)
// is k 2^-24, so 2 uniform - 1 = (k - 2^23) 2^-23, exactly (24 bits), and
// (k - 2^23) 2^-23 x bound rounds the same real number as (k - 2^23) x
// (bound 2^-23), itself exact (a power of two, far from the subnormals).
inline __m512 weight_lanes(const weight_params& p, __m512i h) {
    if (p.zero) return _mm512_setzero_ps();
    const __m512i centred = _mm512_sub_epi32(_mm512_srli_epi32(h, 8), _mm512_set1_epi32(1 << 23));
    __m512 w = _mm512_mul_ps(_mm512_cvtepi32_ps(centred), _mm512_set1_ps(p.bound * 0x1p-23f));
    if (p.gain != 1.0f) w = _mm512_mul_ps(w, _mm512_set1_ps(p.gain));
    return w;
}
// The first min(n, 16) lanes.
inline __mmask16 first_lanes(std::size_t n) {
    return n >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << n) - 1);
}

// Row r's terms in[s] x w, for each synapse whose input is not zero,
// ascending s, written to term (room for count(field) + 16); returns how
// many. The field's inputs are first copied into one stream (a grid row
// of 17 candidates would otherwise take two steps of 16, and a gather
// costs more than the copy). Then sixteen candidates at a time, lane k of
// a step being candidate k of the field (row k / W, column k % W, whatever
// grid row it falls in): whether it is a synapse and its input is not
// zero; the sources and inputs that count are packed in order. Last, the
// weights of those alone are drawn (a quarter of the candidates at most,
// at fan-in 64 of 289) and the terms formed in place.
std::size_t row_terms(const procedural_synapses& p, std::size_t r, const float* in, float* term) {
    const local_window::span f = p.window.field(r);
    const std::size_t count = p.window.count(f);
    const auto width = static_cast<std::uint32_t>(f.x1 - f.x0 + 1);
    const auto cols = static_cast<std::uint32_t>(p.window.source.cols);
    const __m512i t = _mm512_set1_epi32(static_cast<int>(p.threshold(f)));
    const __m512i kp = _mm512_set1_epi32(static_cast<int>(synapse_hash::row_key(p.hash.presence_key, static_cast<std::uint32_t>(r))));
    const __m512i w_lanes = _mm512_set1_epi32(static_cast<int>(width));
    // Lane k: column x = k % W of the field, offset (k / W) x cols of its grid row.
    __m512i x = first_plus_lane(0), row = _mm512_setzero_si512();
    for (__mmask16 past; (past = _mm512_cmpge_epu32_mask(x, w_lanes)) != 0;) {
        x = _mm512_mask_sub_epi32(x, past, x, w_lanes);
        row = _mm512_mask_add_epi32(row, past, row, _mm512_set1_epi32(static_cast<int>(cols)));
    }
    // A step of 16 candidates: 16 / W grid rows and 16 % W columns on.
    const __m512i step_x = _mm512_set1_epi32(static_cast<int>(16 % width));
    const __m512i step_row = _mm512_set1_epi32(static_cast<int>(16 / width * cols));
    const __m512i origin = _mm512_set1_epi32(static_cast<int>(f.y0 * std::int64_t(cols) + f.x0));
    thread_local std::vector<float> stream_buffer;
    thread_local std::vector<std::uint32_t> kept_buffer;
    if (stream_buffer.size() < p.candidates_bound() + 16) {  // once per thread and rule size, not per row
        stream_buffer.resize(p.candidates_bound() + 16);
        kept_buffer.resize(p.candidates_bound() + 16);
    }
    float* stream = stream_buffer.data();
    std::uint32_t* kept_source = kept_buffer.data();
    for (std::int64_t y = f.y0, k = 0; y <= f.y1; ++y) {
        const float* from = in + y * std::int64_t(cols) + f.x0;
        const std::int64_t n = p.window.row_end(f, y) - f.x0;
        for (std::int64_t i = 0; i < n; i += 16) {
            const __mmask16 lanes = first_lanes(static_cast<std::size_t>(n - i));
            _mm512_mask_storeu_ps(stream + k + i, lanes, _mm512_maskz_loadu_ps(lanes, from + i));
        }
        k += n;
    }
    const weight_params wp(p);
    const __m512i kw = _mm512_set1_epi32(static_cast<int>(synapse_hash::row_key(p.hash.weight_key, static_cast<std::uint32_t>(r))));
    std::size_t m = 0;
    for (std::size_t k = 0; k < count; k += 16) {
        const __mmask16 lanes = first_lanes(count - k);
        const __m512i s = _mm512_add_epi32(origin, _mm512_add_epi32(row, x));
        const __m512 v = _mm512_maskz_loadu_ps(lanes, stream + k);
        const __mmask16 keep = _mm512_mask_cmplt_epu32_mask(_mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ) & lanes,
                                                            _mm512_srli_epi32(draw_lanes(kp, s), 8), t);
        _mm512_storeu_si512(kept_source + m, _mm512_maskz_compress_epi32(keep, s));
        _mm512_storeu_ps(term + m, _mm512_maskz_compress_ps(keep, v));
        m += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(keep)));
        x = _mm512_add_epi32(x, step_x);
        row = _mm512_add_epi32(row, step_row);
        const __mmask16 past = _mm512_cmpge_epu32_mask(x, w_lanes);
        x = _mm512_mask_sub_epi32(x, past, x, w_lanes);
        row = _mm512_mask_add_epi32(row, past, row, _mm512_set1_epi32(static_cast<int>(cols)));
    }
    for (std::size_t k = 0; k < m; k += 16) {
        const __m512i s = _mm512_loadu_si512(kept_source + k);
        _mm512_storeu_ps(term + k, _mm512_mul_ps(_mm512_loadu_ps(term + k), weight_lanes(wp, draw_lanes(kw, s))));
    }
    return m;
}
#endif

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
// zero, in order; without an input (in null), every synapse and its weight.
// Per batch: first whether each candidate counts, in independent lanes
// that vectorise; then the ones that count are packed, in order; then
// their weights (a synapse's weight is drawn only where it is used), unless
// `Weights` is false: then g gets the sources alone (terms null).
template <bool Weights = true, class G>
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
        if constexpr (!Weights) {
            g(static_cast<const std::uint32_t*>(src), static_cast<const float*>(nullptr), m);
            return;
        }
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
#if defined(__AVX512F__)
    thread_local std::vector<float> term;
    term.resize(window.count(window.field(r)) + 16);
    const std::size_t m = row_terms(*this, r, in, term.data());
    for (std::size_t i = 0; i < m; ++i) acc += term[i];
#else
    terms_in_batches(*this, r, in, [&](const std::uint32_t*, const float* term, std::size_t m) {
        for (std::size_t i = 0; i < m; ++i) acc += term[i];
    });
#endif
    return acc;
}

void procedural_synapses::rows_sum(std::size_t n, const std::size_t* rows, const float* in, float* acc) const {
    // A row's sum is one chain of dependent additions; eight rows advance
    // together so that the chains overlap, each row adding its own terms
    // in its own order.
    constexpr std::size_t lanes = 8;
    std::size_t i = 0;
#if defined(__AVX512F__)
    // Each row's terms in a line of its own, padded with -0.0 (which,
    // added, changes no sum's bits) to a whole number of blocks of eight;
    // a block of the eight lines turned (transpose8) is one vector addition
    // per term for all eight sums.
    thread_local std::vector<float> lines;
    for (; i + lanes <= n; i += lanes) {
        const std::size_t stride = (candidates_bound() + 16 + 7) / 8 * 8;
        if (lines.size() < stride * lanes) lines.resize(stride * lanes);
        std::size_t count[lanes], longest = 0;
        for (std::size_t j = 0; j < lanes; ++j) {
            count[j] = row_terms(*this, rows[i + j], in, lines.data() + j * stride);
            longest = std::max(longest, count[j]);
        }
        const std::size_t blocks = (longest + 7) / 8;
        for (std::size_t j = 0; j < lanes; ++j)  // whole vectors: a line has room for 16 past its widest field
            for (std::size_t e = count[j]; e < blocks * 8; e += 8)
                _mm256_storeu_ps(lines.data() + j * stride + e, _mm256_set1_ps(-0.0f));
        __m256 sum = _mm256_loadu_ps(acc + i);
        for (std::size_t b = 0; b < blocks; ++b) {
            __m256 block[lanes];
            for (std::size_t j = 0; j < lanes; ++j) block[j] = _mm256_loadu_ps(lines.data() + j * stride + 8 * b);
            sum = add_in_order(sum, block);
        }
        _mm256_storeu_ps(acc + i, sum);
    }
#else
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
#endif
    for (; i < n; ++i) acc[i] = row_sum(rows[i], in, acc[i]);
}

void procedural_synapses::target_runs(std::uint32_t s, std::size_t row_begin, std::size_t row_end,
                                      std::vector<target_run>& out) const {
    // present() in lanes: (top24 + 1) x candidates <= fan_in x 2^24, a
    // product of up to 56 bits, formed in 64-bit lanes eight at a time.
#if defined(__AVX512F__)
    const __m512i source = _mm512_set1_epi32(static_cast<int>(s)), key = _mm512_set1_epi32(static_cast<int>(hash.presence_key));
    const __m512i limit = _mm512_set1_epi64(static_cast<long long>(std::uint64_t(fan_in) << 24));
    auto half = [&](__m256i t, __m256i c) {
        return _mm512_cmple_epu64_mask(_mm512_mul_epu32(_mm512_cvtepu32_epi64(t), _mm512_cvtepu32_epi64(c)), limit);
    };
#endif
    window.for_each_reaching_run(s, row_begin, row_end, [&](std::size_t ty, std::size_t tx0, std::size_t tx1) {
        for (std::size_t x0 = tx0; x0 < tx1; x0 += 16) {
            const std::size_t n = std::min<std::size_t>(16, tx1 - x0);
            const auto first = static_cast<std::uint32_t>(ty * window.target.cols + x0);
#if defined(__AVX512F__)
            const __mmask16 lanes = first_lanes(n);
            const __m512i keys = fmix32_lanes(_mm512_xor_si512(key, first_plus_lane(first)));
            const __m512i top = _mm512_srli_epi32(draw_lanes(keys, source), 8);
            const __m512i cols = _mm512_maskz_loadu_epi32(lanes, columns.data() + x0);
            std::uint32_t keep;
            if (full_rows[ty] == widest_rows && reaches_last[ty] == 0 &&
                _mm512_mask_cmpeq_epi32_mask(lanes, cols, _mm512_set1_epi32(static_cast<int>(widest_columns))) == lanes) {
                // Every field of the run is the widest: one threshold, as row_terms tests it.
                keep = _mm512_mask_cmplt_epu32_mask(lanes, top, _mm512_set1_epi32(static_cast<int>(widest_threshold)));
            } else {
                const __m512i top1 = _mm512_add_epi32(top, _mm512_set1_epi32(1));
                const __m512i count = _mm512_add_epi32(
                    _mm512_mullo_epi32(_mm512_set1_epi32(static_cast<int>(full_rows[ty])), cols),
                    _mm512_mullo_epi32(_mm512_set1_epi32(static_cast<int>(reaches_last[ty])),
                                       _mm512_maskz_loadu_epi32(lanes, last_columns.data() + x0)));
                const unsigned low = half(_mm512_castsi512_si256(top1), _mm512_castsi512_si256(count));
                const unsigned high = half(_mm512_extracti64x4_epi64(top1, 1), _mm512_extracti64x4_epi64(count, 1));
                keep = (low | high << 8) & lanes;
            }
#else
            std::uint32_t keep = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const auto r = first + static_cast<std::uint32_t>(i);
                const bool in = present(synapse_hash::draw(synapse_hash::row_key(hash.presence_key, r), s),
                                        full_rows[ty] * columns[x0 + i] + reaches_last[ty] * last_columns[x0 + i]);
                keep |= static_cast<std::uint32_t>(in) << i;
            }
#endif
            if (keep != 0) out.push_back({first, keep});
        }
    });
}

void procedural_synapses::add_to_targets(std::uint32_t s, float v, float* acc, std::size_t row_begin,
                                         std::size_t row_end) const {
    for_each_target_mask(s, row_begin, row_end, [&](std::size_t first, std::uint32_t keep) {
#if defined(__AVX512F__)
        const __m512i keys = fmix32_lanes(_mm512_xor_si512(_mm512_set1_epi32(static_cast<int>(hash.weight_key)),
                                                           first_plus_lane(static_cast<std::uint32_t>(first))));
        const __m512 w = weight_lanes(weight_params(*this), draw_lanes(keys, _mm512_set1_epi32(static_cast<int>(s))));
        const auto k = static_cast<__mmask16>(keep);
        const __m512 a = _mm512_maskz_loadu_ps(k, acc + first);
        _mm512_mask_storeu_ps(acc + first, k, _mm512_add_ps(a, _mm512_mul_ps(_mm512_set1_ps(v), w)));
#else
        for (; keep != 0; keep &= keep - 1) {
            const std::size_t r = first + static_cast<std::size_t>(std::countr_zero(keep));
            acc[r] += v * weight_at(r, s);
        }
#endif
    });
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

void procedural_synapses::row_sources(std::size_t r, std::vector<std::uint32_t>& sources) const {
    sources.clear();
    terms_in_batches<false>(*this, r, nullptr, [&](const std::uint32_t* s, const float*, std::size_t m) {
        sources.insert(sources.end(), s, s + m);
    });
}

std::size_t procedural_synapses::out_degree(std::uint32_t s) const {
    std::size_t n = 0;
    for_each_target_mask(s, 0, rows(), [&](std::size_t, std::uint32_t keep) { n += static_cast<std::size_t>(std::popcount(keep)); });
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
