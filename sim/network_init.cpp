#include "sim/network_init.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>

#include "core/counter_rng.hpp"
#include "core/error.hpp"
#include "core/huge_pages.hpp"
#include "core/local_window.hpp"
#include "core/machine_memory.hpp"
#include "core/parallel_for.hpp"
#include "core/procedural_synapses.hpp"
#include "sim/held_rows.hpp"

namespace gust {
namespace {

// Writes the sources of field f's taken candidates (taken[c] != 0), `take`
// of them, into row, and clears every flag. The flags are read in field
// order, which is ascending source order, so the picks come out sorted
// without a sort (a field of 289 read against a sort of 128), and with no
// list of the field: each grid row's candidates are consecutive sources.
// `taken` holds at least count(f) + 16 flags, zero past the field; the walk
// ends at the last pick, so it never writes past the row.
void list_taken(const local_window& win, const local_window::span& f, char* taken, std::size_t take,
                std::uint32_t* row) {
    const auto nx = static_cast<std::size_t>(f.x1 - f.x0 + 1);
    const std::size_t cols = win.source.cols;
    std::size_t n = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__)
    // Sixteen flags at a time, their taken candidates' sources compressed
    // into the row: candidate `pos` places past the first of grid row y
    // (pos < nx + 16) is source y * cols + x0 + pos, plus cols - nx for each
    // grid row end it passes.
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i next_row = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(cols - nx)));
    std::size_t y = static_cast<std::size_t>(f.y0), at = 0;  // the grid row of the next flag, and its place in it
    for (std::size_t c = 0; n < take; c += 16) {
        const __m128i flags = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taken + c));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(taken + c), _mm_setzero_si128());
        const __mmask16 m = _mm_test_epi8_mask(flags, flags);
        if (m != 0) {
            const __m512i pos = _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(at)));
            const auto start = static_cast<std::uint32_t>(y * cols + static_cast<std::size_t>(f.x0));
            __m512i src = _mm512_add_epi32(pos, _mm512_set1_epi32(static_cast<int>(start)));
            for (std::size_t end = nx; end < at + 16; end += nx)
                src = _mm512_mask_add_epi32(
                    src, _mm512_cmpge_epu32_mask(pos, _mm512_set1_epi32(static_cast<int>(end))), src, next_row);
            const auto count = static_cast<unsigned>(std::popcount(static_cast<unsigned>(m)));
            _mm512_mask_storeu_epi32(row + n, static_cast<__mmask16>((1u << count) - 1u),
                                     _mm512_maskz_compress_epi32(m, src));
            n += count;
        }
        for (at += 16; at >= nx; at -= nx) ++y;
    }
#else
    std::size_t c = 0;
    for (auto y = static_cast<std::size_t>(f.y0); n < take; ++y) {
        const std::size_t start = y * cols + static_cast<std::size_t>(f.x0);
        for (std::size_t x = 0; x < nx && n < take; ++x, ++c) {
            row[n] = static_cast<std::uint32_t>(start + x);
            n += static_cast<std::size_t>(taken[c] != 0);
            taken[c] = 0;
        }
    }
#endif
}

// The row offsets of a drawn set of rows x cols: each row takes K sources,
// or every candidate of a smaller field, so its count comes from the
// field's size alone.
std::vector<std::uint32_t> drawn_offsets(std::size_t rows, std::size_t cols, const projection_spec& pr, double aspect) {
    const std::size_t k = pr.fan_in, radius = pr.conn == connectivity::local ? pr.radius : 0;
    const local_window window(rows, cols, std::max<std::size_t>(radius, 1), aspect);
    std::vector<std::uint32_t> offsets(rows + 1, 0);
    gust::parallel_for(tbb::blocked_range<std::size_t>(0, rows), [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r)  // a field's size without listing it
            offsets[r + 1] = static_cast<std::uint32_t>(std::min(k, radius == 0 ? cols : window.count(window.field(r))));
    });
    for (std::size_t r = 0; r < rows; ++r) offsets[r + 1] += offsets[r];
    return offsets;
}

