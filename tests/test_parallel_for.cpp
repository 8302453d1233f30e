// gust's parallel loops (core/parallel_for.hpp): every index once, whatever
// the partitioner; and, built with ThreadSanitizer, a race between two of a
// loop's chunks is still seen, so the edges the loops declare hide nothing.
#include <catch2/catch.hpp>

#include <tbb/blocked_range.h>
#include <tbb/partitioner.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/parallel_for.hpp"

using namespace gust;

TEST_CASE("parallel_for: every index is visited once, over indices or ranges, with any partitioner", "[threads]") {
    const std::size_t n = 10007;
    std::vector<int> seen(n, 0);
    gust::parallel_for(std::size_t{0}, n, [&](std::size_t i) { seen[i] += 1; });
    gust::parallel_for(std::size_t{0}, n, [&](std::size_t i) { seen[i] += 2; }, tbb::static_partitioner());
    gust::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) seen[i] += 4;
    });
    gust::parallel_for(std::size_t{5}, std::size_t{5}, [&](std::size_t i) { seen[i] += 8; });  // empty
    for (std::size_t i = 0; i < n; ++i) REQUIRE(seen[i] == 7);
}

// Hidden: scripts/test runs it in the ThreadSanitizer build and requires
// the report. Every index adds to one plain variable. The caller's chunks
// wait (10 s at most in all) until a worker has run one, so that two
// threads surely take part; the flag is relaxed, which orders nothing for
// ThreadSanitizer.
TEST_CASE("parallel_for: chunks that add to one plain variable race (ThreadSanitizer must report it)", "[.][race]") {
    const auto caller = std::this_thread::get_id();
    std::atomic<bool> worker_ran{false};
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::size_t sum = 0;
    gust::parallel_for(std::size_t{0}, std::size_t{64}, [&](std::size_t i) {
        sum += i;
        if (std::this_thread::get_id() != caller) worker_ran.store(true, std::memory_order_relaxed);
        while (!worker_ran.load(std::memory_order_relaxed) && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    CHECK(worker_ran.load());
}
