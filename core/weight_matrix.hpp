#pragma once
// A projection's weights, [target, source] like torch.nn.Linear: dense
// row-major, or sparse CSR by target row (indptr, ascending indices, values)
// for networks far larger and sparser than the paper's.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gust {

struct weight_matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<float> w;                     // dense: rows x cols; sparse: nnz values
    std::vector<std::uint32_t> indptr;        // sparse only: rows + 1 offsets
    std::vector<std::uint32_t> indices;       // sparse only: source of each value

    bool sparse() const { return !indptr.empty(); }
    std::size_t nnz() const { return w.size(); }

    // Throws input_error (prefixed with origin) unless the shapes agree, CSR
    // offsets are monotone, indices are in range and strictly ascending per
    // row, and every value is finite.
    void validate(const std::string& origin) const;
};

}  // namespace gust
