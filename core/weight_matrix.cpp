#include "core/weight_matrix.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gust {

void weight_matrix::validate(const std::string& origin) const {
    if (!sparse()) {
        if (w.size() != rows * cols) throw input_error(origin + ": weight matrix has the wrong number of values");
    } else {
        if (indptr.size() != rows + 1) throw input_error(origin + ": indptr must have rows + 1 entries");
        if (indptr.front() != 0 || indptr.back() != w.size() || indices.size() != w.size())
            throw input_error(origin + ": indptr must start at 0 and end at the number of values");
        for (std::size_t r = 0; r < rows; ++r) {
            if (indptr[r] > indptr[r + 1]) throw input_error(origin + ": indptr decreases at row " + std::to_string(r));
            for (std::uint32_t s = indptr[r]; s < indptr[r + 1]; ++s) {
                if (indices[s] >= cols)
                    throw input_error(origin + ": index " + std::to_string(indices[s]) + " in row " + std::to_string(r) +
                                      " is out of range (" + std::to_string(cols) + " columns)");
                if (s > indptr[r] && indices[s] <= indices[s - 1])
                    throw input_error(origin + ": indices of row " + std::to_string(r) + " are not strictly ascending");
            }
        }
    }
    for (float v : w)
        if (!std::isfinite(v)) throw input_error(origin + ": weights hold NaN or Inf");
}

fanout_matrix fanout_matrix::build(const weight_matrix& W, std::size_t row_begin, std::size_t row_end) {
    fanout_matrix f;
    f.rows = W.rows;
    f.cols = W.cols;
    f.dense = !W.sparse();
    if (f.dense) {
        // Kept whole (cols x rows) so row ranges index it directly.
        f.wt.resize(W.rows * W.cols);
        for (std::size_t r = 0; r < W.rows; ++r)
            for (std::size_t c = 0; c < W.cols; ++c) f.wt[c * W.rows + r] = W.w[r * W.cols + c];
        return f;
    }
    f.col_ptr.assign(W.cols + 1, 0);
    for (std::size_t r = row_begin; r < row_end; ++r)
        for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s) ++f.col_ptr[W.indices[s] + 1];
    for (std::size_t c = 0; c < W.cols; ++c) f.col_ptr[c + 1] += f.col_ptr[c];
    f.targets.resize(f.col_ptr.back());
    f.values.resize(f.col_ptr.back());
    std::vector<std::uint32_t> fill(f.col_ptr.begin(), f.col_ptr.end() - 1);
    for (std::size_t r = row_begin; r < row_end; ++r)  // ascending r: targets sorted per column
        for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s) {
            const std::uint32_t pos = fill[W.indices[s]]++;
            f.targets[pos] = static_cast<std::uint32_t>(r);
            f.values[pos] = W.w[s];
        }
    return f;
}

}  // namespace gust
