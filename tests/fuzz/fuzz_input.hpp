#pragma once
// What every fuzz target shares: the fuzzer's bytes as a file on disk (the
// readers take paths, as users give them), and the rule that a reader may
// only refuse with input_error; any other exception, a crash or a sanitizer
// report is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <fstream>
#include <string>

namespace gust::fuzz {

// Writes data to a file private to this process and returns its path. The
// file is removed when the process exits; one that dies on a finding
// leaves it, and tests/fuzz/fuzz_for.py removes it.
inline const std::string& as_file(const std::uint8_t* data, std::size_t size, const char* suffix) {
    struct input_file {
        std::string path;
        ~input_file() { std::remove(path.c_str()); }
    };
    static const input_file file{"/tmp/gust_fuzz_" + std::to_string(::getpid()) + suffix};
    std::ofstream(file.path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return file.path;
}

}  // namespace gust::fuzz
