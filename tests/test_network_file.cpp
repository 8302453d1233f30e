// Model files of any network: the description travels with the weights,
// files written before descriptions existed read as the paper network, and
// jobs that need the paper architecture say so for other networks. Large
// datasets are chunked and every dataset moves slab by slab, with progress.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "small_slabs.hpp"
#include "io/model_file.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

using namespace gust;
using gust::test::small_slabs;

namespace {
const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";
}

TEST_CASE("network file: a model of any network round-trips with its description", "[network][io]") {
    test::temp_dir dir;
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    write_network_model(dir / "m.h5", m);
    CHECK(dir.file_count() == 1);
    const network_model r = read_network_model(dir / "m.h5");
    CHECK(format_network_description(r.description) == format_network_description(m.description));
    REQUIRE(r.net.projections.size() == m.net.projections.size());
    for (std::size_t j = 0; j < m.net.projections.size(); ++j) {
        CHECK(r.net.projections[j].weights->w == m.net.projections[j].weights->w);
        CHECK(r.net.projections[j].weights->indices.same(m.net.projections[j].weights->indices, m.net.projections[j].weights->indptr));
        CHECK(r.net.projections[j].delay == m.net.projections[j].delay);
    }
    CHECK(r.net.projections[1].weights == r.net.projections[0].weights);  // shared again after reading
    for (std::size_t i = 0; i < m.net.populations.size(); ++i) CHECK(r.net.populations[i].bias == m.net.populations[i].bias);
    // The paper-only reader says what it cannot take.
    CHECK_THROWS_WITH(read_model(dir / "m.h5"), Catch::Contains("m.h5") && Catch::Contains("not the paper's architecture"));
}

TEST_CASE("network file: the paper network keeps the published layout, and older files read as the paper network",
          "[network][io]") {
    test::temp_dir dir;
    const gust_model m = init_model({20, 30, 50, 64, 7}, 11);
    write_model(dir / "m.h5", m);
    {
        h5::file f = h5::open_read(dir / "m.h5");
        for (const char* d : {"/encoder/fc1/weight", "/encoder/fc1/bias", "/encoder/fc2/weight", "/decoder/fc2/bias"})
            CHECK(h5::exists(f, d));
        CHECK(h5::read_attr_integer(f, "/", "input_size", 1, 100000) == 600);
        CHECK(h5::read_attr_integer(f, "/", "hidden_size", 1, 100000) == 50);
        CHECK(h5::has_attr(f, "/", "network"));
    }
    const network_model r = read_network_model(dir / "m.h5");
    CHECK(is_paper_shaped(r.description));
    CHECK(r.description.cycle == 7);
    CHECK(r.net.projections[3].delay == 7);  // the decoder reads the delay line one cycle later

    // The shipped model predates descriptions: it reads as the paper network.
    const std::string shipped = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    {
        h5::file f = h5::open_read(shipped);
        REQUIRE_FALSE(h5::has_attr(f, "/", "network"));
    }
    const network_model old = read_network_model(shipped);
    CHECK(is_paper_shaped(old.description));
    const gust_model direct = read_model(shipped), via = to_paper_model(old, "t");
    CHECK(direct.enc1.weight == via.enc1.weight);
    CHECK(direct.dec2.bias == via.dec2.bias);
    CHECK(direct.release_p == via.release_p);
}