// W.indptr: rows [lo, hi) of the whole set's offsets, the other rows empty
// (the offsets less the first held entry, clamped); returns that entry.
std::uint32_t hold_offsets(weight_matrix& W, const std::vector<std::uint32_t>& whole, std::size_t lo, std::size_t hi) {
    const std::uint32_t first = whole[lo], end = whole[hi];
    W.indptr.resize(whole.size());
    for (std::size_t r = 0; r < whole.size(); ++r) W.indptr[r] = std::clamp(whole[r], first, end) - first;
    return first;
}

// K distinct sources per target row, ascending (Floyd's sampling, then sort),
// uniform over all sources or over the row's receptive field. Each row's
// draws come from its own counter sequence, so rows are drawn in parallel
// and the set is the same whatever the thread count: given every row's
// count (the whole set's offsets), the rows' sources, a block of rows at a
// time, each block narrowed as it is drawn (synapse_sources_builder), so
// that the set is never held as 32-bit sources whole. Only rows [lo, hi)
// are drawn, the others left empty; returns the offset the first of them
// has in the whole set (where its values' draws start).
std::size_t draw_synapses(weight_matrix& W, const projection_spec& pr, double aspect, const counter_rng& rng,
                          std::uint32_t set, const std::vector<std::uint32_t>& whole, std::size_t lo, std::size_t hi) {
    const std::size_t k = pr.fan_in, radius = pr.conn == connectivity::local ? pr.radius : 0;
    const local_window window(W.rows, W.cols, std::max<std::size_t>(radius, 1), aspect);
    // Floyd's membership test, one flag per candidate, and 16 more (zero)
    // that list_taken reads past a field.
    tbb::enumerable_thread_specific<std::vector<char>> taken_flags;
    const std::uint32_t first = hold_offsets(W, whole, lo, hi);
    synapse_sources_builder sources(W.indptr);
    std::vector<std::uint32_t> block;
    constexpr std::uint32_t block_entries = 1 << 22;
    for (std::size_t r0 = lo, r1 = lo; r0 < hi; r0 = r1) {
        // Rows [r0, r1): as many whole rows as fit a block, at least one.
        const auto past = std::upper_bound(W.indptr.begin() + static_cast<std::ptrdiff_t>(r0) + 1,
                                           W.indptr.begin() + static_cast<std::ptrdiff_t>(hi) + 1,
                                           W.indptr[r0] + block_entries);
        r1 = std::max(r0 + 1, static_cast<std::size_t>(past - W.indptr.begin()) - 1);
        block.resize(W.indptr[r1] - W.indptr[r0]);
        gust::parallel_for(tbb::blocked_range<std::size_t>(r0, r1), [&](const tbb::blocked_range<std::size_t>& b) {
            auto& taken = taken_flags.local();
            for (std::size_t r = b.begin(); r < b.end(); ++r) {
                counter_sequence seq(rng, stream_id(purpose::weight_init, 16 + set), r);
                const local_window::span f = radius != 0 ? window.field(r) : local_window::span{};
                const std::size_t pool = radius != 0 ? window.count(f) : W.cols;
                const std::size_t take = std::min(k, pool);
                if (taken.size() < pool + 16) taken.resize(pool + 16, 0);
                std::uint32_t* row = block.data() + (W.indptr[r] - W.indptr[r0]);
                const bool in_order = radius != 0 && pool <= 16 * take;  // listed from the flags, not sorted
                std::size_t n = 0;
                for (std::size_t j = pool - take; j < pool; ++j) {
                    const auto t = static_cast<std::uint32_t>(seq.below(static_cast<std::uint32_t>(j + 1)));
                    // Branch-free: t is taken about as often as not late in a row.
                    const std::uint32_t hit = 0u - static_cast<std::uint32_t>(taken[t] != 0);
                    const std::uint32_t pick = (static_cast<std::uint32_t>(j) & hit) | (t & ~hit);
                    taken[pick] = 1;
                    if (!in_order) row[n++] = pick;
                }
                if (in_order) {
                    list_taken(window, f, taken.data(), take, row);
                    continue;
                }
                for (std::size_t e = 0; e < n; ++e) taken[row[e]] = 0;
                if (radius != 0)
                    for (std::size_t e = 0; e < n; ++e) row[e] = window.candidate(f, row[e]);
                std::sort(row, row + n);
            }
        });
        sources.append(block.data(), block.size());
    }
    W.indices = sources.finish();
    return first;
}

