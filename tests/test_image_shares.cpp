// How a batch is shared out over the ranks of a job, and the byte form in
// which records travel back to rank 0.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "sim/image_shares.hpp"

using namespace gust;

TEST_CASE("image shares: contiguous, in rank order, balanced, covering the batch once", "[mpi]") {
    for (std::size_t images : {0u, 1u, 5u, 7u, 64u})
        for (std::size_t ranks = 1; ranks <= 6; ++ranks) {
            INFO(images << " images, " << ranks << " ranks");
            std::size_t next = 0, smallest = images, largest = 0;
            for (std::size_t r = 0; r < ranks; ++r) {
                const image_share s = share_of(images, r, ranks);
                CHECK(s.first == next);
                next += s.count;
                smallest = std::min(smallest, s.count);
                largest = std::max(largest, s.count);
            }
            CHECK(next == images);
            CHECK(largest - smallest <= 1);
        }
}

TEST_CASE("image shares: a sub-batch points at its images and keeps their ids", "[mpi]") {
    std::vector<float> pixels(5 * 3);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = float(i);
    const image_batch b{5, 3, pixels.data(), {10, 11, 12, 13, 14}};
    const image_batch s = sub_batch(b, {2, 2});
    CHECK(s.count == 2);
    CHECK(s.size == 3);
    CHECK(s.pixels[0] == 6.0f);
    CHECK(s.ids == std::vector<std::size_t>{12, 13});
}

TEST_CASE("image shares: records survive their byte form", "[mpi]") {
    std::vector<image_record> records(3);
    records[0].steps = {0, 3, 3};
    records[0].neurons = {7, 1, 2};
    records[0].recorded = {{0.5f, -1.0f}, {}};
    records[2].steps = {9};
    records[2].neurons = {4000000000u};
    const auto back = unpack_records(pack_records(records));
    REQUIRE(back.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(back[i].steps == records[i].steps);
        CHECK(back[i].neurons == records[i].neurons);
        CHECK(back[i].recorded == records[i].recorded);
    }
    auto bytes = pack_records(records);
    bytes.pop_back();
    CHECK_THROWS(unpack_records(bytes));
    CHECK(unpack_records(pack_records({})).empty());
    CHECK(collect_records(records, single_process()).size() == 3);
}

TEST_CASE("image shares: counts of records or states that their bytes cannot hold are refused as counts", "[mpi]") {
    // A round file (io/run_checkpoint.hpp) may declare any count. Each
    // record takes 24 bytes at least and each state array 8, so a count
    // beyond that is refused before storage is made for it, not after
    // storage for all of them is made and the bytes run out.
    const auto refusal = [](const std::vector<char>& bytes) -> std::string {
        try {
            unpack_records(bytes);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "accepted";
    };
    const auto with_count = [](std::uint64_t count, std::size_t then) {
        std::vector<char> bytes(8 + then, 0);
        std::memcpy(bytes.data(), &count, 8);
        return bytes;
    };
    CHECK(refusal(with_count(4, 96)) == "accepted");  // four empty records
    CHECK(refusal(with_count(5, 96)).find("more records than bytes") != std::string::npos);
    CHECK(refusal(with_count(std::uint64_t{1} << 60, 96)).find("more records than bytes") != std::string::npos);
    // One record holding no spikes and 3 states of 8 bytes each left for 2.
    std::vector<char> states = with_count(1, 16 + 8 + 16);
    const std::uint64_t three = 3;
    std::memcpy(states.data() + 8 + 16, &three, 8);
    CHECK(refusal(states).find("more states than bytes") != std::string::npos);
}
