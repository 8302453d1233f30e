// The shapes data set: generator semantics, the file layout against the
// reference generator's fixture, determinism, and reader validation.
#include <tbb/global_control.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "io/dataset_file.hpp"
#include "io/h5.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using gust::shapes::shape_kind;

namespace {

const std::string reference = GUST_FIXTURES "/datasets/reference_shapes_3_3_first200.h5";

// A folder removed with everything in it at the end of the test run.
struct temp_dir {
    fs::path path = fs::temp_directory_path() / ("gust_test_dataset_" + std::to_string(::getpid()));
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};
const temp_dir& tmp() {
    static temp_dir dir;
    return dir;
}

// Split sizes that are not multiples of the chunk length exercise the edge chunk.
gust::shapes_dataset_spec small_spec(std::uint64_t seed = 42) {
    gust::shapes_dataset_spec spec;
    spec.n_train = 3;
    spec.n_test = 2;
    spec.train_size = 250;
    spec.test_size = 150;
    spec.seed = seed;
    return spec;
}
// Written once, shared by the tests that only read it.
const std::string& small_file() {
    static const std::string path = [] {
        std::string p = tmp().file("small.h5");
        gust::write_shapes_dataset(p, small_spec());
        return p;
    }();
    return path;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const gust::input_error& e) {
        return e.what();
    }
    return "(no input_error thrown)";
}

// The label image recomputed from the placements by counting coverage, independently of the
// generator's renderer.
void render_by_count(const std::vector<gust::shapes::placement>& shapes, std::size_t height,
                     std::size_t width, std::vector<float>& image, std::vector<float>& labels) {
    std::vector<int> count(height * width, 0), owner(height * width, 0);
    for (std::size_t i = 0; i < shapes.size(); ++i)
        for (std::size_t r = 0; r < height; ++r)
            for (std::size_t c = 0; c < width; ++c)
                if (r >= shapes[i].row && c >= shapes[i].col &&
                    gust::shapes::shape_covers(shapes[i].kind, r - shapes[i].row,
                                               c - shapes[i].col)) {
                    ++count[r * width + c];
                    owner[r * width + c] = static_cast<int>(i + 1);
                }
    image.assign(height * width, 0.0f);
    labels.assign(height * width, 0.0f);
    for (std::size_t p = 0; p < height * width; ++p) {
        image[p] = count[p] > 0 ? 1.0f : 0.0f;
        labels[p] = count[p] == 1 ? static_cast<float>(owner[p]) : 0.0f;
    }
}

struct fg_stats {
    double mean_foreground = 0, mean_overlap = 0;
};
fg_stats stats(const gust::image_set& s) {
    fg_stats st;
    for (std::size_t p = 0; p < s.images.size(); ++p) {
        st.mean_foreground += s.images[p];
        st.mean_overlap += s.images[p] == 1.0f && s.labels[p] == 0.0f;
    }
    st.mean_foreground /= static_cast<double>(s.count);
    st.mean_overlap /= static_cast<double>(s.count);
    return st;
}

// What "byte-compatible layout" means for one dataset.
struct layout {
    H5T_class_t type_class;
    std::size_t type_size;
    H5T_order_t order;
    std::vector<hsize_t> frame;  // dims after the image count
    H5D_layout_t storage;
    std::vector<hsize_t> chunk_frame;
    std::vector<std::pair<H5Z_filter_t, std::vector<unsigned>>> filters;
    H5D_fill_time_t fill_time;
    H5D_alloc_time_t alloc_time;
    bool operator==(const layout&) const = default;
};
layout layout_of(const std::string& path, const std::string& dataset, hsize_t* chunk_rows) {
    gust::h5::file f = gust::h5::open_read(path);
    gust::h5::handle ds(H5Dopen2(f.h, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    REQUIRE(ds.valid());
    gust::h5::handle type(H5Dget_type(ds), H5Tclose), space(H5Dget_space(ds), H5Sclose),
        dcpl(H5Dget_create_plist(ds), H5Pclose);
    layout l;
    l.type_class = H5Tget_class(type);
    l.type_size = H5Tget_size(type);
    l.order = H5Tget_order(type);
    std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    l.frame.assign(dims.begin() + 1, dims.end());
    l.storage = H5Pget_layout(dcpl);
    std::vector<hsize_t> chunk(dims.size());
    if (l.storage == H5D_CHUNKED) H5Pget_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
    *chunk_rows = chunk[0];
    l.chunk_frame.assign(chunk.begin() + 1, chunk.end());
    for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
        unsigned flags = 0;
        std::size_t n = 8;
        std::vector<unsigned> cd(n);
        H5Z_filter_t id = H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, cd.data(), 0,
                                         nullptr, nullptr);
        cd.resize(n);
        l.filters.emplace_back(id, cd);
    }
    H5Pget_fill_time(dcpl, &l.fill_time);
    H5Pget_alloc_time(dcpl, &l.alloc_time);
    return l;
}

}  // namespace