// The row offsets of rows [lo, hi) of a local set drawn one by one (draw =
// "independent"), the other rows empty: each row's synapses counted as its
// rule regenerates them, in parallel.
std::vector<std::uint32_t> independent_offsets(const procedural_synapses& rule, std::size_t rows,
                                               const std::string& name, std::size_t lo, std::size_t hi) {
    std::vector<std::uint32_t> offsets(rows + 1, 0);
    gust::parallel_for(tbb::blocked_range<std::size_t>(lo, hi), [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r) {
            std::uint32_t n = 0;
            rule.for_each_in_row(r, [&](std::uint32_t, float) { ++n; });
            offsets[r + 1] = n;
        }
    });
    std::uint64_t total = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        total += offsets[r + 1];
        if (total >= 4294967296.0) throw input_error("projection '" + name + "' draws 2^32 synapses or more; "
                                                     "a stored sparse set holds fewer (make it procedural)");
        offsets[r + 1] = static_cast<std::uint32_t>(total);
    }
    return offsets;
}

// The synapses of a local set drawn one by one, stored: exactly those its
// rule regenerates, with the rule's weights. Rows [lo, hi) filled in place
// at their offsets (of the whole set, or counted for those rows alone), in
// parallel, the others left empty.
void store_independent(weight_matrix& W, const procedural_synapses& rule, const std::string& name, std::size_t lo,
                       std::size_t hi, const std::vector<std::uint32_t>* whole) {
    if (whole != nullptr) hold_offsets(W, *whole, lo, hi);
    else W.indptr = independent_offsets(rule, W.rows, name, lo, hi);
    const std::size_t total = W.indptr.back();
    std::vector<std::uint32_t> sources;
    resize_on_huge_pages(sources, total);
    resize_on_huge_pages(W.w, total);
    gust::parallel_for(tbb::blocked_range<std::size_t>(lo, hi), [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r) {
            std::size_t e = W.indptr[r];
            rule.for_each_in_row(r, [&](std::uint32_t u, float v) {
                sources[e] = u;
                W.w[e++] = v;
            });
        }
    });
    W.indices = std::move(sources);
    W.indices.narrow(W.indptr);
}

// U(-bound, bound) from image `image` of weight set `set`'s stream: value i
// takes words 2i and 2i + 1, so ranges of values are drawn in parallel. v
// holds values [first, first + n) of the whole sequence.
void draw_uniform(float* v, std::size_t n, float bound, float gain, const counter_rng& rng, std::uint32_t set,
                  std::uint64_t image, std::size_t first = 0) {
    gust::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16), [&](const tbb::blocked_range<std::size_t>& b) {
        rng.for_each_double(stream_id(purpose::weight_init, set), image, 0, first + b.begin(), b.size(),
                            [&](std::size_t i, double u) { v[b.begin() + i] = (2.0f * static_cast<float>(u) - 1.0f) * bound; });
        if (gain != 1.0f)
            for (std::size_t i = b.begin(); i < b.end(); ++i) v[i] *= gain;
    });
}
void draw_uniform(std::vector<float>& v, float bound, float gain, const counter_rng& rng, std::uint32_t set,
                  std::uint64_t image, std::size_t first = 0) {
    draw_uniform(v.data(), v.size(), bound, gain, rng, set, image, first);
}

// How a projection's own weight set is stored: sparse (CSR) for local
// connectivity and for a random fan-in smaller than the source; dense
// otherwise (a random set that would take every source).
struct stored_set {
    std::size_t rows = 0, cols = 0;
    bool sparse = false;
    double synapses = 0;  // sparse: at most, as a receptive field may hold fewer candidates
};

stored_set stored_set_of(const network_description& d, const projection_spec& pr) {
    stored_set s;
    s.rows = d.populations[d.population_index(pr.target)].size;
    s.cols = d.populations[d.population_index(pr.source)].size;
    s.sparse = pr.conn == connectivity::local || (pr.conn == connectivity::random && pr.fan_in < s.cols);
    s.synapses = double(s.rows) * (s.sparse ? double(std::min(pr.fan_in, s.cols)) : double(s.cols));
    return s;
}

}  // namespace

