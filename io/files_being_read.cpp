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
    std::atomic<pid_t> reader{0};         // the thread that reads it
    char path[path_bytes];
};

slot table[slots];
std::atomic<std::uint64_t> next_order{1};

// The metadata steps under way: the process they run in (high 32 bits) and
// how many (low 32). A child forked while a thread of its parent was in a
// step inherits the count but not the thread, which never ends it there.
std::atomic<std::uint64_t> steps{0};
constexpr std::uint64_t one_step = 1;
constexpr std::uint64_t count_bits = 0xffff'ffff;
std::uint64_t process_bits(pid_t process) { return std::uint64_t{static_cast<std::uint32_t>(process)} << 32; }

// The step that began first of those under way: when (CLOCK_MONOTONIC
// nanoseconds, 0 while none is; each step's own, so that a reader can tell
// a step from the next), its thread, that thread's CPU clock and the
// clock's reading then.
std::atomic<std::int64_t> step_began{0};
std::atomic<pid_t> step_thread{0};
std::atomic<clockid_t> step_clock{CLOCK_THREAD_CPUTIME_ID};
std::atomic<std::int64_t> step_cpu_began{0};
std::atomic<void (*)(pid_t)> step_hook{nullptr};

std::int64_t nanoseconds(clockid_t clock) {
    timespec t{};
    if (clock_gettime(clock, &t) != 0) return -1;
    return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
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
        table[i].reader.store(this_thread_id());
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
    const pid_t self = ::getpid();
    std::uint64_t seen = steps.load(), next = 0;
    do {
        next = (seen & ~count_bits) == process_bits(self) ? seen + one_step : process_bits(self) | one_step;
    } while (!steps.compare_exchange_weak(seen, next));
    if ((next & count_bits) != 1) return;
    step_began.store(0);  // a step this process inherited is not to be timed meanwhile
    if (void (*hook)(pid_t) = step_hook.load()) hook(self);
    clockid_t clock = CLOCK_THREAD_CPUTIME_ID;
    pthread_getcpuclockid(pthread_self(), &clock);
    step_thread.store(this_thread_id());
    step_clock.store(clock);
    step_cpu_began.store(nanoseconds(clock));
    step_began.store(std::max<std::int64_t>(nanoseconds(CLOCK_MONOTONIC), 1));
}

metadata_step::~metadata_step() {
    if ((steps.fetch_sub(one_step) & count_bits) == 1) step_began.store(0);
}

pid_t this_thread_id() { return ::gettid(); }

const char* newest_file_being_read(pid_t reader) {
    const char* newest = nullptr;
    std::uint64_t order = 0;
    for (const slot& s : table) {
        const std::uint64_t t = s.taken.load(std::memory_order_acquire);
        if (t != 0 && t != UINT64_MAX && t > order && s.reader.load() == reader) {
            order = t;
            newest = s.path;
        }
    }
    return newest;
}

void on_metadata_step(void (*hook)(pid_t process)) { step_hook.store(hook); }

metadata_step_progress metadata_step_under_way() {
    const std::int64_t began = step_began.load();
    if (began == 0) return {};
    if ((steps.load() & ~count_bits) != process_bits(::getpid())) return {};  // its parent's steps
    metadata_step_progress p;
    p.thread = step_thread.load();
    const std::int64_t now = nanoseconds(step_clock.load()), then = step_cpu_began.load();
    const std::int64_t wall = nanoseconds(CLOCK_MONOTONIC) - began;
    if (step_began.load() != began) return {};  // it ended meanwhile
    p.began = std::max<std::int64_t>(began / 1'000'000'000, 1);
    // A clock that cannot be read (its thread gone) counts as computing.
    p.cpu_seconds = 1e-9 * static_cast<double>(now < 0 || then < 0 ? wall : now - then);
    return p;
}

}  // namespace gust
