// The graded layer's sparse row kernels: rows summed eight at a time (in
// lockstep for the synapses all eight have, each then finishing alone) give
// the bits accumulate_row gives one row at a time, in the canonical order.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/weight_matrix.hpp"
#include "neurons/graded_layer.hpp"
#include "random_rows.hpp"

using gust::weight_matrix;
using gust::test::bits;
using gust::test::random_csr;
using gust::test::random_input;

namespace {

std::vector<float> one_by_one(const weight_matrix& W, const std::vector<std::uint32_t>& rows, const float* in,
                              const std::vector<float>& start) {
    std::vector<float> acc = start;
    for (std::size_t i = 0; i < rows.size(); ++i) acc[i] = gust::accumulate_row(W, rows[i], nullptr, 0, in, acc[i]);
    return acc;
}

}  // namespace

TEST_CASE("graded layer: sparse rows of unequal length summed eight at a time have the bits of one by one",
          "[graded-layer]") {
    // Lengths from 0 to 40: in a batch of eight the shortest sets the
    // lockstep part and each row's tail is summed alone. The sources 32-bit
    // and narrowed to 16-bit offsets: the same bits, those of the 32-bit
    // set's rows one by one.
    for (std::uint32_t seed = 1; seed <= 8; ++seed) {
        const weight_matrix wide = random_csr(61, 50, 0, 40, (seed + 1) / 2);
        weight_matrix W = wide;
        const bool narrow = seed % 2 == 0;
        if (narrow) W.indices.narrow(W.indptr);
        REQUIRE(W.indices.is_narrow() == narrow);
        const auto in = random_input(W.cols, 100 + seed);
        std::vector<std::uint32_t> rows;  // every row, then some again, out of order: 61 + 20, not a multiple of 8
        for (std::uint32_t r = 0; r < W.rows; ++r) rows.push_back(r);
        for (std::uint32_t r = 0; r < 20; ++r) rows.push_back((r * 37 + seed) % W.rows);
        std::vector<float> start(rows.size());
        for (std::size_t i = 0; i < start.size(); ++i) start[i] = 0.25f * static_cast<float>(i % 5) - 0.5f;
        const auto expect = one_by_one(wide, rows, in.data(), start);
        CHECK(bits(one_by_one(W, rows, in.data(), start)) == bits(expect));

        auto list = start;
        gust::accumulate_sparse_row_list(W, rows.data(), rows.size(), in.data(), list.data());
        CHECK(bits(list) == bits(expect));

        std::vector<float> range(W.rows, 1.5f);
        gust::accumulate_sparse_rows(W, in.data(), range.data(), 3, 59);
        for (std::size_t r = 0; r < W.rows; ++r) {
            const float want = r < 3 || r >= 59 ? 1.5f : gust::accumulate_row(wide, r, nullptr, 0, in.data(), 1.5f);
            CHECK(std::bit_cast<std::uint32_t>(range[r]) == std::bit_cast<std::uint32_t>(want));
        }
    }
}

TEST_CASE("graded layer: a row's sum skips zero inputs and follows its synapses' order", "[graded-layer]") {
    // Row 0: 1e8 * 1 + 1 * 1 + (-1e8) * 1 in that order is 0 in float
    // (1 is lost against 1e8); skipping the zero input keeps -0.0 out of a
    // sum that starts at -0.0, and an infinite weight on a zero input adds
    // no NaN.
    weight_matrix W;
    W.rows = 9;
    W.cols = 4;
    W.indptr = {0, 3};
    std::vector<std::uint32_t> sources = {0, 1, 2};
    W.w = {1.0f, 1.0f, 1.0f};
    for (std::uint32_t r = 1; r < 9; ++r) {  // rows 1-8: -0.0 + 0 * inf, then 2 * 3
        sources.push_back(3);
        W.w.push_back(std::numeric_limits<float>::infinity());
        sources.push_back(1);
        W.w.push_back(3.0f);
        W.indptr.push_back(static_cast<std::uint32_t>(sources.size()));
    }
    W.indices = std::move(sources);
    const std::vector<float> in = {1e8f, 1.0f, -1e8f, 0.0f};
    std::vector<std::uint32_t> rows = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<float> acc(rows.size(), -0.0f);
    gust::accumulate_sparse_row_list(W, rows.data(), rows.size(), in.data(), acc.data());
    CHECK(acc[0] == 0.0f);
    for (std::size_t i = 1; i < rows.size(); ++i) CHECK(acc[i] == 3.0f);
    // Rows 0 to 7 are summed as one batch: row 0's three synapses against
    // the others' two.
    std::vector<float> batch(8, -0.0f);
    std::vector<std::uint32_t> eight = {1, 2, 0, 3, 4, 5, 6, 7};
    gust::accumulate_sparse_row_list(W, eight.data(), eight.size(), in.data(), batch.data());
    CHECK(std::bit_cast<std::uint32_t>(batch[2]) == std::bit_cast<std::uint32_t>(0.0f));
    CHECK(batch[0] == 3.0f);
    CHECK(batch[7] == 3.0f);
}
