#include "core/fanout_matrix.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <limits>

#include "core/huge_pages.hpp"
#include "core/parallel_for.hpp"

namespace gust {
namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

// What one piece of the rows learns of a source in the first pass: how many
// of its rows reach the source, and the first and last of them. Side by
// side, so that a synapse touches one cache line. The second pass turns the
// count into where the piece writes the source's next entry.
struct source_in_piece {
    std::uint32_t count = 0, first = none, last = 0;
};

struct piece {
    std::size_t row_begin, row_end;
    std::vector<source_in_piece> sources;
};

void count_sources(const weight_matrix& W, piece& p) {
    p.sources.assign(W.cols, {});
    for (std::size_t r = p.row_begin; r < p.row_end; ++r) {
        const auto row = static_cast<std::uint32_t>(r);
        W.indices.for_each_in_row(r, W.indptr[r], W.indptr[r + 1], [&](std::uint32_t, std::uint32_t c) {
            source_in_piece& s = p.sources[c];
            ++s.count;
            if (s.first == none) s.first = row;
            s.last = row;
        });
    }
}

// The second pass over one piece, its storage chosen once rather than per
// synapse. Rows are visited ascending and each piece writes after the
// pieces of lower rows, so each source's targets come out sorted.
template <bool Narrow, bool Values>
void fill_entries(fanout_matrix& f, const weight_matrix& W, piece& p) {
    for (std::size_t r = p.row_begin; r < p.row_end; ++r) {
        const auto row = static_cast<std::uint32_t>(r);
        W.indices.for_each_in_row(r, W.indptr[r], W.indptr[r + 1], [&](std::uint32_t e, std::uint32_t c) {
            const std::uint32_t pos = p.sources[c].count++;
            if constexpr (Narrow) f.near[pos] = static_cast<std::uint16_t>(row - f.first[c]);
            else f.targets[pos] = row;
            if constexpr (Values) f.values[pos] = W.w[e];
        });
    }
}

}  // namespace

fanout_matrix fanout_matrix::build(const weight_matrix& W, std::size_t row_begin, std::size_t row_end,
                                   bool with_values, std::size_t pieces) {
    fanout_matrix f;
    f.rows = W.rows;
    f.cols = W.cols;
    f.dense = !W.sparse();
    if (f.dense) {
        // Kept whole so row ranges index it directly.
        f.panels.pack(W.w.data(), W.rows, W.cols);
        return f;
    }
    // A large set is turned in pieces of consecutive rows on oneTBB's
    // workers (a billion-synapse network's largest takes seconds on one
    // core); each piece counts its sources, then writes its entries after
    // those of the pieces before it: the same table whatever the pieces.
    const std::size_t synapses = W.indptr[row_end] - W.indptr[row_begin];
    if (pieces == 0)
        pieces = synapses < (std::size_t{1} << 22)
                     ? 1
                     : std::min<std::size_t>(tbb::this_task_arena::max_concurrency(),
                                             tbb::global_control::active_value(
                                                 tbb::global_control::max_allowed_parallelism));
    pieces = std::clamp<std::size_t>(pieces, 1, std::max<std::size_t>(row_end - row_begin, 1));
    std::vector<piece> parts(pieces);
    for (std::size_t k = 0; k < pieces; ++k)
        parts[k] = {row_begin + (row_end - row_begin) * k / pieces, row_begin + (row_end - row_begin) * (k + 1) / pieces,
                    {}};
    gust::parallel_for(std::size_t(0), pieces, [&](std::size_t k) { count_sources(W, parts[k]); });

    // Offsets by source; each piece's count becomes where it writes first.
    f.col_ptr.resize(W.cols + 1);
    f.col_ptr[0] = 0;
    std::vector<std::uint32_t> first(W.cols, none);
    bool narrow = true, reached = false;
    for (std::size_t c = 0; c < W.cols; ++c) {
        std::uint32_t at = f.col_ptr[c], last = 0;
        for (piece& p : parts) {
            source_in_piece& s = p.sources[c];
            if (s.count != 0) {
                if (first[c] == none) first[c] = s.first;
                last = s.last;
            }
            const std::uint32_t n = s.count;
            s.count = at;
            at += n;
        }
        f.col_ptr[c + 1] = at;
        if (first[c] == none) continue;
        if (last - first[c] > std::numeric_limits<std::uint16_t>::max()) narrow = false;
        if (!reached) f.reached_begin = static_cast<std::uint32_t>(c);
        reached = true;
        f.reached_end = static_cast<std::uint32_t>(c + 1);
    }
    const std::size_t n = f.col_ptr.back();
    if (narrow) {
        for (std::uint32_t& s : first) s = s == none ? 0 : s;
        f.first = std::move(first);
        resize_on_huge_pages(f.near, n);
    } else {
        resize_on_huge_pages(f.targets, n);
    }
    if (with_values) resize_on_huge_pages(f.values, n);
    gust::parallel_for(std::size_t(0), pieces, [&](std::size_t k) {
        if (narrow) {
            if (with_values) fill_entries<true, true>(f, W, parts[k]);
            else fill_entries<true, false>(f, W, parts[k]);
        } else {
            if (with_values) fill_entries<false, true>(f, W, parts[k]);
            else fill_entries<false, false>(f, W, parts[k]);
        }
    });
    return f;
}

}  // namespace gust
