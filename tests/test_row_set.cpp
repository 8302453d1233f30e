// row_set: the rows a step lists, each once, taken out ascending (or walked
// and kept), and the set empty again for the next step.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "sim/row_set.hpp"

using gust::event_detail::row_set;
using gust::event_detail::runs_in;

TEST_CASE("row set: rows added in any order, some twice, come out once each, ascending", "[row-set]") {
    std::mt19937 rng(7);
    row_set set(1000, 300);  // rows 1000..1299: words that do not start at 0
    for (int round = 0; round < 5; ++round) {
        std::set<std::uint32_t> expect;
        std::uniform_int_distribution<std::uint32_t> row(1000, 1299);
        for (int i = 0; i < 200; ++i) {
            const std::uint32_t r = row(rng);
            CHECK(set.insert(r) == expect.insert(r).second);
            CHECK(set.contains(r));
        }
        CHECK(set.size() == expect.size());
        std::vector<std::uint32_t> out = {7};  // appended to
        set.take(out);
        CHECK(out.front() == 7);
        out.erase(out.begin());
        CHECK(out == std::vector<std::uint32_t>(expect.begin(), expect.end()));
        CHECK(set.size() == 0);
        for (std::uint32_t r : expect) CHECK_FALSE(set.contains(r));
    }
}

TEST_CASE("row set: walking the rows gives them ascending and keeps them, as taking them would give", "[row-set]") {
    std::mt19937 rng(3);
    row_set set(64 * 5 + 9, 500);
    std::uniform_int_distribution<std::uint32_t> row(64 * 5 + 9, 64 * 5 + 508);
    for (int i = 0; i < 150; ++i) set.insert(row(rng));
    set.insert(64 * 5 + 9);  // the first row and the last
    set.insert(64 * 5 + 508);
    std::vector<std::uint32_t> walked;
    set.for_each([&](std::size_t r) { walked.push_back(static_cast<std::uint32_t>(r)); });
    CHECK(walked.size() == set.size());
    std::vector<std::uint32_t> taken;
    set.take(taken);
    CHECK(walked == taken);
    CHECK(walked.front() == 64 * 5 + 9);
    CHECK(walked.back() == 64 * 5 + 508);
}

TEST_CASE("row set: clear empties a set midway, including its first and last rows", "[row-set]") {
    row_set set(0, 130);
    for (std::uint32_t r : {0u, 63u, 64u, 129u}) CHECK(set.insert(r));
    set.clear();
    CHECK(set.size() == 0);
    for (std::uint32_t r : {0u, 63u, 64u, 129u}) CHECK_FALSE(set.contains(r));
    CHECK(set.insert(129));
    std::vector<std::uint32_t> out;
    set.take(out);
    CHECK(out == std::vector<std::uint32_t>{129});
}

TEST_CASE("row set: masks of sixteen rows, across word borders and up to the range's end, add what single rows would",
          "[row-set]") {
    std::mt19937 rng(11);
    row_set by_mask(1000, 300), by_row(1000, 300);  // 300 rows: the last word is partial
    for (int round = 0; round < 4; ++round) {
        std::uniform_int_distribution<std::uint32_t> first(1000, 1299);
        for (int i = 0; i < 60; ++i) {
            const std::uint32_t f = first(rng);
            const std::uint32_t n = std::min<std::uint32_t>(16, 1300 - f);  // never past the range
            const std::uint32_t mask = static_cast<std::uint32_t>(rng()) & ((1u << n) - 1);
            std::size_t added = 0;
            for (std::uint32_t b = 0; b < n; ++b)
                if (mask >> b & 1u) added += by_row.insert(f + b);
            CHECK(by_mask.insert_mask(f, mask) == added);
            CHECK(by_mask.size() == by_row.size());
        }
        std::vector<std::uint32_t> a, b;
        by_mask.take(a);
        by_row.take(b);
        CHECK(a.size() > 100);
        CHECK(a == b);
    }
    // A mask ending at the range's last row, in its last (partial) word.
    row_set set(0, 130);
    CHECK(set.insert_mask(114, 0xffffu) == 16);
    CHECK(set.insert_mask(60, 0x1fu) == 5);  // rows 60-64: across a word border
    std::vector<std::uint32_t> out;
    set.take(out);
    CHECK(out.size() == 21);
    CHECK(out.front() == 60);
    CHECK(out[4] == 64);
    CHECK(out.back() == 129);
}

TEST_CASE("row set: ranges of rows, within a word, across words and up to the range's end, add what single rows "
          "would", "[row-set]") {
    std::mt19937 rng(5);
    row_set by_range(2000, 700), by_row(2000, 700);  // 700 rows: the last word is partial
    for (int round = 0; round < 4; ++round) {
        std::uniform_int_distribution<std::uint32_t> first(2000, 2699), length(0, 150);
        for (int i = 0; i < 40; ++i) {
            const std::uint32_t f = first(rng), e = std::min<std::uint32_t>(f + length(rng), 2700);
            std::size_t added = 0;
            for (std::uint32_t r = f; r < e; ++r) added += by_row.insert(r);
            CHECK(by_range.insert_range(f, e) == added);
            CHECK(by_range.size() == by_row.size());
        }
        std::vector<std::uint32_t> a, b;
        by_range.take(a);
        by_row.take(b);
        CHECK(a.size() > 300);
        CHECK(a == b);
    }
    row_set set(0, 130);
    CHECK(set.insert_range(64, 128) == 64);  // exactly one whole word
    CHECK(set.insert_range(63, 65) == 1);
    CHECK(set.insert_range(129, 130) == 1);  // the last row
    CHECK(set.insert_range(5, 5) == 0);
    std::vector<std::uint32_t> out;
    set.take(out);
    CHECK(out.size() == 66);
    CHECK(out.front() == 63);
    CHECK(out[65] == 129);
}

TEST_CASE("row set: the runs of consecutive rows in an ascending list are counted", "[row-set]") {
    CHECK(runs_in({}) == 0);
    CHECK(runs_in({7}) == 1);
    CHECK(runs_in({1, 2, 3, 7, 8, 10}) == 3);
    CHECK(runs_in({0, 2, 4, 6}) == 4);
    std::vector<std::uint32_t> long_run(1000);
    for (std::uint32_t i = 0; i < 1000; ++i) long_run[i] = 5000 + i;
    CHECK(runs_in(long_run) == 1);
}
