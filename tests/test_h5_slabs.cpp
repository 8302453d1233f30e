// Datasets moved slab by slab (io/h5.hpp, h5::transfer): whatever the slab
// size, the values are those of a single call; large datasets are stored
// chunked in whole rows and small ones contiguous; every slab's size is
// reported; and integers are still checked value by value in every slab.
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <utility>

#include "cli_runner.hpp"
#include "io/h5.hpp"

using namespace gust;

namespace {

// A dataset's layout, and its chunk dims when it is chunked.
std::pair<H5D_layout_t, std::vector<hsize_t>> layout(const h5::file& f, const std::string& name) {
    h5::handle ds(H5Dopen2(f.h, name.c_str(), H5P_DEFAULT), H5Dclose);
    REQUIRE(ds.valid());
    h5::handle dcpl(H5Dget_create_plist(ds), H5Pclose);
    const H5D_layout_t l = H5Pget_layout(dcpl);
    std::vector<hsize_t> chunk(8);
    if (l == H5D_CHUNKED) chunk.resize(static_cast<std::size_t>(H5Pget_chunk(dcpl, 8, chunk.data())));
    else chunk.clear();
    return {l, chunk};
}

h5::transfer small_slabs(hsize_t slab, hsize_t chunk = hsize_t{1} << 20, hsize_t chunked_above = hsize_t{1} << 22) {
    h5::transfer t;
    t.slab = slab;
    t.chunk = chunk;
    t.chunked_above = chunked_above;
    return t;
}

}  // namespace

TEST_CASE("h5 slabs: a dataset written and read in many slabs has the values of one call", "[h5][io]") {
    test::temp_dir dir;
    std::vector<float> dense(37 * 11);
    for (std::size_t i = 0; i < dense.size(); ++i) dense[i] = 0.5f * static_cast<float>(i) - 3.0f;
    std::vector<std::uint32_t> flat(1000);
    for (std::size_t i = 0; i < flat.size(); ++i) flat[i] = static_cast<std::uint32_t>(i * 7919 % 65536);
    const std::vector<std::int64_t> wide(flat.begin(), flat.end());
    // Many slabs, chunked (more than 100 values), and one call, contiguous.
    for (const auto& [name, t] : {std::pair{"slabs.h5", small_slabs(16, 8, 100)}, std::pair{"one.h5", h5::transfer{}}}) {
        h5::file f = h5::create(dir / name);
        h5::write<float>(f, "/dense", {37, 11}, dense.data(), {}, t);
        h5::write<std::uint32_t>(f, "/flat", {1000}, flat.data(), {}, t);
        h5::write<std::int64_t>(f, "/wide", {1000}, wide.data(), {}, t);
        h5::close(f);
    }
    const h5::file slabs = h5::open_read(dir / "slabs.h5"), one = h5::open_read(dir / "one.h5");
    REQUIRE(layout(slabs, "/dense").first == H5D_CHUNKED);
    REQUIRE(layout(one, "/dense").first == H5D_CONTIGUOUS);
    const std::vector<float> rows_3_to_22(dense.begin() + 3 * 11, dense.begin() + 23 * 11);
    for (hsize_t slab : {hsize_t{1}, hsize_t{5}, hsize_t{11}, hsize_t{16}, hsize_t{999}, hsize_t{1} << 22}) {
        INFO("slab " << slab);
        const h5::transfer t = small_slabs(slab);
        for (const h5::file* f : {&slabs, &one}) {
            CHECK(h5::read<float>(*f, "/dense", {}, t) == dense);
            CHECK(h5::read<std::uint32_t>(*f, "/flat", {}, t) == flat);
            // int64 in the file: converted and checked through a slab-sized buffer.
            CHECK(h5::read<std::uint32_t>(*f, "/wide", {}, t) == flat);
            CHECK(h5::read<std::int64_t>(*f, "/flat", {}, t) == wide);
            CHECK(h5::read_rows<float>(*f, "/dense", 3, 20, t) == rows_3_to_22);
        }
    }
}

TEST_CASE("h5 slabs: every slab's size in the file is reported as it moves", "[h5][io]") {
    test::temp_dir dir;
    const std::vector<float> dense(37 * 11, 1.5f);
    std::vector<std::uint64_t> sizes;
    h5::transfer t = small_slabs(50, 20, 100);
    t.moved = [&](std::uint64_t bytes) { sizes.push_back(bytes); };
    h5::file f = h5::create(dir / "m.h5");
    h5::write<float>(f, "/dense", {37, 11}, dense.data(), {}, t);
    // Chunks of 1 row (20 values hold one row of 11); slabs of 4 chunks (44 values).
    CHECK(layout(f, "/dense").second == std::vector<hsize_t>{1, 11});
    CHECK(sizes.size() == 10);
    CHECK(sizes.front() == 4 * 11 * 4);
    CHECK(std::accumulate(sizes.begin(), sizes.end(), std::uint64_t{0}) == dense.size() * 4);
    h5::close(f);
    // Reading a float32 dataset as double reports the bytes in the file, not in memory.
    sizes.clear();
    const h5::file r = h5::open_read(dir / "m.h5");
    CHECK(h5::read<double>(r, "/dense", {}, t) == std::vector<double>(dense.size(), 1.5));
    CHECK(sizes.size() == 10);
    CHECK(std::accumulate(sizes.begin(), sizes.end(), std::uint64_t{0}) == dense.size() * 4);
    CHECK(h5::data_bytes(r) == dense.size() * 4);
}

