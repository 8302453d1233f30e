// sim/rank_split.hpp and the bounds it gives (sim/afferents.hpp,
// partition_bounds): the processes' parts are bands of grid rows where the
// images' largest parts of foreground add up to the least, each at least
// about half an equal part, and the bounds follow them on every
// population, equal among a process's partitions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/afferents.hpp"
#include "sim/rank_split.hpp"

using namespace gust;

namespace {

// `count` images of 8 x 8 pixels; `lit` says which pixel of which image
// is foreground.
template <class Lit>
std::vector<float> images_of(std::size_t count, Lit lit) {
    std::vector<float> px(count * 64, 0.0f);
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t k = 0; k < 64; ++k)
            if (lit(i, k)) px[i * 64 + k] = 0.5f;
    return px;
}

std::vector<double> split_of(const std::vector<float>& px, std::size_t count, std::size_t ranks) {
    return balanced_split(image_batch{count, 64, px.data(), {}}, 8, ranks);
}

}  // namespace

TEST_CASE("rank split: the images' largest parts add up to the least, each part at least half an equal one",
          "[rank-split]") {
    SECTION("one process, or no foreground: equal parts") {
        const auto none = images_of(2, [](std::size_t, std::size_t) { return false; });
        CHECK(split_of(none, 2, 1) == std::vector<double>{0, 1});
        CHECK(split_of(none, 2, 4) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
    }
    SECTION("foreground in the first six of eight grid rows: two parts of one image meet halfway through it") {
        const auto px = images_of(1, [](std::size_t, std::size_t k) { return k < 48; });
        CHECK(split_of(px, 1, 2) == std::vector<double>{0, 24.0 / 64, 1});
    }
    SECTION("foreground in the first two grid rows only: a part keeps half an equal part") {
        const auto px = images_of(1, [](std::size_t, std::size_t k) { return k < 16; });
        CHECK(split_of(px, 1, 2) == std::vector<double>{0, 0.25, 1});
        // Three parts: at least one row each (8 / 6, rounded down); the
        // first two take a row of foreground each.
        CHECK(split_of(px, 1, 3) == std::vector<double>{0, 0.125, 0.25, 1});
    }
    SECTION("the images are summed: one image's shapes at the top, another's at the bottom") {
        const auto px = images_of(2, [](std::size_t i, std::size_t k) { return i == 0 ? k < 8 : k >= 40; });
        // 8 + 24 foreground pixels: after row 6 the images' larger parts
        // are 8 and 16, anywhere above it 8 and 24.
        CHECK(split_of(px, 2, 2) == std::vector<double>{0, 0.75, 1});
    }
    SECTION("one image's shapes in the upper half, another's in the lower: not the middle, where each waits") {
        // Halving the summed foreground (row 4) leaves each image on one
        // part: 32 + 32. After row 2 the larger parts are 16 and 32.
        const auto px = images_of(2, [](std::size_t i, std::size_t k) { return i == 0 ? k < 32 : k >= 32; });
        CHECK(split_of(px, 2, 2) == std::vector<double>{0, 0.25, 1});
    }
}

TEST_CASE("rank split: partitions follow the processes' parts, equal among each process's", "[rank-split]") {
    CHECK(partition_bounds(100, 4) == std::vector<std::size_t>{0, 25, 50, 75, 100});
    // Two processes, two partitions each: the first holds 30 units.
    CHECK(partition_bounds(100, 4, {0, 0.3, 1}) == std::vector<std::size_t>{0, 15, 30, 65, 100});
    // Every population by the same fractions.
    CHECK(partition_bounds(10, 2, {0, 0.3, 1}) == std::vector<std::size_t>{0, 3, 10});
    // A part that would leave a partition empty, or a split for another
    // process count: equal ranges.
    CHECK(partition_bounds(3, 2, {0, 0.1, 1}) == std::vector<std::size_t>{0, 1, 3});
    CHECK(partition_bounds(100, 3, {0, 0.3, 1}) == std::vector<std::size_t>{0, 33, 66, 100});
}

TEST_CASE("rank split: never more work on the busiest parts than equal parts, by its measure", "[rank-split]") {
    // Random foreground (fixed seed) on 8 x 8 images, 1-4 images, 2-4 parts:
    // the sum over the images of each one's largest part of foreground, for
    // the split's rows and for equal rows.
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(state >> 33);
    };
    auto largest_parts = [](const std::vector<float>& px, std::size_t count, const std::vector<std::size_t>& rows) {
        std::size_t cost = 0;
        for (std::size_t i = 0; i < count; ++i) {
            std::size_t most = 0;
            for (std::size_t q = 0; q + 1 < rows.size(); ++q) {
                std::size_t lit = 0;
                for (std::size_t k = rows[q] * 8; k < rows[q + 1] * 8; ++k) lit += px[i * 64 + k] != 0.0f;
                most = std::max(most, lit);
            }
            cost += most;
        }
        return cost;
    };
    for (int trial = 0; trial < 300; ++trial) {
        const std::size_t count = 1 + next() % 4, ranks = 2 + next() % 3;
        const std::uint32_t density = 1 + next() % 7;  // of 8
        const std::uint32_t band = next() % 8;          // a row where foreground crowds
        const auto px = images_of(count, [&](std::size_t, std::size_t k) {
            return next() % 8 < (k / 8 == band ? 7 : density / 2);
        });
        const auto at = split_of(px, count, ranks);
        REQUIRE(at.size() == ranks + 1);
        std::vector<std::size_t> rows(ranks + 1), equal(ranks + 1);
        for (std::size_t r = 0; r <= ranks; ++r) {
            rows[r] = static_cast<std::size_t>(std::lround(at[r] * 8));
            equal[r] = 8 * r / ranks;
            if (r > 0) CHECK(rows[r] >= rows[r - 1] + 8 / (2 * ranks));
        }
        INFO("trial " << trial << ": " << count << " images, " << ranks << " parts");
        CHECK(largest_parts(px, count, rows) <= largest_parts(px, count, equal));
    }
}
