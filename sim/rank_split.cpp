#include "sim/rank_split.hpp"

#include <algorithm>
#include <cstdint>

namespace gust {

namespace {

// The foreground of each image above each grid row: before[i * (rows + 1) + h].
std::vector<std::int64_t> foreground_above(const image_batch& images, std::size_t width, std::size_t rows) {
    std::vector<std::int64_t> before(images.count * (rows + 1), 0);
    for (std::size_t i = 0; i < images.count; ++i) {
        const float* px = images.pixels + i * images.size;
        std::int64_t* b = before.data() + i * (rows + 1);
        for (std::size_t h = 0; h < rows; ++h) {
            std::int64_t lit = 0;
            for (std::size_t x = 0; x < width; ++x) lit += px[h * width + x] != 0.0f;
            b[h + 1] = b[h] + lit;
        }
    }
    return before;
}

}  // namespace

std::vector<double> balanced_split(const image_batch& images, std::size_t width, std::size_t ranks) {
    std::vector<double> at(ranks + 1);
    for (std::size_t r = 0; r <= ranks; ++r) at[r] = static_cast<double>(r) / static_cast<double>(ranks);
    if (ranks < 2 || width == 0 || images.size % width != 0) return at;
    const std::size_t rows = images.size / width, least = rows / (2 * ranks);
    if (least == 0) return at;
    const std::vector<std::int64_t> before = foreground_above(images, width, rows);
    const std::size_t n = images.count;
    auto above = [&](std::size_t i, std::size_t h) { return before[i * (rows + 1) + h]; };
    // The summed foreground above each row.
    std::vector<std::int64_t> summed(rows + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t h = 0; h <= rows; ++h) summed[h] += above(i, h);
    if (summed[rows] == 0) return at;

    // Borders in grid rows: border[0] = 0, border[ranks] = rows. First the
    // rows where the summed foreground reaches each r-th share.
    std::vector<std::size_t> border(ranks + 1, rows);
    border[0] = 0;
    for (std::size_t r = 1; r < ranks; ++r) {
        const std::int64_t share = (summed[rows] * static_cast<std::int64_t>(r) + static_cast<std::int64_t>(ranks) - 1) /
                                   static_cast<std::int64_t>(ranks);
        const auto h = static_cast<std::size_t>(std::lower_bound(summed.begin(), summed.end(), share) - summed.begin());
        border[r] = std::clamp(h, border[r - 1] + least, rows - (ranks - r) * least);
    }
    // (What follows is not done where it would take more than a fraction of
    // a second: thousands of ranks and images keep that split.)
    const double work = static_cast<double>(n) * static_cast<double>(ranks) *
                        (static_cast<double>(ranks) + static_cast<double>(rows));
    // Equal parts instead where they leave the images' largest parts less,
    // so that the search below never ends worse than either.
    auto largest_parts = [&](const std::vector<std::size_t>& b) {
        std::int64_t cost = 0;
        for (std::size_t i = 0; i < n; ++i) {
            std::int64_t most = 0;
            for (std::size_t q = 0; q < ranks; ++q) most = std::max(most, above(i, b[q + 1]) - above(i, b[q]));
            cost += most;
        }
        return cost;
    };
    std::vector<std::size_t> equal(ranks + 1);
    for (std::size_t r = 0; r <= ranks; ++r) equal[r] = rows * r / ranks;
    if (work < 2e8 && largest_parts(equal) < largest_parts(border)) border = equal;
    // Then each border in turn, the others held, to the row that makes the
    // images' largest parts least (the first such row), until none moves.
    std::vector<std::int64_t> others(n);  // each image's largest part but the two a border divides
    for (int sweep = 0; sweep < 8 && work < 2e8; ++sweep) {
        bool moved = false;
        for (std::size_t r = 1; r < ranks; ++r) {
            for (std::size_t i = 0; i < n; ++i) {
                std::int64_t m = 0;
                for (std::size_t q = 0; q < ranks; ++q)
                    if (q != r - 1 && q != r) m = std::max(m, above(i, border[q + 1]) - above(i, border[q]));
                others[i] = m;
            }
            // The cost with border r at row h: the sum of the images' largest parts.
            auto cost_at = [&](std::size_t h) {
                std::int64_t cost = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    const std::int64_t lo = above(i, h) - above(i, border[r - 1]);
                    const std::int64_t hi = above(i, border[r + 1]) - above(i, h);
                    cost += std::max({others[i], lo, hi});
                }
                return cost;
            };
            std::size_t best = border[r];
            std::int64_t best_cost = cost_at(best);
            for (std::size_t h = border[r - 1] + least; h + least <= border[r + 1]; ++h)
                if (const std::int64_t c = cost_at(h); c < best_cost) {
                    best = h;
                    best_cost = c;
                }
            moved = moved || best != border[r];
            border[r] = best;
        }
        if (!moved) break;
    }
    for (std::size_t r = 1; r < ranks; ++r) at[r] = static_cast<double>(border[r]) / static_cast<double>(rows);
    return at;
}

}  // namespace gust
