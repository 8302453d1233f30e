// A fresh network's local sets (sim/network_init.cpp): each row takes
// fan_in distinct sources of its receptive field, ascending, every candidate
// equally likely; the rows are listed without a sort where the field is at
// most 16 times the fan-in, with one otherwise, and both ways are checked.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/local_window.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

using namespace gust;

namespace {

model_sizes local_sizes(std::size_t fan_in, std::size_t radius, std::size_t hidden) {
    model_sizes s;
    s.height = s.width = 64;
    s.inner = 64 * 64;
    s.hidden = hidden;
    s.sparse_fan_in = fan_in;
    s.receptive_field = radius;
    return s;
}

// For the set pixels -> encoder (or projection `projection` of the paper
// network, with `hidden` hidden units): every row's sources against its
// field, and the picks tallied by their place in the field over the rows
// whose field is whole (away from the borders). Returns the chi-square of
// that tally against equal counts.
double check_rows_and_uniformity(std::size_t fan_in, std::size_t radius, std::size_t hidden = 32 * 32,
                                 std::size_t projection = 0) {
    const network_model m = init_network(paper_description(local_sizes(fan_in, radius, hidden)), 11, "t");
    const weight_matrix& W = *m.net.projections[projection].weights;
    REQUIRE(W.sparse());
    const local_window window(W.rows, W.cols, radius, 1.0);
    const std::size_t whole = (2 * radius + 1) * (2 * radius + 1);
    std::vector<std::uint64_t> tally(whole, 0);
    std::uint64_t whole_rows = 0;
    std::vector<std::uint32_t> field, row;
    for (std::size_t r = 0; r < W.rows; ++r) {
        field.clear();
        window.for_each_candidate(r, [&](std::uint32_t s) { field.push_back(s); });
        row.clear();
        W.indices.for_each_in_row(r, W.indptr[r], W.indptr[r + 1], [&](std::uint32_t, std::uint32_t s) { row.push_back(s); });
        INFO("row " << r);
        REQUIRE(row.size() == std::min(fan_in, field.size()));
        REQUIRE(std::adjacent_find(row.begin(), row.end(), std::greater_equal<>()) == row.end());  // strictly ascending
        for (std::uint32_t s : row) REQUIRE(std::binary_search(field.begin(), field.end(), s));
        if (field.size() != whole) continue;
        ++whole_rows;
        for (std::uint32_t s : row)
            ++tally[static_cast<std::size_t>(std::lower_bound(field.begin(), field.end(), s) - field.begin())];
    }
    REQUIRE(whole_rows > 1000);
    const double expected = double(whole_rows) * double(std::min(fan_in, whole)) / double(whole);
    double chi2 = 0;
    for (std::uint64_t c : tally) chi2 += (double(c) - expected) * (double(c) - expected) / expected;
    return chi2;
}

}  // namespace

TEST_CASE("network init: a local row takes fan_in distinct sources of its field, ascending, each candidate equally "
          "likely, listed with or without a sort",
          "[network][stat]") {
    // Chi-square over the 49 places of a radius-3 field (48 degrees of
    // freedom): below 84.0 at p = 0.001, fixed seed 11.
    SECTION("16 of 49 candidates: listed from the field's flags") {
        CHECK(check_rows_and_uniformity(16, 3) < 84.0);
    }
    SECTION("2 of 49 candidates: sorted") {
        CHECK(check_rows_and_uniformity(2, 3) < 84.0);
    }
    SECTION("16 of 49 candidates of a grid whose last row is partial (1,000 hidden units), listed from the flags") {
        CHECK(check_rows_and_uniformity(16, 3, 1000, 3) < 84.0);
    }
    SECTION("2 of 49 candidates of that grid: sorted") {
        CHECK(check_rows_and_uniformity(2, 3, 1000, 3) < 84.0);
    }
    SECTION("every candidate of a field smaller than the fan-in") {
        CHECK(check_rows_and_uniformity(64, 3) == 0.0);  // every row whole takes all 49
    }
}
