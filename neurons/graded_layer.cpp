#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 warns inside its own AVX-512 header, where intrinsics start from
// _mm512_undefined_epi32() (GCC bug 105593); the pragma must come before
// the header is first read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "neurons/graded_layer.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "core/procedural_synapses.hpp"
#include "core/transpose8.hpp"
#include "neurons/panel_layer.hpp"

namespace gust {

namespace {
// acc + v * w, or acc itself where v is zero: the canonical order skips zero
// inputs. A select on bits rather than a branch (a relu layer's zeros fall
// in no pattern, and a conditional expression may be compiled back into a
// branch); the sum keeps its bits either way.
inline float add_unless_zero(float acc, float v, float w) {
    const float sum = acc + v * w;
    const std::uint32_t keep = 0u - static_cast<std::uint32_t>(v != 0.0f);
    return std::bit_cast<float>((std::bit_cast<std::uint32_t>(sum) & keep) | (std::bit_cast<std::uint32_t>(acc) & ~keep));
}
}  // namespace

void nonzero_inputs(const float* in, std::size_t n, std::vector<column_input>& out) {
    // Branch-free: every entry is written and the cursor advances only past
    // non-zeros. A relu layer is about half zeros in no pattern, which a
    // branch would mispredict half the time.
    out.resize(n);
    std::size_t w = 0;
    for (std::size_t i = 0; i < n; ++i) {
        out[w] = {static_cast<std::uint32_t>(i), in[i]};
        w += in[i] != 0.0f;
    }
    out.resize(w);
}

void accumulate_fanout(const fanout_matrix& f, const column_input* in, std::size_t count, float* acc,
                       std::size_t row_begin, std::size_t row_end) {
    if (f.dense) {
        accumulate_panels(f.panels, in, count, acc, row_begin, row_end);
        return;
    }
    const float* w = f.values.data();
    for (std::size_t e = 0; e < count; ++e) {
        const float v = in[e].value;
        f.for_each_target(in[e].source, [&](std::uint32_t r, std::uint32_t s) { acc[r] += v * w[s]; });
    }
}

void accumulate_procedural(const procedural_synapses& rule, const column_input* in, std::size_t count, float* acc,
                           std::size_t row_begin, std::size_t row_end) {
    for (std::size_t e = 0; e < count; ++e) rule.add_to_targets(in[e].source, in[e].value, acc, row_begin, row_end);
}

float accumulate_row(const weight_matrix& W, std::size_t row, const column_input* in, std::size_t count,
                     const float* dense_in, float acc) {
    if (W.procedural()) return W.rule->row_sum(row, dense_in, acc);
    if (!W.sparse()) {
        const float* w = W.w.data() + row * W.cols;
        for (std::size_t e = 0; e < count; ++e) acc += in[e].value * w[in[e].source];
        return acc;
    }
    W.indices.for_each_in_row(row, W.indptr[row], W.indptr[row + 1], [&](std::uint32_t s, std::uint32_t source) {
        // A branch here, not add_unless_zero: one row is one chain of
        // additions, and skipping its zero terms shortens it.
        const float v = dense_in[source];
        if (v != 0.0f) acc += v * W.w[s];
    });
    return acc;
}

namespace {
// One sparse row's sum is a chain of dependent additions; eight rows
// advance together so that their chains overlap, for as many synapses as
// the shortest has, and each then finishes alone.
constexpr std::size_t row_lanes = 8;

// The cache lines of the next eight rows' synapses, asked of memory a few
// at a time while the current eight are summed rather than all at once.
// Where a step's rows lie in short runs the hardware sees no stream, and a
// burst of some hundred prefetches fills the core's queue of misses, so the
// sums wait until most have arrived; spread out, the loads overlap the
// arithmetic (docs/benchmarks.md, "Where a step's rows lie is what they
// cost"). Lines past `capacity` (rows far longer than a local field's) are
// asked for at once.
class line_prefetches {
public:
    static constexpr std::size_t capacity = 256;

