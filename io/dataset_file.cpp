#include "io/dataset_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <new>

#include "core/counter_rng.hpp"
#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "io/atomic_file.hpp"
#include "io/h5.hpp"

namespace gust {
namespace {

constexpr std::size_t chunk_images = 100;  // the reference file's chunk length
constexpr int gzip_level = 4;              // and its deflate level

// Raw chunks bypass HDF5's conversion, so they must already be in the file
// type's byte order (float32 little-endian).
static_assert(std::endian::native == std::endian::little,
              "raw chunk writes assume a little-endian host");

// The same zlib stream HDF5's deflate filter produces (it calls compress2).
std::vector<unsigned char> deflate(const std::vector<float>& data) {
    uLong size = static_cast<uLong>(data.size() * sizeof(float));
    uLongf packed = compressBound(size);
    std::vector<unsigned char> out(packed);
    if (compress2(out.data(), &packed, reinterpret_cast<const Bytef*>(data.data()), size,
                  gzip_level) != Z_OK)
        throw std::bad_alloc();  // compress2 fails only when out of memory here
    // A copy, not resize(): the compressBound() capacity is ~44x the packed size.
    return std::vector<unsigned char>(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(packed));
}

// Generates and compresses every chunk of a split in parallel (each image is a
// pure function of its index, so the bytes do not depend on the thread count),
// then stores the chunks serially, the only part HDF5 must do alone.
void write_split(const h5::file& f, const shapes_dataset_spec& spec, const shapes_split& split) {
    const std::size_t pixels = spec.height * spec.width;
    const std::size_t rows = std::min(chunk_images, split.images);
    const std::size_t n_chunks = (split.images + rows - 1) / rows;
    std::vector<std::vector<unsigned char>> packed_images(n_chunks), packed_labels(n_chunks);
    gust::parallel_for(std::size_t{0}, n_chunks, [&](std::size_t c) {
        // HDF5 stores an edge chunk full size; rows past the end keep the fill value 0.
        std::vector<float> images(rows * pixels, 0.0f), labels(rows * pixels, 0.0f);
        std::size_t first = c * rows, last = std::min(first + rows, split.images);
        for (std::size_t i = first; i < last; ++i)
            shapes_image(spec, split, i, &images[(i - first) * pixels],
                         &labels[(i - first) * pixels]);
        packed_images[c] = deflate(images);
        packed_labels[c] = deflate(labels);
    });
    const h5::write_options opt{{rows, spec.height, spec.width}, gzip_level, true};
    const std::vector<hsize_t> dims{split.images, spec.height, spec.width};
    auto store = [&](const char* dataset, const std::vector<std::vector<unsigned char>>& packed) {
        std::string name = "/" + split.name + "/" + dataset;
        h5::handle ds = h5::create_dataset<float>(f, name, dims, opt);
        for (std::size_t c = 0; c < n_chunks; ++c)
            h5::write_raw_chunk(f, ds, name, {c * rows, 0, 0}, packed[c].data(), packed[c].size());
    };
    store("default", packed_images);
    store("groups", packed_labels);
}

}  // namespace

void validate(const shapes_dataset_spec& spec) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok) throw input_error("shapes data set: " + what);
    };
    require(spec.n_train >= 1, "n_train must be at least 1");
    require(spec.n_test >= 1, "n_test must be at least 1");
    require(spec.train_size >= 1, "train size must be at least 1");
    require(spec.test_size >= 1, "test size must be at least 1");
    // The RNG counter holds the image index in 32 bits.
    require(spec.train_size <= 0xFFFFFFFFu && spec.test_size <= 0xFFFFFFFFu,
            "split sizes must be below 2^32");
    require(spec.height >= 7 && spec.width >= 12,
            "images must be at least 7x12 to hold every shape (got " + std::to_string(spec.height) +
                "x" + std::to_string(spec.width) + ")");
}

std::vector<shapes_split> shapes_splits(const shapes_dataset_spec& spec) {
    using shapes::shape_kind;
    return {{0, "train_multi", spec.train_size, spec.n_train, std::nullopt},
            {1, "train_single", spec.train_size, spec.n_train, std::nullopt},
            {2, "test", spec.test_size, spec.n_test, std::nullopt},
            {3, "train_single_0", spec.train_size, 1, shape_kind::square},
            {4, "train_single_1", spec.train_size, 1, shape_kind::triangle},
            {5, "train_single_2", spec.train_size, 1, shape_kind::flipped_triangle}};
}

std::vector<shapes::placement> shapes_image(const shapes_dataset_spec& spec,
                                            const shapes_split& split, std::size_t image,
                                            float* pixels, float* labels) {
    counter_sequence seq(counter_rng(spec.seed), stream_id(purpose::dataset, split.index), image);
    if (split.kind)
        return shapes::generate(*split.kind, spec.height, spec.width, seq, pixels, labels);
    return shapes::generate(split.shapes, spec.height, spec.width, seq, pixels, labels);
}

void write_shapes_dataset(const std::string& path, const shapes_dataset_spec& spec) {
    validate(spec);
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        h5::write_attr<std::uint64_t>(f, "/", "seed", spec.seed);
        h5::write_attr<std::uint64_t>(f, "/", "n_train", spec.n_train);
        h5::write_attr<std::uint64_t>(f, "/", "n_test", spec.n_test);
        h5::write_attr<std::uint64_t>(f, "/", "train_size", spec.train_size);
        h5::write_attr<std::uint64_t>(f, "/", "test_size", spec.test_size);
        h5::write_attr<std::uint64_t>(f, "/", "height", spec.height);
        h5::write_attr<std::uint64_t>(f, "/", "width", spec.width);
        h5::write_attr_string(f, "/", "gust_version", GUST_VERSION);
        for (const shapes_split& split : shapes_splits(spec)) write_split(f, spec, split);
        if (H5Fflush(f.h, H5F_SCOPE_LOCAL) < 0) throw input_error(path + ": cannot write the file");
        h5::close(f);
    }
    out.commit();
}

}  // namespace gust
