// row_set: the rows a step lists, each once, taken out ascending, and the
// set empty again for the next step.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "sim/row_set.hpp"

using gust::event_detail::row_set;

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