TEST_CASE("dataset: the three shapes are the drawings of the spec") {
    const std::map<shape_kind, std::vector<std::string>> drawn = {
        {shape_kind::square,
         {"1111111", "1111111", "1100011", "1100011", "1100011", "1111111", "1111111"}},
        {shape_kind::triangle,
         {"000001100000", "000011110000", "000111111000", "001110011100", "011100001110",
          "111111111111", "111111111111"}},
        {shape_kind::flipped_triangle,
         {"111111111111", "111111111111", "011100001110", "001110011100", "000111111000",
          "000011110000", "000001100000"}}};
    for (const auto& [kind, rows] : drawn) {
        CAPTURE(static_cast<int>(kind));
        REQUIRE(gust::shapes::shape_height(kind) == rows.size());
        REQUIRE(gust::shapes::shape_width(kind) == rows[0].size());
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t c = 0; c < rows[r].size(); ++c)
                CHECK(gust::shapes::shape_covers(kind, r, c) == (rows[r][c] == '1'));
    }
}

TEST_CASE(
    "dataset: every split holds its shapes fully inside the frame and labels recompute from the "
    "placements") {
    const auto spec = small_spec();
    const std::size_t h = spec.height, w = spec.width;
    std::size_t overlap_pixels = 0, hidden_shapes = 0;
    for (const auto& split : gust::shapes_splits(spec)) {
        CAPTURE(split.name);
        REQUIRE(gust::split_size(small_file(), split.name) == split.images);
        gust::image_set s = gust::read_split(small_file(), split.name, 0, split.images);
        std::vector<float> pixels(h * w), labels(h * w), image, expected_labels;
        for (std::size_t i = 0; i < split.images; ++i) {
            CAPTURE(i);
            auto placed = gust::shapes_image(spec, split, i, pixels.data(), labels.data());
            REQUIRE(placed.size() ==
                    (split.kind ? 1 : (split.name == "test" ? spec.n_test : spec.n_train)));
            for (const auto& p : placed) {
                if (split.kind) CHECK(p.kind == *split.kind);
                CHECK(p.row + gust::shapes::shape_height(p.kind) <= h);
                CHECK(p.col + gust::shapes::shape_width(p.kind) <= w);
            }
            render_by_count(placed, h, w, image, expected_labels);
            const float* file_pixels = &s.images[i * h * w];
            const float* file_labels = &s.labels[i * h * w];
            REQUIRE(std::equal(image.begin(), image.end(), file_pixels));
            REQUIRE(std::equal(expected_labels.begin(), expected_labels.end(), file_labels));
            REQUIRE(std::equal(pixels.begin(), pixels.end(), file_pixels));
            // A label is missing only when every pixel of that shape is overlapped.
            std::set<float> seen(file_labels, file_labels + h * w);
            seen.erase(0.0f);
            for (float l : seen) CHECK((l >= 1.0f && l <= static_cast<float>(placed.size())));
            hidden_shapes += placed.size() - seen.size();
            for (std::size_t p = 0; p < h * w; ++p)
                overlap_pixels += file_pixels[p] == 1.0f && file_labels[p] == 0.0f;
        }
    }
    // The overlap rule was exercised; fully hidden shapes are rare.
    CHECK(overlap_pixels > 0);
    CHECK(hidden_shapes < 5);
}

