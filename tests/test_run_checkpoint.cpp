// The rounds an interrupted `gust run` keeps (io/run_checkpoint.hpp): read
// back as written, up to the first missing one, and refused when another run
// wrote them or their records do not fit this run.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_runner.hpp"
#include "core/error.hpp"
#include "io/h5.hpp"
#include "io/run_checkpoint.hpp"

using namespace gust;
using gust::test::temp_dir;

namespace {

image_record spikes(std::vector<std::int64_t> steps, std::vector<std::uint32_t> neurons, std::size_t probes = 1) {
    image_record r;
    r.steps = std::move(steps);
    r.neurons = std::move(neurons);
    r.recorded.assign(probes, std::vector<float>(6, 0.5f));
    return r;
}

const record_shape shape{10, 50, {6}};

std::vector<std::uint8_t> records_of(const std::string& round) {
    h5::file f = h5::open_read(round);
    auto bytes = h5::read<std::uint8_t>(f, "/records");
    h5::close(f);
    return bytes;
}

// Writes round 0 of `run` by hand, as a file edited outside gust might
// hold it: these records' bytes, and the run's name as a variable-length
// string or one of fixed length.
void write_round_by_hand(const std::string& round, const std::string& run, std::size_t count,
                         const std::vector<std::uint8_t>& bytes, bool variable_length_name) {
    const std::string rewritten = round + ".new";
    h5::file g = h5::create(rewritten);
    if (variable_length_name)
        h5::write_attr_string(g, "/", "run", run);
    else
        h5::write_attr_fixed_string(g, "/", "run", run);
    h5::write_attr<std::uint64_t>(g, "/", "first", 0);
    h5::write_attr<std::uint64_t>(g, "/", "count", count);
    h5::write<std::uint8_t>(g, "/records", {bytes.size()}, bytes.data());
    h5::close(g);
    std::filesystem::rename(rewritten, round);
}

}  // namespace

TEST_CASE("run checkpoint: rounds read back in order, up to the first missing one", "[run_checkpoint]") {
    temp_dir dir;
    const std::string folder = run_checkpoint_folder(dir / "report.h5");
    CHECK(folder == dir / "report.h5.partial");
    // 7 images in rounds of 3: positions 0-2, 3-5, 6.
    const std::vector<image_record> first{spikes({0, 0, 4}, {1, 7, 2}), spikes({}, {}), spikes({49}, {9})};
    const std::vector<image_record> second{spikes({3}, {3}), spikes({1, 2}, {0, 0}), spikes({5}, {5})};
    write_run_round(folder, 0, "run A", 0, first);
    write_run_round(folder, 1, "run A", 3, second);
    finished_rounds got = read_run_rounds(folder, "run A", 3, 7, shape);
    CHECK(got.rounds == 2);
    REQUIRE(got.records.size() == 6);
    CHECK(got.records[0].steps == first[0].steps);
    CHECK(got.records[0].neurons == first[0].neurons);
    CHECK(got.records[2].neurons == first[2].neurons);
    CHECK(got.records[4].steps == second[1].steps);
    CHECK(got.records[5].recorded == second[2].recorded);
    // A gap ends what counts: round 2 without round 1 is not read.
    std::filesystem::remove(folder + "/round_1.h5");
    write_run_round(folder, 2, "run A", 6, {spikes({}, {})});
    got = read_run_rounds(folder, "run A", 3, 7, shape);
    CHECK(got.rounds == 1);
    CHECK(got.records.size() == 3);
    // No folder: nothing done.
    CHECK(read_run_rounds(dir / "none.partial", "run A", 3, 7, shape).rounds == 0);
}

TEST_CASE("run checkpoint: another run's rounds, rounds out of place and records that do not fit are refused, "
          "naming the file",
          "[run_checkpoint][bad-input]") {
    temp_dir dir;
    const std::string folder = run_checkpoint_folder(dir / "r.h5"), round0 = folder + "/round_0.h5";
    const auto refused = [&](const std::string& why, std::size_t per_round = 2, std::size_t total = 4) {
        try {
            read_run_rounds(folder, "run A", per_round, total, shape);
            FAIL("not refused: " << why);
        } catch (const input_error& e) {
            const std::string said = e.what();
            INFO(said);
            CHECK(said.find(round0) != std::string::npos);
            CHECK(said.find(why) != std::string::npos);
        }
    };
    write_run_round(folder, 0, "run B", 0, {spikes({}, {}), spikes({}, {})});
    refused("written by another run");
    write_run_round(folder, 0, "run A", 0, {spikes({}, {}), spikes({}, {})});
    refused("holds other images", 3, 4);  // round 0 of rounds of 3
    refused("holds other images", 2, 1);  // a run of one image
    for (const auto& [record, why] : std::vector<std::pair<image_record, std::string>>{
             {spikes({50}, {0}), "outside the run's steps or neurons"},
             {spikes({-1}, {0}), "outside the run's steps or neurons"},
             {spikes({3}, {10}), "outside the run's steps or neurons"},
             {spikes({3, 2}, {0, 0}), "not in order"},
             {spikes({3, 3}, {4, 4}), "not in order"},
             {spikes({3}, {4}, 2), "another number of recorded states"}}) {
        INFO(why);
        write_run_round(folder, 0, "run A", 0, {spikes({}, {}), record});
        refused(why);
    }
    image_record short_states = spikes({}, {});
    short_states.recorded[0].pop_back();
    write_run_round(folder, 0, "run A", 0, {spikes({}, {}), short_states});
    refused("recorded states of another size");
    // Bytes cut short, as a file edited by hand might hold.
    write_run_round(folder, 0, "run A", 0, {spikes({1}, {1}), spikes({}, {})});
    auto bytes = records_of(round0);
    bytes.resize(bytes.size() - 3);
    write_round_by_hand(round0, "run A", 2, bytes, false);
    refused("dataset 'records' is malformed");
}

TEST_CASE("run checkpoint: the run's name is a fixed-length string, and a variable-length one is refused unread",
          "[run_checkpoint][bad-input]") {
    // A variable-length string lives in the file's global heap, which HDF5
    // reads from a damaged file without bounds (tests/fuzz/fuzz_run_round.cpp
    // found such a file, where the read loops for minutes).
    temp_dir dir;
    const std::string folder = run_checkpoint_folder(dir / "r.h5"), round0 = folder + "/round_0.h5";
    const std::string run = "model m.h5 (1234 bytes), data d.h5, images 0:2, cycles 3";
    write_run_round(folder, 0, run, 0, {spikes({1}, {1})});
    {
        h5::file f = h5::open_read(round0);
        CHECK(h5::read_attr_string(f, "/", "run", h5::string_storage::fixed_length) == run);
        h5::close(f);
    }
    CHECK(read_run_rounds(folder, run, 1, 1, shape).rounds == 1);
    write_round_by_hand(round0, run, 1, records_of(round0), true);  // the same text, variable-length
    try {
        read_run_rounds(folder, run, 1, 1, shape);
        FAIL("a variable-length name was read");
    } catch (const input_error& e) {
        const std::string said = e.what();
        INFO(said);
        CHECK(said.find(round0) != std::string::npos);
        CHECK(said.find("not a fixed-length string") != std::string::npos);
    }
}
