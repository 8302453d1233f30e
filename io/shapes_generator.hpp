#pragma once
// The three shapes of the GUST shapes data set and the drawing of one image
// (docs/model.md, "The shapes data set"). Every function is pure in its
// counter_sequence, so an image depends only on the sequence's key and
// counter: images can be generated in any order, on any number of threads.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/counter_rng.hpp"

namespace gust::shapes {

// The numbering is the reference's: train_single_<k> holds shapes of kind k.
enum class shape_kind : std::uint32_t { square = 0, triangle = 1, flipped_triangle = 2 };
inline constexpr std::uint32_t n_kinds = 3;

std::size_t shape_height(shape_kind kind);
std::size_t shape_width(shape_kind kind);
// Whether the shape covers pixel (r, c) of its own bounding box.
bool shape_covers(shape_kind kind, std::size_t r, std::size_t c);

// A shape whose bounding box has its top-left corner at (row, col).
struct placement {
    shape_kind kind;
    std::size_t row, col;
};

// Draws n shapes, each of a uniformly chosen kind, at uniformly random
// positions fully inside a height x width frame, and renders them into image
// and labels (height*width floats each, row-major, overwritten): pixel 1 where
// any shape covers; label i+1 where only placement i covers, 0 on background
// and where two or more shapes overlap. Per shape the draws are kind, row,
// column. Returns the placements in label order. Throws input_error when a
// shape does not fit the frame.
std::vector<placement> generate(std::size_t n, std::size_t height, std::size_t width,
                                counter_sequence& seq, float* image, float* labels);
// One shape of the given kind (label 1); draws only its row and column.
std::vector<placement> generate(shape_kind kind, std::size_t height, std::size_t width,
                                counter_sequence& seq, float* image, float* labels);

}  // namespace gust::shapes