TEST_CASE("dataset: positions are uniform over the whole frame including its edges") {
    gust::shapes_dataset_spec spec;
    const auto splits = gust::shapes_splits(spec);
    std::vector<float> pixels(spec.height * spec.width), labels(pixels.size());
    for (std::size_t s = 3; s < 6; ++s) {
        const auto& split = splits[s];
        CAPTURE(split.name);
        const std::size_t max_row = spec.height - 7,
                          max_col = spec.width - gust::shapes::shape_width(*split.kind);
        std::vector<int> rows(max_row + 1), cols(max_col + 1);
        const int n = 4000;
        for (int i = 0; i < n; ++i) {
            auto p = gust::shapes_image(spec, split, static_cast<std::size_t>(i), pixels.data(),
                                        labels.data())[0];
            REQUIRE(p.row <= max_row);
            REQUIRE(p.col <= max_col);
            ++rows[p.row];
            ++cols[p.col];
        }
        // Every position occurs about n/positions times (binomial; 5 sigma).
        for (auto* counts : {&rows, &cols}) {
            double expect = double(n) / double(counts->size());
            for (int c : *counts) CHECK(std::abs(c - expect) < 5 * std::sqrt(expect));
        }
    }
}

TEST_CASE("dataset: foreground statistics match the reference generator") {
    // Reference test split, 200 images of 3 shapes: foreground 125.5 px
    // (sd 10.9, so its mean is known to +-0.8), overlap 9.9 px (sd 9.0, +-0.6).
    gust::image_set ref = gust::read_split(reference, "test", 0, 200);
    fg_stats want = stats(ref);
    REQUIRE(want.mean_foreground == Approx(125.47).margin(0.01));

    gust::shapes_dataset_spec spec;  // 3 shapes, 28x28
    const auto split = gust::shapes_splits(spec)[2];
    gust::image_set ours{4000, spec.height, spec.width, {}, {}, {}};
    ours.images.resize(ours.count * 784);
    ours.labels.resize(ours.count * 784);
    for (std::size_t i = 0; i < ours.count; ++i)
        gust::shapes_image(spec, split, i, &ours.images[i * 784], &ours.labels[i * 784]);
    fg_stats got = stats(ours);
    // Tolerances are about 4 standard errors of the difference of the means.
    CHECK(got.mean_foreground == Approx(want.mean_foreground).margin(3.0));
    CHECK(got.mean_overlap == Approx(want.mean_overlap).margin(2.5));
    // Without overlaps the mean would be 3 * (40 + 48 + 48) / 3 = 136.
    CHECK(got.mean_foreground < 136.0);
}

TEST_CASE("dataset: the file layout matches the reference file") {
    REQUIRE(gust::split_names(small_file()) == gust::split_names(reference));
    for (const auto& split : gust::split_names(reference)) {
        for (const char* d : {"default", "groups"}) {
            std::string name = "/" + split + "/" + d;
            CAPTURE(name);
            hsize_t ours_rows = 0, ref_rows = 0;
            layout ours = layout_of(small_file(), name, &ours_rows);
            layout ref = layout_of(reference, name, &ref_rows);
            CHECK(ours == ref);
            CHECK(ours.type_class == H5T_FLOAT);
            CHECK(ours.type_size == 4);
            CHECK(ours.frame == std::vector<hsize_t>{28, 28});
            CHECK(ours.filters.size() == 1);
            CHECK(ours.filters.at(0).first == H5Z_FILTER_DEFLATE);
            CHECK(ours.filters.at(0).second == std::vector<unsigned>{4});
            CHECK(ours_rows == 100);
            CHECK(ref_rows == 100);
        }
    }
}

