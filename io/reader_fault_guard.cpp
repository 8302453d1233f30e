#include "io/reader_fault_guard.hpp"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <thread>

#include "io/files_being_read.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GUST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GUST_SANITIZED 1
#endif
#endif

namespace gust {

// Sanitizer builds install nothing (their own handlers report faults).
#if !defined(GUST_SANITIZED)
namespace {

constexpr int exit_bad_input = 2;  // as the gust program's other refusals

constexpr int guarded[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction before[std::size(guarded)];  // the handlers the guard took over from

char prefix_line[128];  // "gust <command>: "
// A metadata step (opening a file, reading an attribute) computes for
// milliseconds; one that has computed this long never ends. One that
// waits as long, asleep in the kernel, waits for its file system.
int stalled_after_seconds = 20;

// Only what a signal handler may call: write(2) of fixed buffers.
void say(const char* s) {
    for (std::size_t n = std::strlen(s); n > 0;) {
        const ssize_t k = ::write(STDERR_FILENO, s, n);
        if (k <= 0) return;
        s += k;
        n -= static_cast<std::size_t>(k);
    }
}

void end_reading(const char* path, const char* what) {
    say(prefix_line);
    say(path);
    say(": reading it ");
    say(what);
    say(" inside the HDF5 library: the file is damaged, or is not a file gust reads\n");
    ::_exit(exit_bad_input);
}

// Not a reader's fault: the handler from before takes it, with the fault's
// own details where it asks for them (a handler that recovers from faults
// it expects, as a JIT compiler's does, needs them). The default action or
// none is restored and the signal raised again, so that the program ends
// as it would have without the guard.
void pass_on(int sig, siginfo_t* info, void* context) {
    std::size_t i = 0;
    while (guarded[i] != sig) ++i;
    const struct sigaction& old = before[i];
    if ((old.sa_flags & SA_SIGINFO) != 0) {
        if (old.sa_sigaction != nullptr) old.sa_sigaction(sig, info, context);
        return;
    }
    if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
        old.sa_handler(sig);
        return;
    }
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    ::sigaction(sig, &fallback, nullptr);
    ::raise(sig);
}

void on_fault(int sig, siginfo_t* info, void* context) {
    // A fault is delivered to the thread that faulted; another thread's
    // fault while a file is being read is not the reader's.
    const char* path = newest_file_being_read(this_thread_id());
    if (path == nullptr) {
        pass_on(sig, info, context);
        return;
    }
    end_reading(path, sig == SIGSEGV ? "faulted (SIGSEGV)" : sig == SIGBUS ? "faulted (SIGBUS)"
                      : sig == SIGFPE ? "faulted (SIGFPE)" : sig == SIGILL ? "faulted (SIGILL)" : "aborted");
}

void watch_metadata_steps() {
    std::int64_t told_of = 0;  // the step whose wait was reported
    char line[128];
    for (;;) {
        ::sleep(1);
        const metadata_step_progress step = metadata_step_under_way();
        if (step.began == 0) continue;
        const char* path = newest_file_being_read(step.thread);
        if (path == nullptr) continue;
        if (step.cpu_seconds >= stalled_after_seconds) {
            std::snprintf(line, sizeof line, "made no progress for %d s", stalled_after_seconds);
            end_reading(path, line);
        }
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        const std::int64_t waited = now.tv_sec - step.began;
        if (waited >= 3 * stalled_after_seconds && told_of != step.began) {
            told_of = step.began;
            std::snprintf(line, sizeof line, ": still waiting for the file system after %lld s\n",
                          static_cast<long long>(waited));
            say(prefix_line);
            say(path);
            say(line);
        }
    }
}

// The process the watchdog runs in: a child forked after the guard was
// installed starts its own as its first metadata step begins (from that
// step, not from a handler of fork(), after which a child may only make
// async-signal-safe calls).
std::atomic<pid_t> watched_process{0};

void ensure_watchdog(pid_t self) {
    pid_t watched = watched_process.load();
    if (watched != self && watched_process.compare_exchange_strong(watched, self))
        std::thread(watch_metadata_steps).detach();
}

}  // namespace
#endif

void guard_reader_faults(const std::string& prefix, int stall_seconds) {
#if !defined(GUST_SANITIZED)
    static bool done = false;
    if (done) return;
    done = true;
    std::snprintf(prefix_line, sizeof prefix_line, "%s", prefix.c_str());
    stalled_after_seconds = std::max(stall_seconds, 1);
    // Its own stack, so that a fault from a stack overflowed by a reader's
    // recursion can still be reported; one set up before (Python's
    // faulthandler sets one) serves as well.
    static char alternate[1 << 16];
    stack_t current{};
    if (::sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) != 0) {
        stack_t ss{};
        ss.ss_sp = alternate;
        ss.ss_size = sizeof alternate;
        ::sigaltstack(&ss, nullptr);
    }
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(guarded); ++i) ::sigaction(guarded[i], &sa, &before[i]);
    ensure_watchdog(::getpid());
    on_metadata_step(ensure_watchdog);
#else
    (void)prefix;
    (void)stall_seconds;
#endif
}

}  // namespace gust
