#pragma once
// A 5x7 pixel font (upper-case letters, digits and a little punctuation) so
// that figures can carry titles and tick labels without a font library.
// Lower-case letters are drawn as upper case; '~' is drawn as a plus-minus
// sign; unknown characters as a hollow box.
#include <array>
#include <cstdint>

namespace gust::analysis {

constexpr int glyph_width = 5, glyph_height = 7, glyph_advance = 6;

// Row r of the glyph (r = 0 top), bit 4 = leftmost column.
std::array<std::uint8_t, glyph_height> glyph(char c);

}  // namespace gust::analysis
