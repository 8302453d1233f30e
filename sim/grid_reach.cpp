#include "sim/grid_reach.hpp"

#include <tbb/blocked_range.h>

#include "core/parallel_for.hpp"

namespace gust {

bool within_fields(const weight_matrix& W, const local_window& fields) {
    if (W.rows != fields.rows || W.cols != fields.cols) return false;
    const std::size_t cols = fields.source.cols;
    return parallel_all_of(W.nnz(), 0, W.rows, [&](const tbb::blocked_range<std::size_t>& b) {
        bool ok = true;
        for (std::size_t r = b.begin(); r < b.end() && ok; ++r) {
            const local_window::span f = fields.field(r);
            W.indices.for_each_in_row(r, W.indptr[r], W.indptr[r + 1], [&](std::uint32_t, std::uint32_t s) {
                const auto y = static_cast<std::int64_t>(s / cols), x = static_cast<std::int64_t>(s % cols);
                ok &= y >= f.y0 && y <= f.y1 && x >= f.x0 && x <= f.x1;
            });
        }
        return ok;
    });
}

}  // namespace gust
