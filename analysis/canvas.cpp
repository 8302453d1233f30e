#include "analysis/canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "analysis/bitmap_font.hpp"

namespace gust::analysis {

canvas::canvas(int width, int height, rgb background)
    : width_(std::max(1, width)), height_(std::max(1, height)),
      pixels_(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 3) {
    for (std::size_t i = 0; i < pixels_.size(); i += 3) {
        pixels_[i] = background.r;
        pixels_[i + 1] = background.g;
        pixels_[i + 2] = background.b;
    }
}

rgb canvas::at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return {};
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(x)) * 3;
    return {pixels_[i], pixels_[i + 1], pixels_[i + 2]};
}

void canvas::set(int x, int y, rgb c) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(x)) * 3;
    pixels_[i] = c.r;
    pixels_[i + 1] = c.g;
    pixels_[i + 2] = c.b;
}

void canvas::blend(int x, int y, rgb c, double alpha) {
    const rgb old = at(x, y);
    const auto mix = [alpha](std::uint8_t a, std::uint8_t b) {
        return static_cast<std::uint8_t>(std::lround(alpha * b + (1.0 - alpha) * a));
    };
    set(x, y, {mix(old.r, c.r), mix(old.g, c.g), mix(old.b, c.b)});
}

void canvas::fill_rect(int x, int y, int w, int h, rgb c) {
    for (int yy = std::max(0, y); yy < std::min(height_, y + h); ++yy)
        for (int xx = std::max(0, x); xx < std::min(width_, x + w); ++xx) set(xx, yy, c);
}

void canvas::blend_rect(int x, int y, int w, int h, rgb c, double alpha) {
    for (int yy = std::max(0, y); yy < std::min(height_, y + h); ++yy)
        for (int xx = std::max(0, x); xx < std::min(width_, x + w); ++xx) blend(xx, yy, c, alpha);
}

void canvas::outline_rect(int x, int y, int w, int h, rgb c) {
    fill_rect(x, y, w, 1, c);
    fill_rect(x, y + h - 1, w, 1, c);
    fill_rect(x, y, 1, h, c);
    fill_rect(x + w - 1, y, 1, h, c);
}

void canvas::line(int x0, int y0, int x1, int y1, rgb c, int thickness) {
    // Bresenham; the brush is a thickness x thickness square centred on the path.
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
    const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    const int half = (thickness - 1) / 2;
    int err = dx + dy;
    for (;;) {
        fill_rect(x0 - half, y0 - half, thickness, thickness, c);
        if (x0 == x1 && y0 == y1) break;
        const int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

int canvas::text_width(const std::string& s, int scale) {
    if (s.empty()) return 0;
    return (static_cast<int>(s.size()) * glyph_advance - 1) * scale;
}

int canvas::text_height(int scale) { return glyph_height * scale; }

int canvas::text(int x, int y, const std::string& s, rgb c, int scale) {
    int pen = x;
    for (char ch : s) {
        const auto rows = glyph(ch);
        for (int r = 0; r < glyph_height; ++r)
            for (int col = 0; col < glyph_width; ++col)
                if (rows[static_cast<std::size_t>(r)] & (1u << (glyph_width - 1 - col)))
                    fill_rect(pen + col * scale, y + r * scale, scale, scale, c);
        pen += glyph_advance * scale;
    }
    return pen - x;
}

void canvas::text_up(int x, int y, const std::string& s, rgb c, int scale) {
    // Glyph pixel (col, r) of the k-th character lands at column r, row
    // (text length - 1 - position along the text): a quarter turn to the left.
    const int length = text_width(s, scale);
    int pen = 0;
    for (char ch : s) {
        const auto rows = glyph(ch);
        for (int r = 0; r < glyph_height; ++r)
            for (int col = 0; col < glyph_width; ++col)
                if (rows[static_cast<std::size_t>(r)] & (1u << (glyph_width - 1 - col)))
                    fill_rect(x + r * scale, y + length - (pen + (col + 1) * scale), scale, scale, c);
        pen += glyph_advance * scale;
    }
}

}  // namespace gust::analysis
