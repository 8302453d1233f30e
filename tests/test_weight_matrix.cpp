// weight_matrix::validate: the checks every reader of a weight set relies on
// before any kernel indexes by its offsets and indices.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "core/weight_matrix.hpp"

using gust::weight_matrix;

namespace {

// A 3 x 4 CSR set: row 0 -> {1, 3}, row 1 -> {}, row 2 -> {0}.
weight_matrix small_csr() {
    weight_matrix W;
    W.rows = 3;
    W.cols = 4;
    W.indptr = {0, 2, 2, 3};
    W.indices = std::vector<std::uint32_t>{1, 3, 0};
    W.w = {0.5f, -1.0f, 2.0f};
    return W;
}

std::string refusal(const weight_matrix& W) {
    try {
        W.validate("set");
    } catch (const gust::input_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("weight matrix: a well-formed CSR or dense set passes", "[weight-matrix]") {
    CHECK(refusal(small_csr()).empty());
    weight_matrix D;
    D.rows = 2;
    D.cols = 3;
    D.w.assign(6, 1.0f);
    CHECK(refusal(D).empty());
}

TEST_CASE("weight matrix: broken CSR sets are refused, naming what is wrong", "[weight-matrix][bad-input]") {
    weight_matrix W = small_csr();
    SECTION("an offset past the values before a later one falls back") {
        // Row 0 would range over 40 values of 3: found decreasing at row 1
        // before any row's indices are read.
        W.indptr = {0, 40, 2, 3};
        CHECK(refusal(W) == "set: indptr decreases at row 1");
    }
    SECTION("offsets of the wrong count, start or end") {
        W.indptr = {0, 2, 3};
        CHECK(refusal(W).find("rows + 1 entries") != std::string::npos);
        W.indptr = {1, 2, 2, 3};
        CHECK(refusal(W).find("start at 0") != std::string::npos);
    }
    SECTION("an index out of range, or not ascending") {
        W.indices = std::vector<std::uint32_t>{1, 4, 0};
        CHECK(refusal(W) == "set: index 4 in row 0 is out of range (4 columns)");
        W.indices = std::vector<std::uint32_t>{3, 1, 0};
        CHECK(refusal(W) == "set: indices of row 0 are not strictly ascending");
    }
    SECTION("a weight that is not finite") {
        W.w[2] = std::nanf("");
        CHECK(refusal(W) == "set: weights hold NaN or Inf");
    }
}

namespace {

// 9,000 rows of 128 ascending sources each (row r: r, r + 3, ...), over
// 2^20 synapses: a set that large is checked on oneTBB's workers. `change`
// edits the sources before they are stored, narrow (16-bit offsets) or wide.
template <class Change>
weight_matrix large_csr(bool narrow, Change change) {
    constexpr std::uint32_t rows = 9000, fan_in = 128;
    weight_matrix W;
    W.rows = rows;
    W.cols = rows + 3 * fan_in;
    std::vector<std::uint32_t> sources;
    W.indptr.push_back(0);
    for (std::uint32_t r = 0; r < rows; ++r) {
        for (std::uint32_t k = 0; k < fan_in; ++k) sources.push_back(r + 3 * k);
        W.indptr.push_back(static_cast<std::uint32_t>(sources.size()));
    }
    W.w.assign(sources.size(), 0.25f);
    change(sources, W);
    W.indices = std::move(sources);
    if (narrow) W.indices.narrow(W.indptr);
    CHECK(W.indices.is_narrow() == narrow);
    return W;
}

}  // namespace

TEST_CASE("weight matrix: a set of a million synapses is checked whole, and its first fault named as in a small one",
          "[weight-matrix][bad-input]") {
    for (bool narrow : {false, true}) {
        INFO((narrow ? "16-bit offsets" : "32-bit sources"));
        CHECK(refusal(large_csr(narrow, [](auto&, auto&) {})).empty());
        // Row 8765's 51st source repeats its 50th.
        CHECK(refusal(large_csr(narrow, [](std::vector<std::uint32_t>& s, weight_matrix& W) {
                  s[W.indptr[8765] + 50] = s[W.indptr[8765] + 49];
              })) == "set: indices of row 8765 are not strictly ascending");
        // The very last source one past the columns.
        CHECK(refusal(large_csr(narrow, [](std::vector<std::uint32_t>& s, weight_matrix& W) {
                  s.back() = static_cast<std::uint32_t>(W.cols);
              })) == "set: index 9384 in row 8999 is out of range (9384 columns)");
        // Of two faults, the one in the lower row.
        CHECK(refusal(large_csr(narrow, [](std::vector<std::uint32_t>& s, weight_matrix& W) {
                  s[W.indptr[7000] + 3] = s[W.indptr[7000] + 2];
                  s[W.indptr[12] + 1] = s[W.indptr[12]];
              })) == "set: indices of row 12 are not strictly ascending");
        CHECK(refusal(large_csr(narrow, [](auto&, weight_matrix& W) { W.w.back() = INFINITY; })) ==
              "set: weights hold NaN or Inf");
    }
}
