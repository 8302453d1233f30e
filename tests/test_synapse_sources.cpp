// Sources of a sparse set's synapses: narrowed to 16-bit offsets from each
// row's first source where every row fits and it saves bytes, the same
// sources either way.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/synapse_sources.hpp"

using gust::synapse_sources;

namespace {

// Rows of `per_row` sources from `first` + r, `step` apart.
struct rows_of {
    std::vector<std::uint32_t> indptr{0}, sources;
    rows_of(std::size_t rows, std::size_t per_row, std::uint32_t step, std::uint32_t first = 0) {
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t e = 0; e < per_row; ++e)
                sources.push_back(first + static_cast<std::uint32_t>(r) + static_cast<std::uint32_t>(e) * step);
            indptr.push_back(static_cast<std::uint32_t>(sources.size()));
        }
    }
};

void check_same(const synapse_sources& s, const rows_of& x) {
    REQUIRE(s.size() == x.sources.size());
    for (std::size_t r = 0; r + 1 < x.indptr.size(); ++r)
        for (std::uint32_t e = x.indptr[r]; e < x.indptr[r + 1]; ++e) CHECK(s.at(r, e) == x.sources[e]);
    CHECK(s.widened(x.indptr) == x.sources);
}

}  // namespace

TEST_CASE("synapse sources: rows within 2^16 of their first source narrow to 16 bits, the same sources",
          "[synapse-sources]") {
    // A last source 65535 after the first fits; 65536 does not.
    for (std::uint32_t step : {65535u / 3, 65536u / 3 + 1}) {
        const rows_of x(10, 4, step, 3'000'000'000u);
        synapse_sources s(x.sources);
        CHECK(s.rows_fit(x.indptr, 0, 10) == (step * 3 <= 65535));
        s.narrow(x.indptr);
        CHECK(s.is_narrow() == (step * 3 <= 65535));
        check_same(s, x);
        CHECK(s.bytes() == synapse_sources::bytes_of(40, 10, step * 3 <= 65535));
        CHECK(s.bytes() == (s.is_narrow() ? 40 * 2 + 10 * 4 : 40 * 4));
        s.narrow(x.indptr);  // again: unchanged
        check_same(s, x);
    }
}

TEST_CASE("synapse sources: two or fewer synapses per row stay 32-bit, where the rows' first sources would cost more",
          "[synapse-sources]") {
    for (std::size_t per_row : {1u, 2u, 3u}) {
        const rows_of x(8, per_row, 5);
        synapse_sources s(x.sources);
        s.narrow(x.indptr);
        CHECK(s.is_narrow() == (per_row == 3));
        CHECK(s.bytes() == synapse_sources::bytes_of(8 * per_row, 8, true));
        check_same(s, x);
    }
}

TEST_CASE("synapse sources: a row with one far source, or one below its first, keeps every row 32-bit",
          "[synapse-sources]") {
    rows_of x(6, 5, 10);
    synapse_sources s(x.sources);
    CHECK(s.rows_fit(x.indptr, 0, 6));
    x.sources[x.indptr[4] + 2] = x.sources[x.indptr[4]] + 70000;  // row 4: far
    s = synapse_sources(x.sources);
    CHECK(!s.rows_fit(x.indptr, 0, 6));
    CHECK(s.rows_fit(x.indptr, 0, 4));
    s.narrow(x.indptr);
    CHECK(!s.is_narrow());
    check_same(s, x);
    rows_of y(6, 5, 10, 100);
    y.sources[y.indptr[2] + 1] = 50;  // below the row's first: a wrapped offset would be huge
    s = synapse_sources(y.sources);
    s.narrow(y.indptr);
    CHECK(!s.is_narrow());
    check_same(s, y);
    // An indptr that does not cover the sources leaves them as they are.
    s = synapse_sources(x.sources);
    s.narrow({0, 5});
    CHECK(!s.is_narrow());
}

TEST_CASE("synapse sources: the same sources compare the same in either form", "[synapse-sources]") {
    const rows_of x(12, 7, 3);
    synapse_sources wide(x.sources), narrow(x.sources);
    narrow.narrow(x.indptr);
    REQUIRE(narrow.is_narrow());
    CHECK(wide.same(narrow, x.indptr));
    CHECK(narrow.same(wide, x.indptr));
    std::vector<std::uint32_t> other = x.sources;
    ++other[30];
    CHECK(!narrow.same(synapse_sources(other), x.indptr));
}

namespace {

// The sources of x appended to a builder `slab` at a time.
synapse_sources built_in_slabs(const rows_of& x, std::size_t slab) {
    gust::synapse_sources_builder b(x.indptr);
    for (std::size_t at = 0; at < x.sources.size(); at += slab)
        b.append(x.sources.data() + at, std::min(slab, x.sources.size() - at));
    return b.finish();
}

}  // namespace

TEST_CASE("synapse sources: built slab by slab, in any slab size, they take the form narrowing the whole list gives",
          "[synapse-sources]") {
    rows_of fits(9, 5, 300, 4'000'000'000u), far(9, 5, 300), below(9, 5, 300, 100), few(9, 2, 300);
    far.sources[far.indptr[6] + 3] += 70000;  // row 6 does not fit: found after six rows were kept narrow
    below.sources[below.indptr[1] + 2] = 50;   // below its row's first
    rows_of gaps(0, 0, 0);
    gaps.indptr = {0, 0, 6, 6, 12, 12};  // rows 0, 2, 4 hold nothing
    gaps.sources = {7, 9, 20, 30, 40, 50, 1000, 1001, 1002, 1003, 1004, 1005};
    for (const rows_of* x : {&fits, &far, &below, &few, &gaps}) {
        synapse_sources whole(x->sources);
        whole.narrow(x->indptr);
        for (std::size_t slab : {std::size_t{1}, std::size_t{3}, std::size_t{7}, x->sources.size()}) {
            const synapse_sources s = built_in_slabs(*x, slab);
            CHECK(s.is_narrow() == whole.is_narrow());
            CHECK(s.bytes() == whole.bytes());
            check_same(s, *x);
        }
    }
    CHECK(built_in_slabs(fits, 4).is_narrow());
    CHECK(built_in_slabs(gaps, 4).is_narrow());
    CHECK(!built_in_slabs(far, 4).is_narrow());
    CHECK(!built_in_slabs(below, 4).is_narrow());
    CHECK(!built_in_slabs(few, 4).is_narrow());
}

TEST_CASE("synapse sources: any range of entries widens to the 32-bit sources, for writing a slab at a time",
          "[synapse-sources]") {
    rows_of x(7, 6, 1000, 123456);
    x.indptr = {0, 6, 6, 12, 18, 18, 30, 42};  // with empty rows
    x.sources.resize(42);
    for (bool narrow : {false, true}) {
        synapse_sources s(x.sources);
        if (narrow) s.narrow(x.indptr);
        REQUIRE(s.is_narrow() == narrow);
        for (std::size_t at = 0; at < 42; ++at)
            for (std::size_t n = 0; at + n <= 42; n += 5) {
                std::vector<std::uint32_t> out(n);
                s.widen(x.indptr, at, n, out.data());
                CHECK(std::equal(out.begin(), out.end(), x.sources.begin() + static_cast<std::ptrdiff_t>(at)));
            }
    }
}
