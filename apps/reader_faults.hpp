#pragma once
// A damaged input file can make a library reader fault (HDF5 1.10 reads
// past its buffers on some crafted files) or loop for ever (on some damaged
// global heaps): docs/reliability.md, "Fuzzing". While gust is reading a
// file (io/files_being_read.hpp), either ends the program with one line
// naming the file and exit status 2, as any other bad input does, instead
// of a crash or a hang. Outside a read a fault is left as it is (a bug to
// be seen), and sanitizer builds keep their own handlers.
#include <string>

namespace gust::cli {

// Installs the fault handlers and starts the watchdog thread, once; lines
// begin with "gust <command>: ".
void guard_reader_faults(const std::string& command);

}  // namespace gust::cli