TEST_CASE("dataset: small splits get chunks of n images and other frame sizes work") {
    auto spec = small_spec();
    spec.train_size = 30;
    spec.test_size = 7;
    spec.height = 16;
    spec.width = 40;
    std::string path = tmp().file("small_frame.h5");
    gust::write_shapes_dataset(path, spec);
    hsize_t rows = 0;
    layout l = layout_of(path, "/test/groups", &rows);
    CHECK(rows == 7);
    CHECK(l.chunk_frame == std::vector<hsize_t>{16, 40});
    gust::image_set s = gust::read_split(path, "train_multi", 0, 30);
    CHECK(s.height == 16);
    CHECK(s.width == 40);
    std::vector<float> pixels(16 * 40), labels(16 * 40);
    gust::shapes_image(spec, gust::shapes_splits(spec)[0], 29, pixels.data(), labels.data());
    CHECK(std::equal(pixels.begin(), pixels.end(), &s.images[29 * 16 * 40]));
}

TEST_CASE("dataset: content depends on the seed and not on the thread count") {
    auto read_all = [](const std::string& path) {
        std::vector<float> all;
        for (const auto& name : gust::split_names(path)) {
            auto s = gust::read_split(path, name, 0, gust::split_size(path, name));
            all.insert(all.end(), s.images.begin(), s.images.end());
            all.insert(all.end(), s.labels.begin(), s.labels.end());
        }
        return all;
    };
    std::string serial = tmp().file("serial.h5"), other = tmp().file("other_seed.h5");
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        gust::write_shapes_dataset(serial, small_spec(42));
    }
    gust::write_shapes_dataset(other, small_spec(43));
    auto a = read_all(small_file());
    CHECK(a == read_all(serial));
    CHECK(a != read_all(other));
    // Each split draws from its own stream: the two n_train splits differ.
    CHECK(gust::read_split(small_file(), "train_multi", 0, 250).images !=
          gust::read_split(small_file(), "train_single", 0, 250).images);
}

TEST_CASE("dataset: root attributes record the generator settings") {
    gust::h5::file f = gust::h5::open_read(small_file());
    CHECK(gust::h5::read_attr_number(f, "/", "seed") == 42);
    CHECK(gust::h5::read_attr_number(f, "/", "n_train") == 3);
    CHECK(gust::h5::read_attr_number(f, "/", "n_test") == 2);
    CHECK(gust::h5::read_attr_number(f, "/", "train_size") == 250);
    CHECK(gust::h5::read_attr_number(f, "/", "test_size") == 150);
    CHECK(gust::h5::read_attr_number(f, "/", "height") == 28);
    CHECK(gust::h5::read_attr_number(f, "/", "width") == 28);
    CHECK(gust::h5::read_attr_string(f, "/", "gust_version") == GUST_VERSION);
}

TEST_CASE("dataset: reading the reference fixture") {
    CHECK_THAT(gust::h5::read_attr_string(gust::h5::open_read(reference), "/", "note"),
               Contains("reference GUST generator"));
    for (const auto& split : gust::split_names(reference))
        CHECK(gust::split_size(reference, split) == 200);
    gust::image_set all = gust::read_split(reference, "test", 0, 200);
    gust::image_set part = gust::read_split(reference, "test", 150, 50);
    REQUIRE(part.count == 50);
    CHECK(part.height == 28);
    CHECK(part.width == 28);
    CHECK(part.indices.front() == 150);
    CHECK(part.indices.back() == 199);
    CHECK(std::equal(part.images.begin(), part.images.end(), &all.images[150 * 784]));
    CHECK(std::equal(part.labels.begin(), part.labels.end(), &all.labels[150 * 784]));
    for (std::size_t p = 0; p < all.images.size(); ++p) {
        float x = all.images[p], l = all.labels[p];
        REQUIRE((x == 0.0f || x == 1.0f));
        REQUIRE((l == 0.0f || l == 1.0f || l == 2.0f || l == 3.0f));
        REQUIRE((x == 1.0f || l == 0.0f));
    }
    // Single-shape splits: exactly one shape, so 40 (square) or 48 (triangles) pixels.
    const std::map<std::string, float> size = {
        {"train_single_0", 40}, {"train_single_1", 48}, {"train_single_2", 48}};
    for (const auto& [split, pixels] : size) {
        gust::image_set s = gust::read_split(reference, split, 0, 200);
        for (std::size_t i = 0; i < s.count; ++i)
            CHECK(std::accumulate(&s.images[i * 784], &s.images[(i + 1) * 784], 0.0f) == pixels);
    }
}

