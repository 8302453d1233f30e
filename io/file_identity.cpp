#include "io/file_identity.hpp"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

#include "core/error.hpp"

namespace gust {

namespace {

constexpr std::uint64_t piece = std::uint64_t{1} << 20, pieces = 64;

std::string hex32(unsigned long v) {
    char s[9];
    std::snprintf(s, sizeof s, "%08lx", v & 0xffffffffUL);
    return s;
}

}  // namespace

std::string file_identity(const std::string& path, std::uint64_t whole_up_to) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw missing_file_error(path + ": cannot open file");
    in.seekg(0, std::ios::end);
    const std::uint64_t size = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0);
    std::vector<char> buffer(piece);
    uLong crc = crc32(0, nullptr, 0);
    const auto add = [&](std::uint64_t at, std::uint64_t n) {
        in.seekg(static_cast<std::streamoff>(at));
        for (std::uint64_t done = 0; done < n;) {
            const std::uint64_t k = std::min<std::uint64_t>(piece, n - done);
            if (!in.read(buffer.data(), static_cast<std::streamsize>(k)))
                throw input_error(path + ": cannot read file");
            crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(k));
            done += k;
        }
    };
    if (size <= std::max(whole_up_to, piece * pieces)) {
        add(0, size);
        return std::to_string(size) + " bytes, crc32 " + hex32(crc);
    }
    // Piece k starts at k / (pieces - 1) of the way to the last piece: the
    // first and last MiB are among them.
    for (std::uint64_t k = 0; k < pieces; ++k) add(k * ((size - piece) / (pieces - 1)), piece);
    return std::to_string(size) + " bytes, crc32 of " + std::to_string(pieces) + " MiB sampled " + hex32(crc);
}

std::string file_location(const std::string& path) {
    std::ifstream boot("/proc/sys/kernel/random/boot_id");
    std::string boot_id;
    struct stat st {};
    if (!(boot >> boot_id) || boot_id.empty() || ::stat(path.c_str(), &st) != 0) return "";
    return boot_id + " " + std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " +
           std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace gust
