#pragma once
// The receptive field of a local projection (docs/network.md, "Grids"): a
// target unit's position mapped onto the source grid, and the source units
// within `radius` cells of that point. Defined once, so that a set drawn
// with exactly fan_in sources per row (sim/network_init.cpp), one drawn
// source by source, and one regenerated on the fly (core/procedural_synapses.hpp)
// all see the same candidates, and so that the reverse question (which
// target rows' fields hold source s) agrees with the forward one exactly:
// both read the same per-grid-row and per-grid-column centres, computed once
// with the same double arithmetic.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/grid_layout.hpp"

namespace gust {

struct local_window {
    std::size_t rows = 0, cols = 0;  // target and source units
    std::int64_t radius = 0;
    grid_layout target, source;
    // The centre on the source grid of each target grid row and column:
    // non-decreasing, which the reverse look-up relies on.
    std::vector<std::int64_t> centre_y, centre_x;
    // For each source grid row (column): the target grid rows (columns)
    // whose fields hold it, reaching() of it, computed once (a source's
    // targets are looked up for every spike or change it sends).
    std::vector<std::pair<std::size_t, std::size_t>> reach_y, reach_x;

    // A row's field, clipped to the source grid: grid rows y0..y1 and grid
    // columns x0..x1 (inclusive); of the last grid row, which may be
    // partial, only units below `cols` count.
    struct span {
        std::int64_t y0, y1, x0, x1;
    };

    local_window(std::size_t target_units, std::size_t source_units, std::size_t radius_cells, double aspect)
        : rows(target_units), cols(source_units), radius(static_cast<std::int64_t>(radius_cells)),
          target(target_units, aspect), source(source_units, aspect), centre_y(target.rows), centre_x(target.cols) {
        for (std::size_t y = 0; y < target.rows; ++y)
            centre_y[y] = static_cast<std::int64_t>((double(y) + 0.5) / double(target.rows) * double(source.rows));
        for (std::size_t x = 0; x < target.cols; ++x)
            centre_x[x] = static_cast<std::int64_t>((double(x) + 0.5) / double(target.cols) * double(source.cols));
        for (std::size_t c = 0; c < source.rows; ++c) reach_y.push_back(reaching(centre_y, std::int64_t(c), radius));
        for (std::size_t c = 0; c < source.cols; ++c) reach_x.push_back(reaching(centre_x, std::int64_t(c), radius));
    }

    span field(std::size_t r) const { return field_at(r / target.cols, r % target.cols); }
    // The field of the target at grid row ty, grid column tx.
    span field_at(std::size_t ty, std::size_t tx) const {
        const std::int64_t cy = centre_y[ty], cx = centre_x[tx];
        return {std::max<std::int64_t>(0, cy - radius), std::min<std::int64_t>(std::int64_t(source.rows) - 1, cy + radius),
                std::max<std::int64_t>(0, cx - radius), std::min<std::int64_t>(std::int64_t(source.cols) - 1, cx + radius)};
    }

    // The last grid column + 1 of grid row y that holds a unit, capped at x1 + 1.
    std::int64_t row_end(const span& f, std::int64_t y) const {
        return std::min<std::int64_t>(f.x1 + 1, std::int64_t(cols) - y * std::int64_t(source.cols));
    }

    // The number of candidates in a field: whole grid rows, less what the
    // last grid row lacks when the field reaches it (read per source spike,
    // for each row it reaches, so no loop).
    std::size_t count(const span& f) const {
        const std::int64_t nx = f.x1 - f.x0 + 1, last = std::int64_t(source.rows) - 1;
        std::int64_t n = (f.y1 - f.y0 + 1) * nx;
        if (f.y1 == last) n -= nx - std::max<std::int64_t>(0, row_end(f, last) - f.x0);
        return static_cast<std::size_t>(n);
    }

    // Candidate c of field f, counted ascending from 0 (c < count(f)). Only
    // the source grid's last row can be partial, and it comes last in a
    // field, so every grid row before it holds x1 - x0 + 1 candidates.
    std::uint32_t candidate(const span& f, std::size_t c) const {
        const auto nx = static_cast<std::size_t>(f.x1 - f.x0 + 1);
        return static_cast<std::uint32_t>((std::size_t(f.y0) + c / nx) * source.cols + std::size_t(f.x0) + c % nx);
    }

    // f(source) for each candidate of target row r, ascending.
    template <class F>
    void for_each_candidate(std::size_t r, F&& f) const {
        const span w = field(r);
        for (std::int64_t y = w.y0; y <= w.y1; ++y) {
            const std::int64_t base = y * std::int64_t(source.cols), end = row_end(w, y);
            for (std::int64_t x = w.x0; x < end; ++x) f(static_cast<std::uint32_t>(base + x));
        }
    }

    // The target grid rows [first, last) (or columns) whose centre lies within
    // `radius` of source grid row (or column) c: the centres are
    // non-decreasing, so the range is found by binary search on the very
    // values field() reads (once per source grid row and column: reach_y, reach_x).
    static std::pair<std::size_t, std::size_t> reaching(const std::vector<std::int64_t>& centres, std::int64_t c,
                                                        std::int64_t radius) {
        const auto lo = std::lower_bound(centres.begin(), centres.end(), c - radius);
        const auto hi = std::upper_bound(lo, centres.end(), c + radius);
        return {static_cast<std::size_t>(lo - centres.begin()), static_cast<std::size_t>(hi - centres.begin())};
    }

    // run(ty, tx0, tx1) for each target grid row ty holding target rows
    // whose field holds source unit s: those at grid columns [tx0, tx1),
    // restricted to rows in [row_begin, row_end), ascending.
    template <class Run>
    void for_each_reaching_run(std::uint32_t s, std::size_t row_begin, std::size_t row_end_, Run&& run) const {
        const std::size_t sy = s / source.cols;
        const auto ys = reach_y[sy];
        const auto xs = reach_x[s - sy * source.cols];
        const std::size_t y_first = std::max(ys.first, row_begin / target.cols);
        for (std::size_t y = y_first; y < ys.second; ++y) {
            const std::size_t base = y * target.cols;
            if (base >= row_end_) return;
            const std::size_t x0 = std::max(xs.first, row_begin > base ? row_begin - base : 0);
            const std::size_t x1 = std::min(xs.second, row_end_ - base);
            if (x0 < x1) run(y, x0, x1);
        }
    }

    // f(target row) for each target row whose field holds source unit s,
    // restricted to rows in [row_begin, row_end), ascending.
    template <class F>
    void for_each_reaching(std::uint32_t s, std::size_t row_begin, std::size_t row_end_, F&& f) const {
        for_each_reaching_run(s, row_begin, row_end_, [&](std::size_t y, std::size_t x0, std::size_t x1) {
            for (std::size_t x = x0; x < x1; ++x) f(y * target.cols + x);
        });
    }
};

}  // namespace gust
