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

// The same weights grouped by source (CSC): for each source unit, the targets
// it reaches (ascending) and the weights. This is how spikes fan out, and it
// can be restricted to a range of target rows so that each partition writes
// only its own targets.
struct fanout_matrix {
    std::size_t rows = 0, cols = 0;
    bool dense = true;
    std::vector<float> wt;                    // dense: cols x rows (transposed)
    std::vector<std::uint32_t> col_ptr;       // sparse: cols + 1
    std::vector<std::uint32_t> targets;       // sparse: target row of each entry
    std::vector<float> values;                // sparse: weight of each entry

    // Rows [row_begin, row_end) of W, by source.
    static fanout_matrix build(const weight_matrix& W, std::size_t row_begin, std::size_t row_end);
};

}  // namespace gust
