// SONATA spike reports: round trip, and the exact layout as h5py sees it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "cli_runner.hpp"
#include "io/h5.hpp"
#include "io/spike_report.hpp"

using namespace gust;

namespace {
spike_report sample_report() {
    spike_report r;
    r.populations = {{"image_3", {0, 0, 5, 17}, {2, 9, 4, 11}}, {"image_10", {}, {}}};
    r.meta = run_metadata{10, 2, 77, "dense", "test", "d.h5", "m.h5", 3, 4};
    std::vector<float> in(12, 0.0f), lab(12, 0.0f);
    in[2] = in[9] = 1;
    lab[2] = 1;
    lab[9] = 2;
    r.images = {{3, in, lab}, {10, in, {}}};
    return r;
}
}  // namespace

TEST_CASE("spikes: a report reads back as written", "[spikes][io]") {
    test::temp_dir dir;
    const spike_report w = sample_report();
    write_spike_report(dir / "s.h5", w);
    const spike_report r = read_spike_report(dir / "s.h5");
    REQUIRE(r.populations.size() == 2);
    // Populations come back in HDF5 name order; find each by name.
    for (const auto& wp : w.populations) {
        auto it = std::find_if(r.populations.begin(), r.populations.end(), [&](auto& p) { return p.name == wp.name; });
        REQUIRE(it != r.populations.end());
        CHECK(it->timestamps == wp.timestamps);
        CHECK(it->node_ids == wp.node_ids);
        const auto& im = r.images[static_cast<std::size_t>(it - r.populations.begin())];
        const auto& wim = w.images[static_cast<std::size_t>(&wp - w.populations.data())];
        CHECK(im.index == wim.index);
        CHECK(im.input == wim.input);
        CHECK(im.labels == wim.labels);
    }
    REQUIRE(r.meta);
    CHECK(r.meta->seed == 77);
    CHECK(r.meta->backend == "dense");
    CHECK(r.meta->height == 3);
    CHECK(r.meta->width == 4);
    CHECK(dir.file_count() == 1);
}

TEST_CASE("spikes: inconsistent reports are rejected", "[spikes][io][bad-input]") {
    test::temp_dir dir;
    spike_report r = sample_report();
    r.populations[0].node_ids.pop_back();
    CHECK_THROWS_WITH(write_spike_report(dir / "s.h5", r), Catch::Contains("image_3"));
    CHECK(dir.file_count() == 0);  // nothing partial left behind

    // A file written by someone else with unequal lengths.
    {
        h5::file f = h5::create(dir / "other.h5");
        const double t[3] = {1, 2, 3};
        const std::uint64_t id[2] = {0, 1};
        h5::write<double>(f, "/spikes/pop/timestamps", {3}, t);
        h5::write<std::uint64_t>(f, "/spikes/pop/node_ids", {2}, id);
    }
    CHECK_THROWS_WITH(read_spike_report(dir / "other.h5"), Catch::Contains("3 timestamps but 2 node_ids"));
    {
        h5::file f = h5::create(dir / "neg.h5");
        const double t[2] = {1, -2};
        const std::uint64_t id[2] = {0, 1};
        h5::write<double>(f, "/spikes/pop/timestamps", {2}, t);
        h5::write<std::uint64_t>(f, "/spikes/pop/node_ids", {2}, id);
    }
    CHECK_THROWS_WITH(read_spike_report(dir / "neg.h5"), Catch::Contains("negative"));
}
