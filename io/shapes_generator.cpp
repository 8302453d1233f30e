#include "io/shapes_generator.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gust::shapes {
namespace {

using mask = std::array<std::string_view, 7>;

constexpr mask square_mask = {"1111111", "1111111", "1100011", "1100011",
                              "1100011", "1111111", "1111111"};
constexpr mask triangle_mask = {"000001100000", "000011110000", "000111111000", "001110011100",
                                "011100001110", "111111111111", "111111111111"};

const char* kind_name(shape_kind kind) {
    switch (kind) {
        case shape_kind::square: return "square";
        case shape_kind::triangle: return "triangle";
        case shape_kind::flipped_triangle: return "flipped triangle";
    }
    return "?";
}

// Row r of the shape's bounding box; the flipped triangle is read bottom-up.
std::string_view mask_row(shape_kind kind, std::size_t r) {
    switch (kind) {
        case shape_kind::square: return square_mask[r];
        case shape_kind::triangle: return triangle_mask[r];
        case shape_kind::flipped_triangle: return triangle_mask[triangle_mask.size() - 1 - r];
    }
    return {};
}

placement place(shape_kind kind, std::size_t height, std::size_t width, counter_sequence& seq) {
    std::size_t h = shape_height(kind), w = shape_width(kind);
    if (h > height || w > width)
        throw input_error("shapes: a " + std::to_string(height) + "x" + std::to_string(width) +
                          " frame cannot hold a " + std::to_string(h) + "x" + std::to_string(w) +
                          " " + kind_name(kind));
    std::size_t row = seq.below(static_cast<std::uint32_t>(height - h + 1));
    std::size_t col = seq.below(static_cast<std::uint32_t>(width - w + 1));
    return {kind, row, col};
}

// A pixel first covered by shape i takes label i+1; covering it again marks an
// overlap, which keeps label 0 however many more shapes cover it.
void render(const std::vector<placement>& shapes, std::size_t width, std::size_t pixels,
            float* image, float* labels) {
    std::fill(image, image + pixels, 0.0f);
    std::fill(labels, labels + pixels, 0.0f);
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        const placement& p = shapes[i];
        for (std::size_t r = 0; r < shape_height(p.kind); ++r) {
            std::string_view row = mask_row(p.kind, r);
            for (std::size_t c = 0; c < row.size(); ++c) {
                if (row[c] != '1') continue;
                std::size_t px = (p.row + r) * width + p.col + c;
                labels[px] = image[px] == 0.0f ? static_cast<float>(i + 1) : 0.0f;
                image[px] = 1.0f;
            }
        }
    }
}

}  // namespace

std::size_t shape_height(shape_kind) { return 7; }

std::size_t shape_width(shape_kind kind) { return kind == shape_kind::square ? 7 : 12; }

bool shape_covers(shape_kind kind, std::size_t r, std::size_t c) {
    return r < shape_height(kind) && c < shape_width(kind) && mask_row(kind, r)[c] == '1';
}

std::vector<placement> generate(std::size_t n, std::size_t height, std::size_t width,
                                counter_sequence& seq, float* image, float* labels) {
    std::vector<placement> shapes;
    shapes.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        shapes.push_back(place(static_cast<shape_kind>(seq.below(n_kinds)), height, width, seq));
    render(shapes, width, height * width, image, labels);
    return shapes;
}

std::vector<placement> generate(shape_kind kind, std::size_t height, std::size_t width,
                                counter_sequence& seq, float* image, float* labels) {
    std::vector<placement> shapes{place(kind, height, width, seq)};
    render(shapes, width, height * width, image, labels);
    return shapes;
}

}  // namespace gust::shapes
