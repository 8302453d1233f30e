// Finding the rows a change reaches on the grid (sim/grid_reach.hpp): the
// ranges are exactly the target rows whose receptive fields hold a changed
// source, so they hold every row the synapses reach; a set is trusted to
// the grid only while each of its synapses lies in its row's field.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "core/fanout_matrix.hpp"
#include "io/network_toml.hpp"
#include "local_network.hpp"
#include "sim/grid_reach.hpp"
#include "sim/network_init.hpp"

using namespace gust;

namespace {

// Ascending sources of a `cols`-unit layer: runs of consecutive sources (some
// crossing from one grid row to the next) and single ones.
std::vector<std::uint32_t> changed_sources(std::mt19937& rng, std::size_t cols) {
    std::vector<char> on(cols, 0);
    std::uniform_int_distribution<std::size_t> at(0, cols - 1), run(1, 40);
    for (int i = 0; i < 6; ++i) {
        const std::size_t first = at(rng), n = run(rng);
        for (std::size_t s = first; s < std::min(cols, first + n); ++s) on[s] = 1;
    }
    std::vector<std::uint32_t> out;
    for (std::size_t s = 0; s < cols; ++s)
        if (on[s]) out.push_back(static_cast<std::uint32_t>(s));
    return out;
}

}  // namespace

TEST_CASE("grid reach: the ranges are the rows whose fields hold a changed source, every row the synapses reach "
          "among them", "[sparse][event]") {
    const network_model m = init_network(parse_network_description(test::local_network(""), "l.toml"), 4, "l.toml");
    const projection& fc2 = m.net.projections[2];  // enc1 (32 x 24) to hidden (199 units: a partial last grid row)
    REQUIRE(fc2.fields != nullptr);
    const local_window& fields = *fc2.fields;
    const weight_matrix& W = *fc2.weights;
    REQUIRE(W.rows == 199);
    std::mt19937 rng(9);
    std::size_t listed = 0, reached = 0;
    for (int round = 0; round < 20; ++round) {
        const std::vector<std::uint32_t> sources = changed_sources(rng, W.cols);
        for (const auto& bounds : {std::pair<std::size_t, std::size_t>{0, 199}, {37, 101}}) {
            // Plain names: clang 14 cannot capture structured bindings.
            const std::size_t row_begin = bounds.first, row_end = bounds.second;
            std::vector<char> got(W.rows, 0);
            const bool done = for_each_reached_range(
                fields, sources.size(), [&](std::size_t i) { return sources[i]; }, row_begin, row_end,
                [&](std::size_t first, std::size_t last) {
                    CHECK(first >= row_begin);
                    CHECK(last <= row_end);
                    for (std::size_t r = first; r < last; ++r) got[r] = 1;
                    return true;
                });
            CHECK(done);
            std::vector<char> want(W.rows, 0), by_synapse(W.rows, 0);
            std::vector<char> is_changed(W.cols, 0);
            for (std::uint32_t s : sources) is_changed[s] = 1;
            for (std::size_t r = row_begin; r < row_end; ++r) {
                fields.for_each_candidate(r, [&](std::uint32_t s) { want[r] |= is_changed[s]; });
                W.indices.for_each_in_row(r, W.indptr[r], W.indptr[r + 1],
                                          [&](std::uint32_t, std::uint32_t s) { by_synapse[r] |= is_changed[s]; });
            }
            CHECK(got == want);
            for (std::size_t r = 0; r < W.rows; ++r) {
                CHECK(got[r] >= by_synapse[r]);
                listed += got[r];
                reached += by_synapse[r];
            }
        }
    }
    CHECK(reached > 1000);
    CHECK(listed >= reached);
    // A field takes 24 of its up to 81 candidates, yet few rows are listed in
    // vain where the changes come in runs: 6% here.
    CHECK(double(listed) < 1.15 * double(reached));

    // A range that refuses stops the walk.
    std::size_t calls = 0;
    const std::vector<std::uint32_t> all = changed_sources(rng, W.cols);
    CHECK_FALSE(for_each_reached_range(
        fields, all.size(), [&](std::size_t i) { return all[i]; }, 0, W.rows,
        [&](std::size_t, std::size_t) { return ++calls > 2 ? false : true; }));
    CHECK(calls == 3);
}

TEST_CASE("grid reach: a set is trusted to its fields only while every synapse lies in its row's field",
          "[sparse][event]") {
    const network_model m = init_network(parse_network_description(test::local_network(""), "l.toml"), 4, "l.toml");
    std::size_t local_sets = 0;
    for (const projection& pr : m.net.projections) {
        REQUIRE(pr.fields != nullptr);  // every projection of the network is local
        CHECK(within_fields(*pr.weights, *pr.fields));
        ++local_sets;
    }
    CHECK(local_sets == 5);

    // One synapse of row 0 of encoder/fc2, whose field lies in the grid's
    // top-left corner, moved to the layer's last source.
    const projection& fc2 = m.net.projections[2];
    const weight_matrix W = test::with_synapse_moved(*fc2.weights, 0);
    W.validate("moved");
    CHECK(W.indices.at(0, W.indptr[1] - 1) == W.cols - 1);
    CHECK_FALSE(within_fields(W, *fc2.fields));
    // Fields of another shape hold nothing.
    CHECK_FALSE(within_fields(*fc2.weights, *m.net.projections[3].fields));
}
