#include "io/png_writer.hpp"

#include <png.h>

#include <csetjmp>
#include <cstdio>

#include "core/error.hpp"

namespace gust {
namespace {

// libpng's own handlers print to stderr; ours only jump back (the caller
// reports the failure once, naming the file) or stay silent.
[[noreturn]] void on_png_error(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void on_png_warning(png_structp, png_const_charp) {}

// libpng reports errors by longjmp to the setjmp in this function, so it holds
// only trivially destructible locals: nothing is skipped by the jump.
bool encode(std::FILE* fp, const std::uint8_t* rgb, std::size_t width, std::size_t height) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, on_png_error, on_png_warning);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (std::size_t y = 0; y < height; ++y)
        png_write_row(png, const_cast<png_bytep>(rgb + y * width * 3));  // libpng does not write through it
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

}  // namespace

void write_png_rgb(const std::string& path, const std::uint8_t* rgb, std::size_t width, std::size_t height) {
    if (width == 0 || height == 0 || width > 0x7fffffff || height > 0x7fffffff)
        throw input_error(path + ": cannot write a " + std::to_string(width) + " x " + std::to_string(height) +
                          " PNG");
    std::FILE* fp = std::fopen(path.c_str(), "wb");
    if (!fp) throw input_error(path + ": cannot create file");
    const bool ok = encode(fp, rgb, width, height);
    const bool closed = std::fclose(fp) == 0;
    if (!ok || !closed) throw input_error(path + ": cannot write the PNG (is the disk full?)");
}

}  // namespace gust
