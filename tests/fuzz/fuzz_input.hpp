#pragma once
// What every fuzz target shares: the fuzzer's bytes as a file on disk (the
// readers take paths, as users give them), and the rule that a reader may
// only refuse with input_error; any other exception, a crash or a sanitizer
// report is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

namespace gust::fuzz {

// Writes data to a file private to this process and returns its path.
inline const std::string& as_file(const std::uint8_t* data, std::size_t size, const char* suffix) {
    static const std::string path = "/tmp/gust_fuzz_" + std::to_string(::getpid()) + suffix;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                  static_cast<std::streamsize>(size));
    return path;
}

}  // namespace gust::fuzz
