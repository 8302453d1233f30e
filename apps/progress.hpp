#pragma once
// Progress of long work, one line on stderr rewritten in place, shown only
// when stderr is a terminal: logs and scripts see nothing, refusals stay one
// line.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "io/progress.hpp"

namespace gust::cli {

class progress {
public:
    progress(std::string task, std::size_t total) : task_(std::move(task)), total_(total), shown_(isatty(2) != 0) {}
    // Says that work on `item` (the done+1-th of total) starts now.
    void start(const std::string& item) {
        if (!shown_) return;
        std::fprintf(stderr, "\r\033[K%s: %zu/%zu %s", task_.c_str(), ++started_, total_, item.c_str());
        std::fflush(stderr);
    }
    ~progress() {
        if (shown_ && started_ > 0) std::fprintf(stderr, "\r\033[K");
    }

private:
    std::string task_;
    std::size_t total_ = 0, started_ = 0;
    bool shown_ = false;
};

// A file's bytes moved so far, "reading model.h5: 3.1 of 8.2 GB (38%)",
// fed by an io_progress (io/progress.hpp). The line is written only when its
// text changes, and cleared when the total is reached or on leaving early.
class byte_progress {
public:
    explicit byte_progress(std::string task) : task_(std::move(task)), shown_(isatty(2) != 0) {}
    byte_progress(const byte_progress&) = delete;
    byte_progress& operator=(const byte_progress&) = delete;
    // What the io functions take; it reports to this line, which must outlive it.
    io_progress callback() {
        return [this](std::uint64_t done, std::uint64_t total) { (*this)(done, total); };
    }
    void operator()(std::uint64_t done, std::uint64_t total) {
        if (!shown_) return;
        if (done >= total) return clear();
        // GB above a gigabyte, else MB, so that small files do not read "0.0 of 0.1 GB".
        const bool gb = total >= 1000000000;
        const double unit = gb ? 1e9 : 1e6;
        char text[64];
        std::snprintf(text, sizeof text, gb ? "%.1f of %.1f GB (%d%%)" : "%.0f of %.0f MB (%d%%)", double(done) / unit,
                      double(total) / unit, static_cast<int>(100.0 * double(done) / double(total)));
        if (text == last_) return;
        last_ = text;
        std::fprintf(stderr, "\r\033[K%s: %s", task_.c_str(), text);
        std::fflush(stderr);
    }
    ~byte_progress() { clear(); }

private:
    void clear() {
        if (last_.empty()) return;
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        last_.clear();
    }
    std::string task_, last_;
    bool shown_ = false;
};

}  // namespace gust::cli