    void add(const void* begin, const void* end) {
        for (auto p = static_cast<const char*>(begin); p < end; p += 64) {
            if (n_ < capacity) line_[n_++] = p;
            else __builtin_prefetch(p);
        }
    }
    // The lines are to be asked for in `parts` shares.
    void spread_over(std::size_t parts) { share_ = parts == 0 ? n_ : (n_ + parts - 1) / parts; }
    // Asks for the next share.
    void issue_share() {
        const std::size_t stop = std::min(n_, done_ + share_);
        for (; done_ < stop; ++done_) __builtin_prefetch(line_[done_]);
    }
    void issue_rest() {
        for (; done_ < n_; ++done_) __builtin_prefetch(line_[done_]);
    }

private:
    const char* line_[capacity];
    std::size_t n_ = 0, done_ = 0, share_ = 0;
};

#if defined(__AVX512F__) && defined(__AVX512DQ__)
// The sources of rows r0 and r1's synapses e0.. and e1.. (eight each) in
// one vector: 32-bit, or 16-bit offsets widened in one instruction and
// added to their rows' first sources.
inline __m512i sixteen_sources(const std::uint32_t* src, std::size_t e0, std::size_t e1, std::uint32_t,
                               std::uint32_t) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + e0))),
                              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + e1)), 1);
}
inline __m512i sixteen_sources(const std::uint16_t* src, std::size_t e0, std::size_t e1, std::uint32_t first0,
                               std::uint32_t first1) {
    const __m256i offsets =
        _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + e0))),
                                _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + e1)), 1);
    const __m512i firsts = _mm512_mask_blend_epi32(0xFF00, _mm512_set1_epi32(static_cast<int>(first0)),
                                                   _mm512_set1_epi32(static_cast<int>(first1)));
    return _mm512_add_epi32(_mm512_cvtepu16_epi32(offsets), firsts);
}

// Rows r0 and r1's products of synapses e0.. and e1.. (eight each) in one
// 16-lane gather: half the gathers, the kernel's dearest instructions
// (docs/benchmarks.md, "A billion synapses": 1.28-1.40x dense steps per
// second there, 1.05-1.30x event steps on its 800 x 800 shrink). A skipped
// term's product is -0.0, which added changes no sum's bits.
template <class Index>
inline void two_rows_products(const Index* src, const float* wt, std::size_t e0, std::size_t e1, std::uint32_t first0,
                              std::uint32_t first1, const float* dense_in, __m256& r0, __m256& r1) {
    const __m512i idx = sixteen_sources(src, e0, e1, first0, first1);
    const __m512 w = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(wt + e0)), _mm256_loadu_ps(wt + e1), 1);
    const __m512 v = _mm512_i32gather_ps(idx, dense_in, 4);
    const __m512 p = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ),
                                          _mm512_set1_ps(-0.0f), _mm512_mul_ps(v, w));
    r0 = _mm512_castps512_ps256(p);
    r1 = _mm512_extractf32x8_ps(p, 1);
}
#elif defined(__AVX2__)
// The same with one 8-lane gather per row, its sources 32-bit or 16-bit
// offsets from the row's first source.
inline __m256i eight_sources(const std::uint32_t* src, std::size_t e, std::uint32_t) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + e));
}
inline __m256i eight_sources(const std::uint16_t* src, std::size_t e, std::uint32_t first) {
    return _mm256_add_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + e))),
                            _mm256_set1_epi32(static_cast<int>(first)));
}
template <class Index>
inline __m256 eight_products(const Index* src, const float* wt, std::size_t e, std::uint32_t first,
                             const float* dense_in) {
    const __m256 v = _mm256_i32gather_ps(dense_in, eight_sources(src, e, first), 4);
    const __m256 p = _mm256_mul_ps(v, _mm256_loadu_ps(wt + e));
    return _mm256_blendv_ps(_mm256_set1_ps(-0.0f), p, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NEQ_UQ));
}
template <class Index>
inline void two_rows_products(const Index* src, const float* wt, std::size_t e0, std::size_t e1, std::uint32_t first0,
                              std::uint32_t first1, const float* dense_in, __m256& r0, __m256& r1) {
    r0 = eight_products(src, wt, e0, first0, dense_in);
    r1 = eight_products(src, wt, e1, first1, dense_in);
}
#endif