TEST_CASE("h5 slabs: large datasets are stored chunked in whole rows, small ones contiguous", "[h5][io]") {
    test::temp_dir dir;
    const std::vector<float> values(600, 0.25f);
    h5::file f = h5::create(dir / "m.h5");
    const h5::transfer t = small_slabs(64, 30, 100);
    h5::write<float>(f, "/rows", {20, 7}, values.data(), {}, t);          // 140 values
    h5::write<float>(f, "/flat", {101}, values.data(), {}, t);
    h5::write<float>(f, "/long_rows", {3, 200}, values.data(), {}, t);    // a row alone exceeds a chunk
    h5::write<float>(f, "/small", {100}, values.data(), {}, t);
    h5::write<float>(f, "/asked", {10}, values.data(), {{5}}, t);         // chunks the caller names
    CHECK(layout(f, "/rows") == std::pair{H5D_CHUNKED, std::vector<hsize_t>{4, 7}});
    CHECK(layout(f, "/flat") == std::pair{H5D_CHUNKED, std::vector<hsize_t>{30}});
    CHECK(layout(f, "/long_rows") == std::pair{H5D_CHUNKED, std::vector<hsize_t>{1, 200}});
    CHECK(layout(f, "/small").first == H5D_CONTIGUOUS);
    CHECK(layout(f, "/asked") == std::pair{H5D_CHUNKED, std::vector<hsize_t>{5}});
    // The defaults: above 2^22 values, chunks of 2^20.
    const std::vector<std::uint8_t> bytes((std::size_t{1} << 22) + 1, 7);
    h5::write<std::uint8_t>(f, "/default_large", {bytes.size()}, bytes.data());
    h5::write<std::uint8_t>(f, "/default_small", {bytes.size() - 1}, bytes.data());
    CHECK(layout(f, "/default_large") == std::pair{H5D_CHUNKED, std::vector<hsize_t>{hsize_t{1} << 20}});
    CHECK(layout(f, "/default_small").first == H5D_CONTIGUOUS);
    h5::close(f);
    const h5::file r = h5::open_read(dir / "m.h5");
    CHECK(h5::read<std::uint8_t>(r, "/default_large") == bytes);
    CHECK(h5::read<float>(r, "/long_rows", {}, small_slabs(7)) == values);
}

TEST_CASE("h5 slabs: an integer out of range in a later slab is refused naming the file, the dataset and the value",
          "[h5][io][bad-input]") {
    test::temp_dir dir;
    std::vector<std::int64_t> values(1000);
    std::iota(values.begin(), values.end(), 0);
    values[990] = -1;
    std::vector<std::uint64_t> huge(values.begin(), values.end());
    huge[990] = std::uint64_t{1} << 33;
    {
        h5::file f = h5::create(dir / "m.h5");
        h5::write<std::int64_t>(f, "/signed", {1000}, values.data());
        h5::write<std::uint64_t>(f, "/unsigned", {1000}, huge.data());
        h5::close(f);
    }
    const h5::file f = h5::open_read(dir / "m.h5");
    std::uint64_t read_before = 0;
    h5::transfer t = small_slabs(16);
    t.moved = [&](std::uint64_t bytes) { read_before += bytes; };
    CHECK_THROWS_WITH(h5::read<std::uint32_t>(f, "/signed", {}, t),
                      Catch::Contains("m.h5: dataset '/signed' holds -1, out of range") && !Catch::Contains("\n"));
    CHECK(read_before == 61 * 16 * 8);  // 61 whole slabs went before the one holding value 990
    CHECK_THROWS_WITH(h5::read<std::uint32_t>(f, "/unsigned", {}, t),
                      Catch::Contains("m.h5: dataset '/unsigned' holds 8589934592, out of range"));
    CHECK_THROWS_WITH(h5::read<std::int32_t>(f, "/unsigned", {}, t), Catch::Contains("holds 8589934592, out of range"));
    // Wide enough targets take the same values.
    CHECK(h5::read<std::int64_t>(f, "/signed", {}, t) == values);
    CHECK(h5::read<std::uint64_t>(f, "/unsigned", {}, t) == huge);
}
