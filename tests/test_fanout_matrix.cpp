// The fan-out table (core/fanout_matrix.hpp): the same synapses as the CSR
// weight set, by source, whether its targets are stored in 16 or 32 bits and
// whether it keeps the weights.
#include <catch2/catch.hpp>

#include <random>
#include <tuple>
#include <utility>
#include <vector>

#include "core/fanout_matrix.hpp"

using namespace gust;

namespace {

// A random CSR set of `rows` x `cols` where each row takes up to `fan_in`
// sources.
weight_matrix random_set(std::size_t rows, std::size_t cols, std::size_t fan_in, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> w(-1.0f, 1.0f);
    std::bernoulli_distribution keep(double(fan_in) / double(cols));
    weight_matrix W;
    W.rows = rows;
    W.cols = cols;
    W.indptr.push_back(0);
    std::vector<std::uint32_t> sources;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::uint32_t c = 0; c < cols; ++c)
            if (keep(rng)) {
                sources.push_back(c);
                W.w.push_back(w(rng));
            }
        W.indptr.push_back(static_cast<std::uint32_t>(sources.size()));
    }
    W.indices = std::move(sources);
    return W;
}

// (source, target, weight) of every synapse of rows [rb, re), by source.
std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> by_source(const weight_matrix& W, std::size_t rb,
                                                                       std::size_t re) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> out;
    for (std::uint32_t c = 0; c < W.cols; ++c)
        for (std::size_t r = rb; r < re; ++r)
            for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s)
                if (W.indices.at(r, s) == c) out.emplace_back(c, static_cast<std::uint32_t>(r), W.w[s]);
    return out;
}

std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> read(const fanout_matrix& f) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> out;
    for (std::uint32_t c = 0; c < f.cols; ++c)
        f.for_each_target(c, [&](std::uint32_t r, std::uint32_t s) {
            out.emplace_back(c, r, f.values.empty() ? 0.0f : f.values[s]);
        });
    return out;
}

}  // namespace

TEST_CASE("fan-out: 16-bit targets where every source's rows span less than 2^16, 32-bit otherwise", "[sparse][memory]") {
    const weight_matrix near = random_set(300, 40, 5, 1);
    const fanout_matrix a = fanout_matrix::build(near, 0, near.rows);
    CHECK(a.narrow());
    CHECK(a.targets.empty());
    CHECK(a.near.size() == near.nnz());
    CHECK(read(a) == by_source(near, 0, near.rows));
    // Rows 100-200 only, as a partition's slice.
    const fanout_matrix slice = fanout_matrix::build(near, 100, 200);
    CHECK(read(slice) == by_source(near, 100, 200));

    // One source reaching rows `span` apart, among others reaching every
    // 1000th row: a span of 2^16 - 1 fits in 16 bits, 2^16 does not.
    for (std::size_t span : {65535u, 65536u}) {
        weight_matrix far;
        far.rows = span + 1;
        far.cols = 2;
        far.indptr.assign(far.rows + 1, 0);
        std::vector<std::uint32_t> sources;
        for (std::size_t r = 0; r < far.rows; ++r) {
            if (r == 0 || r == span) {
                sources.push_back(0);
                far.w.push_back(r == 0 ? 0.5f : -0.25f);
            }
            if (r % 1000 == 7) {
                sources.push_back(1);
                far.w.push_back(float(r));
            }
            far.indptr[r + 1] = static_cast<std::uint32_t>(sources.size());
        }
        far.indices = std::move(sources);
        const fanout_matrix b = fanout_matrix::build(far, 0, far.rows);
        CHECK(b.narrow() == (span < 65536));
        CHECK((b.narrow() ? b.near.size() : b.targets.size()) == far.nnz());
        CHECK(read(b) == by_source(far, 0, far.rows));
    }
}

TEST_CASE("fan-out: without values it keeps the same targets and no weights", "[sparse][memory]") {
    const weight_matrix W = random_set(200, 30, 6, 2);
    const fanout_matrix with = fanout_matrix::build(W, 0, W.rows, true);
    const fanout_matrix without = fanout_matrix::build(W, 0, W.rows, false);
    CHECK(without.values.empty());
    CHECK(with.values.size() == W.nnz());
    CHECK(without.col_ptr == with.col_ptr);
    CHECK(without.near == with.near);
    CHECK(without.first == with.first);
}

TEST_CASE("fan-out: a slice names the range of sources with a target among its rows", "[sparse]") {
    // A banded set: row r takes sources r .. r + 4, so rows [rb, re) are
    // reached from sources [rb, re + 4) exactly.
    weight_matrix W;
    W.rows = 100;
    W.cols = 104;
    W.indptr.push_back(0);
    std::vector<std::uint32_t> sources;
    for (std::uint32_t r = 0; r < 100; ++r) {
        for (std::uint32_t c = r; c < r + 5; ++c) {
            sources.push_back(c);
            W.w.push_back(1.0f);
        }
        W.indptr.push_back(static_cast<std::uint32_t>(sources.size()));
    }
    W.indices = std::move(sources);
    for (auto [rb, re] : {std::pair<std::size_t, std::size_t>{0, 100}, {30, 60}, {95, 100}}) {
        const fanout_matrix f = fanout_matrix::build(W, rb, re, false);
        CHECK(f.reached_begin == rb);
        CHECK(f.reached_end == re + 4);
        for (std::uint32_t c = 0; c < W.cols; ++c)  // outside the range, no targets
            if (c < f.reached_begin || c >= f.reached_end) CHECK(f.out_degree(c) == 0);
    }
    const fanout_matrix none = fanout_matrix::build(W, 40, 40, false);  // no rows: nothing reached
    CHECK(none.reached_begin == none.reached_end);
}

TEST_CASE("fan-out: turned in pieces of rows in parallel, the table is the same for any number of pieces",
          "[sparse]") {
    const weight_matrix W = random_set(500, 60, 7, 3);
    for (auto [rb, re] : {std::pair<std::size_t, std::size_t>{0, 500}, {123, 377}, {10, 12}})
        for (bool values : {true, false}) {
            const fanout_matrix one = fanout_matrix::build(W, rb, re, values, 1);
            if (values) CHECK(read(one) == by_source(W, rb, re));
            for (std::size_t pieces : {2u, 3u, 7u, 1000u}) {  // 1000: more pieces than rows, one row each
                INFO(rb << "-" << re << ", " << pieces << " pieces");
                const fanout_matrix many = fanout_matrix::build(W, rb, re, values, pieces);
                CHECK(many.col_ptr == one.col_ptr);
                CHECK(many.first == one.first);
                CHECK(many.near == one.near);
                CHECK(many.values == one.values);
                CHECK(many.reached_begin == one.reached_begin);
                CHECK(many.reached_end == one.reached_end);
            }
        }
    // A source whose targets span 2^16 rows only across pieces: no piece
    // alone sees it, and the table is wide all the same.
    weight_matrix far;
    far.rows = 70000;
    far.cols = 1;
    far.indptr.assign(far.rows + 1, 0);
    std::vector<std::uint32_t> sources;
    for (std::size_t r = 0; r < far.rows; ++r) {
        if (r == 0 || r == 65536) {
            sources.push_back(0);
            far.w.push_back(1.0f);
        }
        far.indptr[r + 1] = static_cast<std::uint32_t>(sources.size());
    }
    far.indices = std::move(sources);
    const fanout_matrix halves = fanout_matrix::build(far, 0, far.rows, true, 2);
    CHECK_FALSE(halves.narrow());
    CHECK(read(halves) == by_source(far, 0, far.rows));
}
