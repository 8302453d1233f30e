#pragma once
// A dense weight matrix as every dense-layer kernel reads it: packed in
// panels of 64 rows, each panel column after column. One pass of a kernel
// holds a panel's rows in registers while the inputs stream by, and each
// input then reads one contiguous run of 64 weights; a panel's weights are
// one contiguous stream, which the caches and prefetchers serve better than
// the column-major layout's stride of the row count.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

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
    const float* panel(std::size_t p) const { return data.data() + p * cols * panel_height; }
    float at(std::size_t r, std::size_t c) const {
        const std::size_t p = r / panel_height;
        return panel(p)[c * height(p) + r % panel_height];
    }
    // From a row-major matrix, W[r, c] = w[r * cols + c].
    void pack(const float* w, std::size_t rows, std::size_t cols);
    // Rows `which[0..n)` of a row-major matrix with `cols` columns, as rows 0..n.
    void pack_rows(const float* w, std::size_t cols, const std::uint32_t* which, std::size_t n);
};

}  // namespace gust
