#pragma once
// Which build of gust this process runs, so that the ranks of one job can
// check they run the same program: they exchange values in its native byte
// form (core/byte_stream.hpp) and must compute each step the same way. An
// MPI machine file naming machines that hold another build (a stale copy
// where the file system is not shared) would otherwise exchange garbage or
// wait forever.
#include <string>

namespace gust::cli {

// gust's version and the program file's GNU build ID (the linker's hash of
// its contents), in hex; the version alone where the program carries none.
std::string build_identity();

}  // namespace gust::cli
