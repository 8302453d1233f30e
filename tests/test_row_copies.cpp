// Copies of a weight set's rows side by side (sim/row_copies.hpp): rows
// summed through their copies keep the bits of the set's own rows, whatever
// rows each call lists, where the capacity ends, and after a new image; and
// the event backend reading its sets through copies keeps its spikes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "io/dataset_file.hpp"
#include "neurons/graded_layer.hpp"
#include "random_sparse_rows.hpp"
#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"
#include "sim/row_copies.hpp"

using namespace gust;
using namespace gust::test;

namespace {

// A step's list: rows in [0, rows) kept with probability `keep`, ascending.
std::vector<std::uint32_t> some_rows(std::size_t rows, double keep, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::bernoulli_distribution take(keep);
    std::vector<std::uint32_t> out;
    for (std::uint32_t r = 0; r < rows; ++r)
        if (take(rng)) out.push_back(r);
    return out;
}

std::vector<float> start_values(std::size_t n) {
    std::vector<float> acc(n);
    for (std::size_t i = 0; i < n; ++i) acc[i] = 0.125f * static_cast<float>(i % 7) - 0.25f;
    return acc;
}

std::size_t synapses_of(const weight_matrix& W, const std::set<std::uint32_t>& rows) {
    std::size_t n = 0;
    for (std::uint32_t r : rows) n += W.indptr[r + 1] - W.indptr[r];
    return n;
}

}  // namespace

TEST_CASE("row copies: rows summed through their copies have the bits of the set's own, call after call",
          "[row-copies]") {
    // Lists that overlap and change from call to call, as a step's do: rows
    // listed before are read from their copies, new ones copied on the way.
    // Sources 32-bit and narrowed to 16-bit offsets.
    for (const bool narrow : {false, true}) {
        weight_matrix W = random_csr(300, 200, 0, 40, narrow ? 5 : 6);
        if (narrow) W.indices.narrow(W.indptr);
        REQUIRE(W.indices.is_narrow() == narrow);
        event_detail::row_copies copies(W, W.nnz());
        std::set<std::uint32_t> seen;
        for (std::uint32_t call = 0; call < 6; ++call) {
            INFO((narrow ? "narrow" : "wide") << " sources, call " << call);
            const auto rows = some_rows(W.rows, call < 3 ? 0.3 : 0.6, 40 + call);
            const auto in = random_input(W.cols, 70 + call);
            auto expect = start_values(rows.size()), got = expect;
            accumulate_sparse_row_list(W, rows.data(), rows.size(), in.data(), expect.data());
            copies.accumulate(rows.data(), rows.size(), in.data(), got.data());
            CHECK(bits(got) == bits(expect));
            seen.insert(rows.begin(), rows.end());
            CHECK(copies.copied_rows() == seen.size());  // each row copied once, on its first call
            CHECK(copies.copied_synapses() == synapses_of(W, seen));
        }
        // A new image: nothing copied, and the rows copied again.
        copies.clear();
        CHECK(copies.copied_rows() == 0);
        CHECK(copies.copied_synapses() == 0);
        const auto rows = some_rows(W.rows, 0.5, 99);
        const auto in = random_input(W.cols, 98);
        auto expect = start_values(rows.size()), got = expect;
        accumulate_sparse_row_list(W, rows.data(), rows.size(), in.data(), expect.data());
        copies.accumulate(rows.data(), rows.size(), in.data(), got.data());
        CHECK(bits(got) == bits(expect));
        CHECK(copies.copied_rows() == rows.size());
    }
}

