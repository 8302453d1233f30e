#pragma once
// A dense graded layer over many input vectors at once, with its weights
// packed in panels of 64 rows:
//
//   out[:, j] = act(bias + W in[:, j]),  j < count
//
// in the canonical order of neurons/graded_layer.hpp: out[r] = bias[r], then
// += in[i] * W[r, i] for each non-zero input i, ascending. Vectors go six at
// a time through one pass over a panel: each weight loaded serves six of
// them, and a panel's weights are one contiguous stream (the column-major
// layout strides by the row count from column to column, which the caches
// and prefetchers serve worse). The six share one list of inputs, those
// non-zero in any of them; where a vector's own input is 0 it adds 0 * w, a
// zero, which can change only the sign of a zero sum, and relu and sigmoid
// give +0 and -0 the same value: every output is the bit of the vector's own
// canonical sum.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "core/activation.hpp"

namespace gust {

constexpr std::size_t panel_height = 64;

// Storage at cache-line alignment, so that no 64-byte load of a panel
// straddles two lines.
template <class T>
struct cache_aligned_allocator {
    using value_type = T;
    cache_aligned_allocator() = default;
    template <class U>
    cache_aligned_allocator(const cache_aligned_allocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})); }
    void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{64}); }
    bool operator==(const cache_aligned_allocator&) const { return true; }
};

// W [rows, cols] by panels: panel p holds rows [64p, 64p + h) of column 0,
// then of column 1, ...: data[p * cols * 64 + c * h + k] = W[64p + k, c].
// Every panel but the last has h = 64 rows; the last has the rest, rounded up
// to a multiple of 16 with rows of zeros.
struct panel_matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<float, cache_aligned_allocator<float>> data;

    std::size_t panels() const { return (rows + panel_height - 1) / panel_height; }
    std::size_t height(std::size_t p) const {
        return std::min(panel_height, (rows - p * panel_height + 15) / 16 * 16);
    }
    std::size_t size() const { return rows == 0 ? 0 : ((panels() - 1) * panel_height + height(panels() - 1)) * cols; }
    // From a row-major matrix, W[r, c] = w[r * cols + c].
    void pack(const float* w, std::size_t rows, std::size_t cols);
    // Rows `which[0..n)` of a row-major matrix with `cols` columns, as rows 0..n.
    void pack_rows(const float* w, std::size_t cols, const std::uint32_t* which, std::size_t n);
};

// What panel_layer reuses from call to call.
struct panel_scratch {
    std::vector<std::uint32_t> list;  // per group of vectors, the inputs non-zero in any, ascending
    std::vector<std::size_t> ptr;     // group g's inputs: list[ptr[g] .. ptr[g + 1])
    std::vector<float, cache_aligned_allocator<float>> tile;  // a last, partial panel's sums
};

// in: W.cols x count and out: W.rows x count, one vector after another; bias
// may be null (zero).
void panel_layer(const panel_matrix& W, const float* bias, activation act, const float* in, std::size_t count,
                 float* out, panel_scratch& scratch);

}  // namespace gust
