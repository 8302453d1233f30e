// The figure plumbing: canvas drawing, the bitmap font, and PNG files read
// back through libpng's own decoder.
#include <catch2/catch.hpp>

#include <png.h>

#include <cstring>

#include "analysis/bitmap_font.hpp"
#include "analysis/canvas.hpp"
#include "cli_runner.hpp"
#include "io/png_writer.hpp"
#include "core/error.hpp"

using namespace gust;
using analysis::canvas;
using analysis::rgb;

namespace {
bool same(rgb a, rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
}  // namespace

TEST_CASE("canvas: rectangles and lines clip and land on the right pixels", "[figures]") {
    canvas cv(10, 8, {0, 0, 0});
    cv.fill_rect(-3, -3, 5, 5, {255, 0, 0});  // clipped to [0, 2) x [0, 2)
    CHECK(same(cv.at(1, 1), {255, 0, 0}));
    CHECK(same(cv.at(2, 1), {0, 0, 0}));
    cv.line(0, 7, 9, 7, {0, 255, 0});
    for (int x = 0; x < 10; ++x) CHECK(same(cv.at(x, 7), {0, 255, 0}));
    cv.line(9, 0, 9, 6, {0, 0, 255});
    CHECK(same(cv.at(9, 0), {0, 0, 255}));
    CHECK(same(cv.at(9, 6), {0, 0, 255}));
    cv.blend(5, 3, {200, 100, 50}, 0.5);
    CHECK(same(cv.at(5, 3), {100, 50, 25}));
}

TEST_CASE("canvas: text ink stays inside its measured box and turned text is its transpose", "[figures]") {
    const std::string s = "AMI 0.8";
    const int w = canvas::text_width(s, 2), h = canvas::text_height(2);
    CHECK(w == (7 * 6 - 1) * 2);
    canvas flat(w + 4, h + 4, {255, 255, 255}), up(h + 4, w + 4, {255, 255, 255});
    flat.text(2, 2, s, {0, 0, 0}, 2);
    up.text_up(2, 2, s, {0, 0, 0}, 2);
    int ink = 0;
    for (int y = 0; y < flat.height(); ++y)
        for (int x = 0; x < flat.width(); ++x) {
            const bool dark = flat.at(x, y).r == 0;
            ink += dark;
            if (dark) CHECK((x >= 2 && x < 2 + w && y >= 2 && y < 2 + h));
            // A quarter turn to the left: (x, y) of the flat text lands at (y, W - 1 - x).
            CHECK(dark == (up.at(y, flat.width() - 1 - x).r == 0));
        }
    CHECK(ink > 50);
    // The digit one, as drawn in the table.
    const auto one = analysis::glyph('1');
    CHECK(one[0] == 0b00100);
    CHECK(one[6] == 0b01110);
    CHECK(analysis::glyph('a') == analysis::glyph('A'));
}

TEST_CASE("png: a canvas written as PNG decodes to the same pixels", "[figures][io]") {
    test::temp_dir dir;
    canvas cv(5, 3, {10, 20, 30});
    cv.set(4, 2, {250, 0, 128});
    cv.set(0, 1, {1, 2, 3});
    const std::string path = dir / "c.png";
    write_png_rgb(path, cv.data(), 5, 3);

    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    REQUIRE(png_image_begin_read_from_file(&img, path.c_str()));
    CHECK(img.width == 5);
    CHECK(img.height == 3);
    img.format = PNG_FORMAT_RGB;
    std::vector<std::uint8_t> px(PNG_IMAGE_SIZE(img));
    REQUIRE(png_image_finish_read(&img, nullptr, px.data(), 0, nullptr));
    CHECK(std::memcmp(px.data(), cv.data(), px.size()) == 0);

    CHECK_THROWS_AS(write_png_rgb(dir / "missing/folder/x.png", cv.data(), 5, 3), input_error);
    CHECK_THROWS_AS(write_png_rgb(dir / "empty.png", cv.data(), 0, 3), input_error);
}