std::shared_ptr<const procedural_synapses> synapse_rule(const network_description& d, const projection_spec& pr,
                                                        std::uint64_t seed, std::uint32_t set) {
    return std::make_shared<const procedural_synapses>(
        seed, set, d.populations[d.population_index(pr.target)].size, d.populations[d.population_index(pr.source)].size,
        pr.radius, double(d.width) / double(d.height), pr.fan_in, pr.gain, pr.init == weight_init::zero);
}

namespace {

// The initial bound of a set's weights (and of its target's bias).
float bound_of(const projection_spec& pr, const stored_set& shape) {
    return 1.0f / std::sqrt(static_cast<float>(shape.sparse ? pr.fan_in : shape.cols));
}

// The description's weight set number `set` (k-th projection owning one).
const projection_spec& weight_set_spec(const network_description& d, std::size_t set) {
    std::size_t k = 0;
    for (const projection_spec& pr : d.projections)
        if (pr.owns_weights() && k++ == set) return pr;
    throw std::logic_error("no weight set " + std::to_string(set));
}

}  // namespace

std::vector<std::uint32_t> init_sparse_offsets(const network_description& d, std::uint64_t seed, std::size_t set) {
    const projection_spec& pr = weight_set_spec(d, set);
    const stored_set shape = stored_set_of(d, pr);
    if (pr.draw == synapse_draw::independent)
        return independent_offsets(*synapse_rule(d, pr, seed, static_cast<std::uint32_t>(set)), shape.rows, pr.name,
                                   0, shape.rows);
    return drawn_offsets(shape.rows, shape.cols, pr, double(d.width) / double(d.height));
}

bool init_sparse_values(const network_description& d, std::uint64_t seed, std::size_t set, std::size_t first,
                        std::size_t n, float* out) {
    const projection_spec& pr = weight_set_spec(d, set);
    if (pr.draw == synapse_draw::independent) return false;  // each value hashed from its row and source
    if (pr.init == weight_init::uniform)
        draw_uniform(out, n, bound_of(pr, stored_set_of(d, pr)), pr.gain, counter_rng(seed), static_cast<std::uint32_t>(set),
                     0, first);
    else std::fill_n(out, n, 0.0f);
    return true;
}

void init_sparse_rows(const network_description& d, std::uint64_t seed, std::size_t set, std::size_t lo,
                      std::size_t hi, weight_matrix& W, const std::vector<std::uint32_t>* whole) {
    const projection_spec& pr = weight_set_spec(d, set);
    const stored_set shape = stored_set_of(d, pr);
    W.rows = shape.rows;
    W.cols = shape.cols;
    const auto s = static_cast<std::uint32_t>(set);
    if (pr.draw == synapse_draw::independent) {
        store_independent(W, *synapse_rule(d, pr, seed, s), pr.name, lo, hi, whole);
        return;
    }
    const double aspect = double(d.width) / double(d.height);
    const counter_rng rng(seed);
    const std::size_t first = whole != nullptr
                                  ? draw_synapses(W, pr, aspect, rng, s, *whole, lo, hi)
                                  : draw_synapses(W, pr, aspect, rng, s, drawn_offsets(W.rows, W.cols, pr, aspect), lo, hi);
    W.w.clear();
    resize_on_huge_pages(W.w, W.indices.size());  // zeros
    if (pr.init == weight_init::uniform) draw_uniform(W.w, bound_of(pr, shape), pr.gain, rng, s, 0, first);
}