TEST_CASE("dataset: invalid specs are rejected") {
    auto spec = small_spec();
    spec.n_train = 0;
    CHECK_THAT(error_of([&] { gust::validate(spec); }), Contains("n_train"));
    spec = small_spec();
    spec.test_size = 0;
    CHECK_THAT(error_of([&] { gust::validate(spec); }), Contains("test size"));
    spec = small_spec();
    spec.width = 11;
    std::string path = tmp().file("never.h5");
    CHECK_THAT(error_of([&] { gust::write_shapes_dataset(path, spec); }), Contains("7x12"));
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("dataset: reading errors are input_errors naming the file") {
    namespace h5 = gust::h5;
    std::string missing = tmp().file("missing.h5");
    CHECK_THAT(error_of([&] { gust::read_split(missing, "test", 0, 1); }), Contains(missing));

    std::string text = tmp().file("text.h5");
    std::ofstream(text) << "not hdf5\n";
    CHECK_THAT(error_of([&] { gust::read_split(text, "test", 0, 1); }),
               Contains(text) && Contains("not an HDF5 file"));

    CHECK_THAT(error_of([&] { gust::read_split(reference, "nope", 0, 1); }),
               Contains(reference) && Contains("no split 'nope'") &&
                   Contains("available: test, train_multi"));
    CHECK_THAT(error_of([&] { gust::read_split(reference, "test", 190, 20); }),
               Contains(reference) && Contains("[190, 210)") && Contains("has 200 images"));
    CHECK_THAT(error_of([&] { gust::split_size(reference, "nope"); }), Contains("no split 'nope'"));

    // Hand-made broken files.
    std::string bad = tmp().file("bad.h5");
    std::vector<float> data(2 * 4 * 4, 0.0f);
    {
        h5::file f = h5::create(bad);
        h5::make_groups(f, "/no_default");
        h5::write(f, "/no_default/groups", {2, 4, 4}, data.data());
        h5::write(f, "/mismatch/default", {2, 4, 4}, data.data());
        h5::write(f, "/mismatch/groups", {2, 4, 2}, data.data());
        h5::write(f, "/flat/default", {2, 16}, data.data());
        h5::write(f, "/unlabelled/default", {2, 4, 4}, data.data());
        data[20] = std::numeric_limits<float>::quiet_NaN();
        h5::write(f, "/nan/default", {2, 4, 4}, data.data());
        data[20] = 0.0f;
        data[3] = std::numeric_limits<float>::infinity();
        h5::write(f, "/inf_label/default", {2, 4, 4}, std::vector<float>(32, 0.0f).data());
        h5::write(f, "/inf_label/groups", {2, 4, 4}, data.data());
    }
    CHECK_THAT(error_of([&] { gust::read_split(bad, "no_default", 0, 1); }),
               Contains(bad) && Contains("no 'default'"));
    CHECK_THAT(error_of([&] { gust::read_split(bad, "mismatch", 0, 1); }),
               Contains(bad) && Contains("[2, 4, 4]") && Contains("[2, 4, 2]"));
    CHECK_THAT(error_of([&] { gust::split_size(bad, "flat"); }),
               Contains(bad) && Contains("[2, 16]"));
    CHECK_THAT(error_of([&] { gust::read_split(bad, "nan", 0, 2); }),
               Contains(bad) && Contains("image 1") && Contains("non-finite"));
    CHECK_THAT(error_of([&] { gust::read_split(bad, "inf_label", 0, 2); }),
               Contains(bad) && Contains("'groups' of image 0") && Contains("non-finite"));

    // Without `groups` the images read and the labels stay empty.
    gust::image_set s = gust::read_split(bad, "unlabelled", 1, 1);
    CHECK(s.count == 1);
    CHECK(s.images.size() == 16);
    CHECK(s.labels.empty());
}
