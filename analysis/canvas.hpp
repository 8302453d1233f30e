#pragma once
// A tiny RGB raster for the read-out figures: rectangles, lines, alpha
// blending and 5x7 bitmap text (bitmap_font.hpp). Coordinates are pixels, x to
// the right, y down; everything outside the canvas is clipped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gust::analysis {

struct rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

class canvas {
public:
    canvas(int width, int height, rgb background = {255, 255, 255});

    int width() const { return width_; }
    int height() const { return height_; }
    const std::uint8_t* data() const { return pixels_.data(); }  // rows of width * 3 bytes
    rgb at(int x, int y) const;

    void set(int x, int y, rgb c);
    // c over the current pixel with opacity alpha in [0, 1].
    void blend(int x, int y, rgb c, double alpha);
    void fill_rect(int x, int y, int w, int h, rgb c);
    void blend_rect(int x, int y, int w, int h, rgb c, double alpha);
    void outline_rect(int x, int y, int w, int h, rgb c);
    // A straight line of the given thickness (square brush), end points included.
    void line(int x0, int y0, int x1, int y1, rgb c, int thickness = 1);

    // Text in the 5x7 font, each font pixel drawn as scale x scale; (x, y) is
    // the top left corner. Returns the width drawn.
    int text(int x, int y, const std::string& s, rgb c, int scale = 1);
    // The same turned 90 degrees counter-clockwise (reads bottom to top), for
    // y-axis titles; (x, y) is the top left of the turned text's box.
    void text_up(int x, int y, const std::string& s, rgb c, int scale = 1);
    static int text_width(const std::string& s, int scale = 1);
    static int text_height(int scale = 1);

private:
    int width_, height_;
    std::vector<std::uint8_t> pixels_;
};

}  // namespace gust::analysis