network_parameters init_parameters(const network_description& d, std::uint64_t seed, bool sparse_empty) {
    const counter_rng rng(seed);
    network_parameters p;
    p.biases.resize(d.populations.size());
    std::vector<bool> bias_drawn(d.populations.size(), false);
    std::uint32_t set = 0;
    for (const projection_spec& pr : d.projections) {
        if (!pr.owns_weights()) continue;
        const std::size_t t = d.population_index(pr.target);
        const stored_set shape = stored_set_of(d, pr);
        const bool sparse = shape.sparse;
        weight_matrix W;
        W.rows = shape.rows;
        W.cols = shape.cols;
        const float bound = bound_of(pr, shape);
        if (pr.procedural) {
            W.rule = synapse_rule(d, pr, seed, set);
        } else if (sparse && sparse_empty) {
            W.indptr.assign(W.rows + 1, 0);  // every row empty, for init_sparse_rows to fill
        } else if (sparse) {
            init_sparse_rows(d, seed, set, 0, W.rows, W);
        } else {
            W.w.assign(W.rows * W.cols, 0.0f);
            if (pr.init == weight_init::uniform) draw_uniform(W.w, bound, pr.gain, rng, set, 0);
        }
        if (!bias_drawn[t] && d.populations[t].bias) {
            p.biases[t].assign(W.rows, 0.0f);
            if (pr.init == weight_init::uniform) draw_uniform(p.biases[t], bound, pr.gain, rng, set, 1);
        }
        bias_drawn[t] = true;
        p.weights.push_back(std::move(W));
        ++set;
    }
    return p;
}

namespace {

// The bytes of the weight sets, of the stored sparse ones only their row
// offsets unless `sparse_rows`.
double set_bytes(const network_description& d, bool sparse_rows) {
    double bytes = 0;
    for (const projection_spec& pr : d.projections) {
        if (!pr.owns_weights()) continue;
        const stored_set shape = stored_set_of(d, pr);
        if (pr.procedural) continue;  // its rule only
        // Dense: a value per synapse; CSR: value + index, and the row offsets.
        bytes += shape.sparse ? (sparse_rows ? shape.synapses * 8.0 : 0.0) + double(shape.rows) * 4.0
                              : shape.synapses * 4.0;
    }
    return bytes;
}

}  // namespace

double weight_bytes(const network_description& d) { return set_bytes(d, true); }

double trainable_values(const network_description& d) {
    double values = 0;
    for (const projection_spec& pr : d.projections)
        if (pr.owns_weights() && !pr.procedural) values += stored_set_of(d, pr).synapses;
    for (const population_spec& p : d.populations)
        if (p.type == population::kind::graded && p.bias) values += double(p.size);
    return values;
}

namespace {

// Refused before anything is allocated, with what it would take: a stored
// sparse set of 2^32 synapses or more, weights beyond this machine's memory
// (a process holding `share` of them; or, without `sparse_rows`, holding
// only the stored sparse sets' row offsets).
void check_size(const network_description& d, const std::string& origin, double share, bool sparse_rows = true) {
    for (const projection_spec& pr : d.projections) {
        if (!pr.owns_weights()) continue;
        const stored_set shape = stored_set_of(d, pr);
        if (shape.sparse && !pr.procedural && shape.synapses >= 4294967296.0)  // its offsets are 32-bit
            throw input_error(origin + ": projection '" + pr.name + "' would hold up to " +
                              std::to_string(std::llround(shape.synapses)) +
                              " synapses; a sparse set holds fewer than 2^32");
    }
    const double bytes = set_bytes(d, sparse_rows) * share;
    const memory_limit limit = process_memory_limit();
    if (bytes > limit.bytes)
        throw input_error(origin + ": the network's weights need " + whole_gib(bytes) + " GiB, more than " +
                          limit.described());
}

}  // namespace

network_model init_network(const network_description& d, std::uint64_t seed, const std::string& origin) {
    validate(d, origin);
    check_size(d, origin, 1.0);
    return assemble(d, init_parameters(d, seed), origin);
}

network_model init_network_unfilled(const network_description& d, std::uint64_t seed, const std::string& origin) {
    validate(d, origin);
    check_size(d, origin, 1.0, false);
    return assemble(d, init_parameters(d, seed, true), origin);
}

network_model init_network_rows(const network_description& d, std::uint64_t seed, const std::string& origin,
                                const rank_share& share) {
    validate(d, origin);
    check_size(d, origin, 1.0 / double(share.ranks));
    network_model m = assemble(d, init_parameters(d, seed, true), origin);
    hold_rows(m, share, [&](std::size_t set, std::size_t lo, std::size_t hi, weight_matrix& W) {
        init_sparse_rows(d, seed, set, lo, hi, W);
    });
    return m;
}

}  // namespace gust
