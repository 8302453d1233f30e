#pragma once
// Shapes data-set files (docs/formats.md "Shape data sets"): writing them in the reference
// generator's layout, and reading any file in that layout, ours or theirs.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/shapes_generator.hpp"

namespace gust {

struct shapes_dataset_spec {
    std::size_t n_train = 3;         // shapes per image in train_multi and train_single
    std::size_t n_test = 3;          // shapes per image in test
    std::size_t train_size = 20000;  // images in each of the five train_* splits
    std::size_t test_size = 10000;   // images in test
    std::size_t height = 28, width = 28;
    std::uint64_t seed = 0;
};

// Throws input_error naming the bad field when the spec cannot be generated
// (no images, no shapes, or a frame too small for the 7x12 triangles).
void validate(const shapes_dataset_spec& spec);

// One split of a file. `index` is the split's position in file order and
// selects its random stream, stream_id(purpose::dataset, index); `kind` is set
// for the single-shape splits.
struct shapes_split {
    std::uint32_t index;
    std::string name;
    std::size_t images;
    std::size_t shapes;
    std::optional<shapes::shape_kind> kind;
};
// train_multi, train_single, test, train_single_0, _1, _2.
std::vector<shapes_split> shapes_splits(const shapes_dataset_spec& spec);

// Image `image` of `split`: a pure function of (seed, split.index, image).
// Fills height*width floats of pixels and of labels; returns the placements.
std::vector<shapes::placement> shapes_image(const shapes_dataset_spec& spec,
                                            const shapes_split& split, std::size_t image,
                                            float* pixels, float* labels);

// Writes every split (datasets `default` and `groups`, float32 [n, h, w],
// chunks (min(100, n), h, w), gzip 4) plus root attributes seed, n_train,
// n_test, train_size, test_size, height, width and gust_version. Generation
// and compression run in parallel; the content depends on the spec only.
// The file appears under `path` only once complete.
void write_shapes_dataset(const std::string& path, const shapes_dataset_spec& spec);

// Images [first, first+count) of one split, row-major [count, height, width].
struct image_set {
    std::size_t count = 0, height = 0, width = 0;
    std::vector<float> images;
    std::vector<float> labels;         // same layout; empty when the split has no `groups`
    std::vector<std::size_t> indices;  // each image's index within the split
};

// Root groups of a data-set file, i.e. the split names on offer.
std::vector<std::string> split_names(const std::string& path);
// Number of images in a split (validates the split's layout like read_split).
std::size_t split_size(const std::string& path, const std::string& split);
// Reads a range of a split. A split without a `groups` dataset reads as images
// without labels (labels empty), so unlabelled image files can be used too.
// Throws input_error naming the file when the file, the split or `default` is
// missing, when the datasets are not 3-D or differ in shape, when the range
// exceeds the split, or when a value is not finite.
image_set read_split(const std::string& path, const std::string& split, std::size_t first,
                     std::size_t count);

}  // namespace gust