#if defined(__AVX2__)
// The first `blocks` x 8 synapses of eight rows, in vector lanes: each
// row's eight products at once (its indices and weights are contiguous);
// then the 8 x 8 products turned, so that the eight chains of additions
// advance one vector addition per synapse, each in its row's order.
template <class Index>
void eight_rows_vector(const Index* src, const float* wt, const std::uint32_t* at, const std::uint32_t* first,
                       std::uint32_t blocks, const float* dense_in, float* a, line_prefetches& next) {
    __m256 sum = _mm256_loadu_ps(a);
    next.spread_over(blocks);
    for (std::uint32_t b = 0; b < blocks; ++b) {
        next.issue_share();
        __m256 prod[row_lanes];
        for (std::size_t j = 0; j < row_lanes; j += 2)
            two_rows_products(src, wt, at[j] + 8 * b, at[j + 1] + 8 * b, first[j], first[j + 1], dense_in, prod[j],
                              prod[j + 1]);
        sum = add_in_order(sum, prod);
    }
    _mm256_storeu_ps(a, sum);
}
#endif

// Adds to acc[j] the sum of the row whose len[j] synapses start at
// start[j], their sources first[j] + src[e] (first[j] = 0 for 32-bit
// sources), asking for the `next` lines meanwhile. The sums are formed in
// a local array: written through acc, which might alias the inputs, every
// step would be stored and reloaded.
template <class Index>
void eight_rows(const Index* src, const float* wt, const std::uint32_t* start, const std::uint32_t* len,
                const std::uint32_t* first, const float* dense_in, float* acc, line_prefetches& next) {
    std::uint32_t at[row_lanes];
    float a[row_lanes];
    std::uint32_t common = len[0];
    for (std::size_t j = 0; j < row_lanes; ++j) {
        at[j] = start[j];
        a[j] = acc[j];
        common = std::min(common, len[j]);
    }
    std::uint32_t e = 0;
#if defined(__AVX2__)
    eight_rows_vector(src, wt, at, first, common / 8, dense_in, a, next);
    e = common / 8 * 8;
#endif
    next.issue_rest();
    for (; e < common; ++e)
        for (std::size_t j = 0; j < row_lanes; ++j) {
            const float v = dense_in[first[j] + src[at[j] + e]];
            a[j] = add_unless_zero(a[j], v, wt[at[j] + e]);
        }
    for (std::size_t j = 0; j < row_lanes; ++j) {
        for (e = common; e < len[j]; ++e)
            a[j] = add_unless_zero(a[j], dense_in[first[j] + src[at[j] + e]], wt[at[j] + e]);
        acc[j] = a[j];
    }
}

// acc[i] += the sum of row row_at(i) for i < n, of a stored set whose
// sources are src (entries) and firsts (rows; null for 32-bit sources).
template <class Index, class RowAt>
void stored_rows_by_eight(const weight_matrix& W, const Index* src, const std::uint32_t* firsts, std::size_t n,
                          RowAt row_at, const float* dense_in, float* acc) {
    const std::uint32_t* ptr = W.indptr.data();
    const float* wt = W.w.data();
    std::size_t i = 0;
    for (; i + row_lanes <= n; i += row_lanes) {
        // The next eight rows' synapses are asked of memory while these are
        // summed. Each row is a short run (a few cache lines of sources and
        // of weights), too short for the hardware to see a stream in, so
        // without this every row's first lines are waited for.
        // Those prefetches need the rows' offsets, which are asked of memory
        // further ahead: where the rows are not consecutive (a list of a
        // step's rows) the offsets of each run of rows miss the cache too.
        for (std::size_t j = i + 3 * row_lanes; j < std::min(n, i + 4 * row_lanes); ++j) {
            const std::size_t r = row_at(j);
            __builtin_prefetch(ptr + r);
            if (firsts != nullptr) __builtin_prefetch(firsts + r);
        }
        line_prefetches next;
        for (std::size_t j = i + row_lanes; j < std::min(n, i + 2 * row_lanes); ++j) {
            const std::size_t r = row_at(j);
            next.add(src + ptr[r], src + ptr[r + 1]);
            next.add(wt + ptr[r], wt + ptr[r + 1]);
        }
        std::uint32_t start[row_lanes], len[row_lanes], first[row_lanes];
        for (std::size_t j = 0; j < row_lanes; ++j) {
            const std::size_t r = row_at(i + j);
            start[j] = ptr[r];
            len[j] = ptr[r + 1] - ptr[r];
            first[j] = firsts ? firsts[r] : 0;
        }
        eight_rows(src, wt, start, len, first, dense_in, acc + i, next);
    }
    for (; i < n; ++i) acc[i] = accumulate_row(W, row_at(i), nullptr, 0, dense_in, acc[i]);
}

