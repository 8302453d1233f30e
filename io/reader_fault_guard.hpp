#pragma once
// A damaged input file can make a library reader fault (HDF5 1.10 reads
// past its buffers on some crafted files) or loop for ever (on some damaged
// global heaps): docs/reliability.md, "Fuzzing". While gust is reading a
// file (io/files_being_read.hpp), the guard turns either into one line
// naming the file and exit status 2, as any other bad input ends, instead
// of a crash or a hang: nothing can go on safely inside a library that has
// faulted. A fault while no file is being read, or on another thread than
// the reader's, goes to the handler that was there before (the default's
// crash, Python's faulthandler, MPI's), and sanitizer builds keep their
// own handlers.
//
// The library itself never calls it: a front end does, once (the gust
// program, the Python module).
#include <string>

namespace gust {

// Installs the fault handlers and starts the watchdog thread, on the first
// call only; the lines begin with `prefix` ("gust analyze: "). A metadata
// step (a file's opening, an attribute) that has computed for
// `stall_seconds` of CPU time is a reader looping for ever; one that has
// waited three times as long, asleep, is reported once as waiting for the
// file system, and goes on.
void guard_reader_faults(const std::string& prefix, int stall_seconds = 20);

}  // namespace gust
