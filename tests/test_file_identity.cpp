// io/file_identity.hpp: a file's size and checksum, over all its bytes or,
// beyond the size given, over 64 pieces of 1 MiB spread through it.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.hpp"
#include "core/error.hpp"
#include "io/file_identity.hpp"

using namespace gust;
using gust::test::temp_dir;

namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("file identity: size and CRC-32 of every byte, equal for copies, unequal after one byte changes",
          "[file-identity]") {
    temp_dir dir;
    std::string bytes(300000, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 2654435761u >> 24);
    write_bytes(dir / "a", bytes);
    write_bytes(dir / "b", bytes);
    const unsigned long crc = crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(bytes.data()),
                                    static_cast<uInt>(bytes.size()));
    char expect[64];
    std::snprintf(expect, sizeof expect, "300000 bytes, crc32 %08lx", crc);
    CHECK(file_identity(dir / "a") == expect);
    CHECK(file_identity(dir / "b") == file_identity(dir / "a"));
    bytes[123456] = static_cast<char>(bytes[123456] ^ 1);
    write_bytes(dir / "b", bytes);
    CHECK(file_identity(dir / "b") != file_identity(dir / "a"));
    write_bytes(dir / "b", bytes.substr(0, 299999));  // cut short
    CHECK(file_identity(dir / "b").rfind("299999 bytes, crc32 ", 0) == 0);
    write_bytes(dir / "e", "");
    CHECK(file_identity(dir / "e") == "0 bytes, crc32 00000000");
    CHECK_THROWS_AS(file_identity(dir / "missing"), missing_file_error);
}

TEST_CASE("file identity: beyond the size given, 64 pieces of 1 MiB are checksummed, the first and the last among them",
          "[file-identity]") {
    temp_dir dir;
    const std::size_t mib = std::size_t{1} << 20, size = 65 * mib;
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; i += 4096) bytes[i] = static_cast<char>(i >> 12);
    write_bytes(dir / "a", bytes);
    const std::string whole = file_identity(dir / "a"), sampled = file_identity(dir / "a", 0);
    CHECK(whole.find("crc32 of") == std::string::npos);
    CHECK(sampled.rfind(std::to_string(size) + " bytes, crc32 of 64 MiB sampled ", 0) == 0);
    // Pieces start every (65 - 1) / 63 MiB: a byte in the first or the
    // last MiB changes the identity; one in the gap after the first piece
    // does not.
    for (const std::size_t at : {std::size_t{10}, size - 10}) {
        std::string changed = bytes;
        changed[at] = static_cast<char>(changed[at] ^ 1);
        write_bytes(dir / "b", changed);
        CHECK(file_identity(dir / "b", 0) != sampled);
    }
    std::string gap = bytes;
    gap[mib + 100] = static_cast<char>(gap[mib + 100] ^ 1);
    write_bytes(dir / "b", gap);
    CHECK(file_identity(dir / "b", 0) == sampled);
    CHECK(file_identity(dir / "b") != whole);  // all bytes, below the default 1 GiB
}

TEST_CASE("file identity: a file's location is the same through another name of it, and differs for a copy or after "
          "a write",
          "[file-identity]") {
    temp_dir dir;
    write_bytes(dir / "a", "some bytes");
    write_bytes(dir / "copy", "some bytes");
    std::filesystem::create_hard_link(dir / "a", dir / "link");
    const std::string a = file_location(dir / "a");
    REQUIRE_FALSE(a.empty());
    CHECK(file_location(dir / "a") == a);
    CHECK(file_location(dir / "link") == a);            // the same file: nothing to compare
    CHECK(file_location(dir / "copy") != a);            // the same bytes, another file: compared by checksum
    CHECK(file_identity(dir / "copy") == file_identity(dir / "a"));
    write_bytes(dir / "a", "other bytes");
    CHECK(file_location(dir / "a") != a);               // its size and modification time
    CHECK(file_location(dir / "missing").empty());
}