// acc[i] += the sum of row row_at(i) for i < n.
template <class RowAt>
void sparse_rows_by_eight(const weight_matrix& W, std::size_t n, RowAt row_at, const float* dense_in, float* acc) {
    if (W.procedural()) {  // its rows regenerated, eight at a time
        std::size_t rows[row_lanes];
        std::size_t i = 0;
        for (; i + row_lanes <= n; i += row_lanes) {
            for (std::size_t j = 0; j < row_lanes; ++j) rows[j] = row_at(i + j);
            W.rule->rows_sum(row_lanes, rows, dense_in, acc + i);
        }
        for (; i < n; ++i) acc[i] = W.rule->row_sum(row_at(i), dense_in, acc[i]);
        return;
    }
    if (W.indices.is_narrow())
        stored_rows_by_eight(W, W.indices.offsets(), W.indices.firsts(), n, row_at, dense_in, acc);
    else
        stored_rows_by_eight(W, W.indices.wide(), nullptr, n, row_at, dense_in, acc);
}
}  // namespace

void accumulate_sparse_rows(const weight_matrix& W, const float* dense_in, float* acc, std::size_t row_begin,
                            std::size_t row_end) {
    sparse_rows_by_eight(W, row_end - row_begin, [row_begin](std::size_t i) { return row_begin + i; }, dense_in,
                         acc + row_begin);
}

void accumulate_sparse_row_list(const weight_matrix& W, const std::uint32_t* rows, std::size_t n,
                                const float* dense_in, float* acc) {
    sparse_rows_by_eight(W, n, [rows](std::size_t i) { return std::size_t(rows[i]); }, dense_in, acc);
}

void accumulate_dense_rows(const float* W, std::size_t cols, const std::uint32_t* rows, std::size_t n_rows,
                           const column_input* in, std::size_t count, float* acc) {
    constexpr std::size_t lanes = 8;
    std::size_t j0 = 0;
    for (; j0 + lanes <= n_rows; j0 += lanes) {
        const float* w[lanes];
        float a[lanes];
        for (std::size_t j = 0; j < lanes; ++j) {
            w[j] = W + static_cast<std::size_t>(rows[j0 + j]) * cols;
            a[j] = acc[j0 + j];
        }
        for (std::size_t e = 0; e < count; ++e) {
            const float v = in[e].value;
            const std::uint32_t s = in[e].source;
            for (std::size_t j = 0; j < lanes; ++j) a[j] += v * w[j][s];
        }
        for (std::size_t j = 0; j < lanes; ++j) acc[j0 + j] = a[j];
    }
    for (; j0 < n_rows; ++j0) {
        const float* w = W + static_cast<std::size_t>(rows[j0]) * cols;
        float a = acc[j0];
        for (std::size_t e = 0; e < count; ++e) a += in[e].value * w[in[e].source];
        acc[j0] = a;
    }
}

void accumulate_dense_rows(const weight_matrix& W, const std::uint32_t* rows, std::size_t n_rows,
                           const column_input* in, std::size_t count, float* acc) {
    accumulate_dense_rows(W.w.data(), W.cols, rows, n_rows, in, count, acc);
}

void apply_activation(activation act, float* v, std::size_t n) {
    // One plain loop per operation, so that relu and the sigmoid's additions
    // and divisions vectorise; each value goes through the same IEEE float
    // operations as apply_activation(act, v) above (only exp stays a call).
    switch (act) {
        case activation::relu:
            for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
            return;
        case activation::sigmoid:
            for (std::size_t i = 0; i < n; ++i) v[i] = std::exp(-v[i]);
            for (std::size_t i = 0; i < n; ++i) v[i] = 1.0f / (1.0f + v[i]);
            return;
    }
}

}  // namespace gust
