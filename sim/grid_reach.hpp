#pragma once
// The rows a change reaches, found on the grid. A local projection's rows
// read sources within their receptive fields (core/local_window.hpp), so a
// run of changed sources along one grid row of the source layer can only
// reach the target rows whose fields hold one of them: a rectangle of the
// target grid, one range of rows per target grid row. Listing those ranges
// costs a few words of a row set per run, where walking the fan-out costs
// a table of every synapse and a cache miss or more per changed source.
// The ranges hold a few rows no synapse of the run reaches (a field takes
// fan_in of its candidates); computed, such a row gives exactly its rest
// value, as every listed row whose inputs all rest does.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/local_window.hpp"
#include "core/weight_matrix.hpp"

namespace gust {

// Whether every stored synapse of W (sparse, not procedural) lies in its
// row's field: what a network description claims of a local projection,
// checked before the grid stands in for the set's own synapses.
bool within_fields(const weight_matrix& W, const local_window& fields);

// range(first, last) for each range of target rows, within [row_begin,
// row_end), whose fields hold one of the n sources source_at(0..n-1)
// (ascending), a run of consecutive sources on one grid row at a time.
// Stops, returning false, when range returns false.
template <class SourceAt, class Range>
bool for_each_reached_range(const local_window& fields, std::size_t n, SourceAt source_at, std::size_t row_begin,
                            std::size_t row_end, Range&& range) {
    const std::size_t source_cols = fields.source.cols, target_cols = fields.target.cols;
    for (std::size_t i = 0; i < n;) {
        const std::size_t s = source_at(i), sy = s / source_cols, x_first = s - sy * source_cols;
        std::size_t j = i + 1;
        while (j < n && std::size_t(source_at(j)) == s + (j - i) && x_first + (j - i) < source_cols) ++j;
        // The centres are non-decreasing, so the targets of the run's
        // columns are one range of target grid columns.
        const std::size_t x0 = fields.reach_x[x_first].first, x1 = fields.reach_x[x_first + (j - i - 1)].second;
        const auto [y0, y1] = fields.reach_y[sy];
        for (std::size_t y = y0; x0 < x1 && y < y1; ++y) {
            const std::size_t first = std::max(y * target_cols + x0, row_begin),
                              last = std::min(y * target_cols + x1, row_end);
            if (first < last && !range(first, last)) return false;
        }
        i = j;
    }
    return true;
}

}  // namespace gust