TEST_CASE("network file: a description that disagrees with the file is refused naming both", "[network][io][bad-input]") {
    test::temp_dir dir;
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    write_network_model(dir / "m.h5", m);
    auto set_description = [&](const std::string& text) {
        h5::file f{h5::handle(H5Fopen((dir / "m.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), dir / "m.h5"};
        h5::write_attr_string(f, "/", "network", text);
    };
    std::string text = format_network_description(m.description);
    const auto at = text.find("size = 256");
    REQUIRE(at != std::string::npos);
    set_description(std::string(text).replace(at, 10, "size = 300"));
    CHECK_THROWS_WITH(read_network_model(dir / "m.h5"),
                      Catch::Contains("m.h5") && Catch::Contains("/decoder/fc2/weight") && Catch::Contains("[300, 512]"));
    set_description(std::string(text).replace(at, 10, "size = [1]"));
    CHECK_THROWS_WITH(read_network_model(dir / "m.h5"),
                      Catch::Contains("m.h5 (its attribute 'network')") && Catch::Contains("'size' must be"));
}

namespace {

// Every (done, total) a progress callback heard.
struct heard {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    io_progress callback() {
        return [this](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); };
    }
    // Non-decreasing towards one total, ending at it; the slabs alone reach it
    // (the call before finish's already says total) when `exact`.
    void check_ends_at(std::uint64_t total, bool exact) const {
        REQUIRE(calls.size() >= 2);
        for (std::size_t i = 0; i < calls.size(); ++i) {
            CHECK(calls[i].second == total);
            CHECK(calls[i].first <= total);
            if (i > 0) CHECK(calls[i].first >= calls[i - 1].first);
        }
        CHECK(calls.back().first == total);
        if (exact) CHECK(calls[calls.size() - 2].first == total);
    }
};

H5D_layout_t layout(const std::string& path, const std::string& dataset) {
    const h5::file f = h5::open_read(path);
    h5::handle ds(H5Dopen2(f.h, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    h5::handle dcpl(H5Dget_create_plist(ds), H5Pclose);
    return H5Pget_layout(dcpl);
}

}  // namespace

TEST_CASE("network file: a model written and read in many slabs equals the one-call file, with progress",
          "[network][io]") {
    test::temp_dir dir;
    // encoder/fc1 is CSR (512 x 25 synapses), the others dense (400 x 512 ...).
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    heard wrote, read;
    write_network_model(dir / "slabs.h5", m, wrote.callback(), small_slabs());
    write_network_model(dir / "one.h5", m);
    CHECK(dir.file_count() == 2);
    const network_model r = read_network_model(dir / "slabs.h5", read.callback(), small_slabs());
    const network_model one = read_network_model(dir / "one.h5");
    REQUIRE(r.net.projections.size() == m.net.projections.size());
    for (std::size_t j = 0; j < m.net.projections.size(); ++j) {
        const weight_matrix &w = *m.net.projections[j].weights, &a = *r.net.projections[j].weights,
                            &b = *one.net.projections[j].weights;
        CHECK((a.w == w.w && a.indptr == w.indptr && a.indices.same(w.indices, w.indptr)));
        CHECK((b.w == w.w && b.indptr == w.indptr && b.indices.same(w.indices, w.indptr)));
    }
    for (std::size_t i = 0; i < m.net.populations.size(); ++i) CHECK(r.net.populations[i].bias == m.net.populations[i].bias);

    // Large datasets chunked, small ones contiguous; with the default sizes all are small here.
    CHECK(layout(dir / "slabs.h5", "/encoder/fc1/data") == H5D_CHUNKED);
    CHECK(layout(dir / "slabs.h5", "/encoder/fc1/indices") == H5D_CHUNKED);
    CHECK(layout(dir / "slabs.h5", "/encoder/fc2/weight") == H5D_CHUNKED);
    CHECK(layout(dir / "slabs.h5", "/encoder/fc1/indptr") == H5D_CONTIGUOUS);
    CHECK(layout(dir / "slabs.h5", "/encoder/fc1/bias") == H5D_CONTIGUOUS);
    CHECK(layout(dir / "one.h5", "/encoder/fc2/weight") == H5D_CONTIGUOUS);

    // Progress: the bytes of every weight and bias, slab by slab.
    const std::uint64_t total = h5::data_bytes(h5::open_read(dir / "one.h5"));
    CHECK(total == h5::data_bytes(h5::open_read(dir / "slabs.h5")));
    CHECK(wrote.calls.size() > 100);
    wrote.check_ends_at(total, true);
    CHECK(read.calls.size() > 100);
    read.check_ends_at(total, true);
}

TEST_CASE("network file: contiguous datasets written in many slabs keep the bytes of one call", "[network][io]") {
    test::temp_dir dir;
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    h5::transfer slabs_only = small_slabs();
    slabs_only.chunked_above = hsize_t{1} << 40;
    write_network_model(dir / "slabs.h5", m, {}, slabs_only);
    write_network_model(dir / "one.h5", m);
    auto bytes = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    CHECK(bytes(dir / "slabs.h5") == bytes(dir / "one.h5"));
}

TEST_CASE("network file: an older file's progress ends at its total too", "[network][io]") {
    const std::string shipped = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    heard read;
    const network_model m = read_network_model(shipped, read.callback(), small_slabs());
    CHECK(is_paper_shaped(m.description));
    read.check_ends_at(h5::data_bytes(h5::open_read(shipped)), false);
}

TEST_CASE("network file: an index out of range in a later slab is refused in one line naming file and dataset",
          "[network][io][bad-input]") {
    test::temp_dir dir;
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    write_network_model(dir / "m.h5", m);
    const weight_matrix& w = *m.net.projections[0].weights;
    REQUIRE(w.sparse());
    // The indices as int64 (as scipy writes them), the last one beyond uint32.
    const std::vector<std::uint32_t> sources = w.indices.widened(w.indptr);
    std::vector<std::int64_t> wide(sources.begin(), sources.end());
    const auto store = [&] {
        h5::file f{h5::handle(H5Fopen((dir / "m.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), dir / "m.h5"};
        REQUIRE(H5Ldelete(f.h, "/encoder/fc1/indices", H5P_DEFAULT) >= 0);
        h5::write<std::int64_t>(f, "/encoder/fc1/indices", {wide.size()}, wide.data());
    };
    store();
    // int64 indices in range read as the uint32 ones.
    CHECK(read_network_model(dir / "m.h5", {}, small_slabs()).net.projections[0].weights->indices.same(w.indices, w.indptr));
    wide.back() = std::int64_t{1} << 32;
    store();
    CHECK_THROWS_WITH(read_network_model(dir / "m.h5", {}, small_slabs()),
                      Catch::Contains("m.h5: dataset '/encoder/fc1/indices' holds 4294967296, out of range") &&
                          !Catch::Contains("\n"));
}
