#pragma once
// How far the reading or writing of a file has come, in bytes of its
// datasets' values. Library code reports numbers through an io_progress and
// prints nothing; the caller decides whether and how to show them (the CLI:
// one line on a terminal, apps/progress.hpp).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>

#include "io/h5.hpp"

namespace gust {

using io_progress = std::function<void(std::uint64_t done_bytes, std::uint64_t total_bytes)>;

// Counts the bytes moved through its transfer (h5::transfer::moved, slab by
// slab) towards a total known up front, reporting each step, never past the
// total; finish() reports the total itself, so the last report is
// (total, total) even when the file holds datasets nobody read.
class progress_meter {
public:
    progress_meter(io_progress report, std::uint64_t total, const h5::transfer& t)
        : report_(std::move(report)), total_(total), t_(t) {
        if (report_) t_.moved = [this](std::uint64_t bytes) { report_(done_ = std::min(total_, done_ + bytes), total_); };
    }
    // Reading f: the total is the size of all its datasets' values, walked
    // only when someone listens.
    progress_meter(io_progress report, const h5::file& f, const h5::transfer& t)
        : progress_meter(report, report ? h5::data_bytes(f) : 0, t) {}
    // Its transfer reports to it: neither copied nor moved.
    progress_meter(const progress_meter&) = delete;
    progress_meter& operator=(const progress_meter&) = delete;

    const h5::transfer& transfer() const { return t_; }
    void finish() {
        if (report_) report_(done_ = total_, total_);
    }

private:
    io_progress report_;
    std::uint64_t done_ = 0, total_ = 0;
    h5::transfer t_;
};

}  // namespace gust
