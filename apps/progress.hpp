#pragma once
// Progress of long work, one line on stderr rewritten in place, shown only
// when stderr is a terminal: logs and scripts see nothing, refusals stay one
// line.
#include <unistd.h>

#include <cstdio>
#include <string>

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

}  // namespace gust::cli
