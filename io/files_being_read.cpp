#include "io/files_being_read.hpp"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace gust {

namespace {

// A few files are open at once (a model, a data set, a checkpoint); each
// slot keeps a path, whether it is in use, and when it was taken.
constexpr int slots = 16;
constexpr std::size_t path_bytes = 1024;

struct slot {
    std::atomic<std::uint64_t> taken{0};  // 0: free; else the order it was taken in
    char path[path_bytes];
};

slot table[slots];
std::atomic<std::uint64_t> next_order{1};
std::atomic<std::int64_t> step_began{0};
std::atomic<int> steps_under_way{0};
// The thread of the step that began it, by its CPU clock, and that clock's
// reading then (nanoseconds).
std::atomic<clockid_t> step_clock{CLOCK_THREAD_CPUTIME_ID};
std::atomic<std::int64_t> step_cpu_began{0};
std::atomic<pid_t> step_process{0};
std::atomic<void (*)(pid_t)> step_hook{nullptr};

std::int64_t nanoseconds(clockid_t clock) {
    timespec t{};
    if (clock_gettime(clock, &t) != 0) return -1;
    return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

std::int64_t monotonic_seconds() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return std::max<std::int64_t>(t.tv_sec, 1);
}

}  // namespace

file_being_read::file_being_read(const std::string& path) {
    for (int i = 0; i < slots; ++i) {
        std::uint64_t free = 0;
        // Claimed with a marker no reader takes for an order, filled, then published.
        if (!table[i].taken.compare_exchange_strong(free, UINT64_MAX)) continue;
        const std::size_t n = std::min(path.size(), path_bytes - 1);
        std::memcpy(table[i].path, path.data(), n);
        table[i].path[n] = '\0';
        table[i].taken.store(next_order.fetch_add(1), std::memory_order_release);
        slot_ = i;
        return;
    }
}

file_being_read& file_being_read::operator=(file_being_read&& o) noexcept {
    if (this != &o) {
        release();
        slot_ = o.slot_;
        o.slot_ = -1;
    }
    return *this;
}

void file_being_read::release() {
    if (slot_ >= 0) table[slot_].taken.store(0, std::memory_order_release);
    slot_ = -1;
}

metadata_step::metadata_step() {
    if (steps_under_way.fetch_add(1) != 0) return;
    const pid_t self = ::getpid();
    if (void (*hook)(pid_t) = step_hook.load()) hook(self);
    step_process.store(self);
    clockid_t clock = CLOCK_THREAD_CPUTIME_ID;
    pthread_getcpuclockid(pthread_self(), &clock);
    step_clock.store(clock);
    step_cpu_began.store(nanoseconds(clock));
    step_began.store(monotonic_seconds());
}

metadata_step::~metadata_step() {
    if (steps_under_way.fetch_sub(1) == 1) step_began.store(0);
}

const char* newest_file_being_read() {
    const char* newest = nullptr;
    std::uint64_t order = 0;
    for (const slot& s : table) {
        const std::uint64_t t = s.taken.load(std::memory_order_acquire);
        if (t != 0 && t != UINT64_MAX && t > order) {
            order = t;
            newest = s.path;
        }
    }
    return newest;
}

void on_metadata_step(void (*hook)(pid_t process)) { step_hook.store(hook); }

metadata_step_progress metadata_step_under_way() {
    metadata_step_progress p;
    p.began = step_began.load();
    if (p.began == 0) return p;
    if (step_process.load() != ::getpid()) return {};  // a step of the process this one was forked from
    const std::int64_t now = nanoseconds(step_clock.load()), then = step_cpu_began.load();
    if (step_began.load() != p.began) return {};  // it ended meanwhile
    // A clock that cannot be read (its thread gone) counts as computing.
    p.cpu_seconds = now < 0 || then < 0 ? static_cast<double>(monotonic_seconds() - p.began)
                                        : 1e-9 * static_cast<double>(now - then);
    return p;
}

}  // namespace gust
