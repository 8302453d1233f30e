#include "core/fanout_matrix.hpp"

#include <limits>

#include "core/huge_pages.hpp"

namespace gust {

fanout_matrix fanout_matrix::build(const weight_matrix& W, std::size_t row_begin, std::size_t row_end,
                                   bool with_values) {
    fanout_matrix f;
    f.rows = W.rows;
    f.cols = W.cols;
    f.dense = !W.sparse();
    if (f.dense) {
        // Kept whole so row ranges index it directly.
        f.panels.pack(W.w.data(), W.rows, W.cols);
        return f;
    }
    // Rows are visited in ascending order, so each source's first and last
    // target are the first and last row that names it.
    constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> lo(W.cols, none), hi(W.cols, 0);
    f.col_ptr.assign(W.cols + 1, 0);
    for (std::size_t r = row_begin; r < row_end; ++r)
        for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s) {
            const std::uint32_t c = W.indices.at(r, s);
            ++f.col_ptr[c + 1];
            if (lo[c] == none) lo[c] = static_cast<std::uint32_t>(r);
            hi[c] = static_cast<std::uint32_t>(r);
        }
    bool narrow = true, reached = false;
    for (std::size_t c = 0; c < W.cols; ++c) {
        f.col_ptr[c + 1] += f.col_ptr[c];
        if (lo[c] == none) continue;
        if (hi[c] - lo[c] > std::numeric_limits<std::uint16_t>::max()) narrow = false;
        if (!reached) f.reached_begin = static_cast<std::uint32_t>(c);
        reached = true;
        f.reached_end = static_cast<std::uint32_t>(c + 1);
    }
    const std::size_t n = f.col_ptr.back();
    if (narrow) {
        f.first.resize(W.cols);
        for (std::size_t c = 0; c < W.cols; ++c) f.first[c] = lo[c] == none ? 0 : lo[c];
        resize_on_huge_pages(f.near, n);
    } else {
        resize_on_huge_pages(f.targets, n);
    }
    std::vector<std::uint32_t>().swap(hi);
    std::vector<std::uint32_t>().swap(lo);
    if (with_values) resize_on_huge_pages(f.values, n);
    std::vector<std::uint32_t> fill(f.col_ptr.begin(), f.col_ptr.end() - 1);
    for (std::size_t r = row_begin; r < row_end; ++r)  // ascending r: targets sorted per source
        for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s) {
            const std::uint32_t c = W.indices.at(r, s);
            const std::uint32_t pos = fill[c]++;
            if (narrow) f.near[pos] = static_cast<std::uint16_t>(r - f.first[c]);
            else f.targets[pos] = static_cast<std::uint32_t>(r);
            if (with_values) f.values[pos] = W.w[s];
        }
    return f;
}

}  // namespace gust
