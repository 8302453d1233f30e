#pragma once
// Which input files gust has open for reading, and since when it has been
// in a step that reads only a file's metadata, kept where a signal handler
// or a watchdog thread may look (io/reader_fault_guard.hpp). A damaged file
// can make a library reader (HDF5) fault or loop for ever; the guard that a
// front end installs turns either into one line naming the file. Readers
// only mark what they read.
//
// A file is marked by the thread that reads it: gust opens, reads and
// closes a file within one call, on one thread. A fault is a reader's only
// on that thread; one in another thread meanwhile (a Python thread of the
// user's) is not the file's.
#include <sys/types.h>

#include <cstdint>
#include <string>

namespace gust {

// While one lives, `path` is a file being read by the thread that made it.
// Movable, so that it can travel with the open file it describes.
class file_being_read {
public:
    file_being_read() = default;
    explicit file_being_read(const std::string& path);
    file_being_read(file_being_read&& o) noexcept : slot_(o.slot_) { o.slot_ = -1; }
    file_being_read& operator=(file_being_read&& o) noexcept;
    file_being_read(const file_being_read&) = delete;
    file_being_read& operator=(const file_being_read&) = delete;
    ~file_being_read() { release(); }

private:
    void release();
    int slot_ = -1;  // -1: none (not marked, or more files open than there are slots)
};

// While one lives, this thread is in a step that reads only metadata (an
// attribute, a file's opening), which a whole file takes no time for.
class metadata_step {
public:
    metadata_step();
    metadata_step(const metadata_step&) = delete;
    metadata_step& operator=(const metadata_step&) = delete;
    ~metadata_step();
};

// The calling thread's id (gettid), as the functions below take it;
// async-signal-safe.
pid_t this_thread_id();

// The file opened last of those that thread `reader` is still reading, or
// null: for a signal handler (reads only atomics and a fixed buffer).
const char* newest_file_being_read(pid_t reader);
// The metadata step under way in this process: the second on
// CLOCK_MONOTONIC at which it began (0 when none is; steps that a forked
// child inherits are not its own, and do not keep its own from being
// timed), the thread it runs on, and the CPU seconds that thread has used
// since, which tell a reader that loops (it computes) from one that waits
// for a slow file system (it sleeps in the kernel).
struct metadata_step_progress {
    std::int64_t began = 0;
    pid_t thread = 0;
    double cpu_seconds = 0;
};
metadata_step_progress metadata_step_under_way();

// Has `hook` called with the process's id as each metadata step begins
// (none under way before), on the thread that begins it: the guard
// (io/reader_fault_guard.hpp) checks there that its watchdog runs in this
// process, which a process forked from the one that started it lacks.
void on_metadata_step(void (*hook)(pid_t process));

}  // namespace gust