TEST_CASE("row copies: past the capacity, rows are read in place and each sum lands at its own row",
          "[row-copies]") {
    // Capacity for about a fifth of the synapses: the first rows listed are
    // copied, the rest read in place, and the two kinds interleave in a
    // list (a row past the capacity may be followed by a shorter one that
    // still fits). Every row's sum differs, so a sum put at another row's
    // place shows; and a list's sources come out in its rows' order.
    weight_matrix W = random_csr(200, 150, 1, 30, 8);
    W.indices.narrow(W.indptr);
    const std::size_t capacity = W.nnz() / 5;
    event_detail::row_copies copies(W, capacity);
    std::set<std::uint32_t> listed;
    for (std::uint32_t call = 0; call < 4; ++call) {
        INFO("call " << call);
        const auto rows = some_rows(W.rows, 0.5, 10 + call);
        const auto in = random_input(W.cols, 20 + call);
        auto expect = start_values(rows.size()), got = expect;
        accumulate_sparse_row_list(W, rows.data(), rows.size(), in.data(), expect.data());
        copies.accumulate(rows.data(), rows.size(), in.data(), got.data());
        CHECK(bits(got) == bits(expect));
        // The same rows' sources, read through the copies and in place.
        std::vector<std::uint32_t> sources, expect_sources;
        copies.for_each_source(rows.data(), rows.size(), [&](std::uint32_t s) { sources.push_back(s); });
        for (std::uint32_t r : rows)
            for (std::uint32_t e = W.indptr[r]; e < W.indptr[r + 1]; ++e) expect_sources.push_back(W.indices.at(r, e));
        CHECK(sources == expect_sources);
        listed.insert(rows.begin(), rows.end());
        CHECK(copies.copied_synapses() <= capacity);
        CHECK(copies.copied_rows() > 0);
        CHECK(copies.copied_rows() < listed.size());
    }
}

TEST_CASE("row copies: made only for stored sparse sets of at least the given size", "[row-copies]") {
    weight_matrix W = random_csr(100, 80, 10, 20, 3);
    const std::size_t bytes = W.nnz() * sizeof(float) + W.indices.bytes();
    CHECK(event_detail::row_copies_pay(W, bytes));
    CHECK_FALSE(event_detail::row_copies_pay(W, bytes + 1));
    weight_matrix dense;
    dense.rows = 4;
    dense.cols = 4;
    dense.w.assign(16, 1.0f);
    CHECK_FALSE(event_detail::row_copies_pay(dense, 0));
}

TEST_CASE("event: rows read through their copies give the spikes and layers of rows read in place", "[event][sparse]") {
    // A sparse network with local fields, whose rows the event backend sums
    // by list (hidden rows the spikes reach, decoder rows the context rows
    // pull): every set copied (copy_rows_from 0) against none, on 1 and on 3
    // partitions over 2 threads, and against the dense backend.
    model_sizes sizes{64, 64, 256, 1024, 10, 16};
    sizes.receptive_field = 3;
    gust_model m = init_model(sizes, 9);
    for (float& b : m.dec2.bias) b += 1.0f;
    const network net = paper_network(m);
    shapes_dataset_spec spec;
    spec.height = 64;
    spec.width = 64;
    spec.seed = 6;
    const auto split = shapes_splits(spec)[2];
    std::vector<float> px(2 * 64 * 64), lab(64 * 64);
    for (std::size_t i = 0; i < 2; ++i) shapes_image(spec, split, i, px.data() + i * 64 * 64, lab.data());
    const image_batch batch{2, 64 * 64, px.data(), {100, 101}};
    const philox_draws draws(4);
    sim_options opt;
    opt.cycles = 4;
    opt.record = {paper_populations::hidden, paper_populations::enc1};
    const auto dense = simulate_dense(net, batch, draws, opt);
    for (const std::size_t partitions : {std::size_t{1}, std::size_t{3}}) {
        INFO(partitions << " partitions");
        opt.partitions = partitions;
        opt.threads = partitions == 1 ? 1 : 2;
        opt.copy_rows_from = 0;
        event_stats copied;
        const auto through_copies = simulate_event(net, batch, draws, opt, {}, &copied);
        opt.copy_rows_from = std::numeric_limits<std::size_t>::max();
        event_stats in_place;
        const auto read_in_place = simulate_event(net, batch, draws, opt, {}, &in_place);
        CHECK(copied.copied_rows > 0);
        CHECK(in_place.copied_rows == 0);
        CHECK(copied.row_updates == in_place.row_updates);
        CHECK(copied.pulled_rows == in_place.pulled_rows);
        REQUIRE(through_copies.size() == 2);
        for (std::size_t b = 0; b < 2; ++b) {
            CHECK(through_copies[b].steps.size() > 0);
            CHECK(through_copies[b].steps == read_in_place[b].steps);
            CHECK(through_copies[b].neurons == read_in_place[b].neurons);
            CHECK(through_copies[b].recorded == read_in_place[b].recorded);
            CHECK(through_copies[b].neurons == dense[b].neurons);
            CHECK(through_copies[b].recorded == dense[b].recorded);
        }
    }
}
