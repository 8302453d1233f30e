#pragma once
// Writes 8-bit RGB images as PNG through libpng.
#include <cstddef>
#include <cstdint>
#include <string>

namespace gust {

// rgb: height rows of width * 3 bytes. Writes to `path` directly (callers that
// need atomic output pass an atomic_file's temporary name). Throws input_error
// naming the file when it cannot be created or libpng fails.
void write_png_rgb(const std::string& path, const std::uint8_t* rgb, std::size_t width, std::size_t height);

}  // namespace gust
