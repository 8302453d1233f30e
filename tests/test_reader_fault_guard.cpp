// io/reader_fault_guard.hpp: a fault outside a read, or in another thread
// than the reader's, reaches the handler installed before; the watchdog ends a metadata step that computes without
// end (a reader looping inside HDF5) in one line naming the file, exit
// status 2, and lets one that waits asleep (a slow file system) go on,
// saying once that it waits; a process forked after the guard was installed
// has a watchdog of its own, and times its own steps whatever its parent's
// threads were in when it forked. Each case runs in a child process, the
// guard's to end. Not run in sanitizer builds, where the guard installs
// nothing (scripts/test). tests/test_reader_faults.cpp runs the gust
// program on real damaged files.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "cli_runner.hpp"
#include "io/files_being_read.hpp"
#include "io/reader_fault_guard.hpp"

using namespace gust;

namespace {

struct ended {
    int status = -1;  // the exit status, or -1 if killed by a signal
    std::string err;
    double seconds = 0;
};

// Runs `body` in a child process, its stderr kept, and how the child ended.
template <class Body>
ended in_a_child(const test::temp_dir& dir, Body body) {
    const std::string err = dir / "stderr";
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, STDERR_FILENO);
        body();
        ::_exit(0);
    }
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    ended e;
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    e.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    e.err = test::slurp(err);
    return e;
}

// Runs `step` in a child process with the guard installed (1 s of CPU time
// to a stall) while it reads the metadata of "/data/slow.h5".
template <class Step>
ended in_a_metadata_step(const test::temp_dir& dir, Step step) {
    return in_a_child(dir, [&] {
        guard_reader_faults("guard test: ", 1);
        const file_being_read reading("/data/slow.h5");
        const metadata_step in_step;
        step();
    });
}

// Computes for a minute.
void spin() {
    const auto t0 = std::chrono::steady_clock::now();
    volatile unsigned n = 0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60)) n = n + 1;
}

// A handler such as a JIT compiler installs: it expects faults on one page,
// checks the address it is given, and recovers.
char* guard_page = nullptr;
sigjmp_buf recover;
volatile sig_atomic_t recovered_at_page = 0;

void expecting_handler(int, siginfo_t* info, void*) {
    if (static_cast<char*>(info->si_addr) == guard_page) recovered_at_page = recovered_at_page + 1;
    siglongjmp(recover, 1);
}

int touch_guard_page() {
    if (sigsetjmp(recover, 1) == 0) return *static_cast<volatile char*>(guard_page);
    return -1;
}

// Maps the page and installs the handler that expects faults on it.
void expect_faults_on_a_page() {
    guard_page = static_cast<char*>(::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    struct sigaction sa {};
    sa.sa_sigaction = expecting_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGSEGV, &sa, nullptr);
}

// The child installs the guard (1 s to a stall), runs `before`, then
// forks; the grandchild's metadata step of "/data/forked.h5" computes
// without end. The child ends as the grandchild does.
template <class Before>
ended forked_spinning_step(const test::temp_dir& dir, Before before) {
    return in_a_child(dir, [&] {
        guard_reader_faults("guard test: ", 1);
        before();
        const pid_t grandchild = ::fork();
        if (grandchild == 0) {
            const file_being_read reading("/data/forked.h5");
            const metadata_step in_step;
            spin();
            ::_exit(0);
        }
        int raw = 0;
        ::waitpid(grandchild, &raw, 0);
        ::_exit(WIFEXITED(raw) ? WEXITSTATUS(raw) : 99);
    });
}

// How the guard ends a step that stalls on `path`: exit status 2 and its
// one line, well within the test's time.
void ended_as_stalled(const ended& e, const std::string& path) {
    INFO(e.err);
    CHECK(e.status == 2);
    CHECK(e.err == "guard test: " + path +
                       ": reading it made no progress for 1 s inside the HDF5 library: the file is damaged, or is "
                       "not a file gust reads\n");
    CHECK(e.seconds < 30);
}

const char* const bad_file_line =
    "guard test: /data/bad.h5: reading it faulted (SIGSEGV) inside the HDF5 library: the file is damaged, or is "
    "not a file gust reads\n";

}  // namespace

TEST_CASE("reader faults: a fault outside a read goes to the handler from before, with its address, every time",
          "[reader-faults]") {
    test::temp_dir dir;
    const ended e = in_a_child(dir, [] {
        expect_faults_on_a_page();
        guard_reader_faults("guard test: ");
        // Twice outside a read: passed on both times, with the page's address.
        if (touch_guard_page() != -1 || touch_guard_page() != -1 || recovered_at_page != 2) ::_exit(10);
        // Then inside one: the guard's line.
        const file_being_read reading("/data/bad.h5");
        touch_guard_page();
        ::_exit(11);
    });
    INFO(e.err);
    CHECK(e.status == 2);
    CHECK(e.err == bad_file_line);
}

TEST_CASE("reader faults: a fault in another thread while a file is being read goes to the handler from before",
          "[reader-faults]") {
    test::temp_dir dir;
    const ended e = in_a_child(dir, [] {
        expect_faults_on_a_page();
        guard_reader_faults("guard test: ");
        const file_being_read reading("/data/bad.h5");
        // A thread of the user's faults meanwhile: its handler recovers.
        std::thread([] {
            if (touch_guard_page() != -1 || recovered_at_page != 1) ::_exit(10);
        }).join();
        const char recovered[] = "recovered in another thread\n";
        if (::write(STDERR_FILENO, recovered, sizeof recovered - 1) < 0) ::_exit(12);
        // The reader's own thread faults: the guard's line.
        touch_guard_page();
        ::_exit(11);
    });
    INFO(e.err);
    CHECK(e.status == 2);
    CHECK(e.err == std::string("recovered in another thread\n") + bad_file_line);
}

TEST_CASE("reader faults: a process forked after the guard was installed has a watchdog of its own",
          "[reader-faults]") {
    test::temp_dir dir;
    // Python's multiprocessing forks so.
    const ended e = forked_spinning_step(dir, [] {});
    ended_as_stalled(e, "/data/forked.h5");
}

TEST_CASE("reader faults: a process forked while another thread was in a metadata step times its own steps",
          "[reader-faults]") {
    test::temp_dir dir;
    // A thread of the child waits in a metadata step (of no marked file, so
    // that its wait is not reported) as the child forks.
    const ended e = forked_spinning_step(dir, [] {
        static std::atomic<bool> in_step{false};
        std::thread([] {
            const metadata_step waiting;
            in_step = true;
            std::this_thread::sleep_for(std::chrono::seconds(60));
        }).detach();
        while (!in_step) std::this_thread::yield();
    });
    ended_as_stalled(e, "/data/forked.h5");
}

TEST_CASE("reader faults: the watchdog ends a metadata step that computes, and lets one that waits asleep go on",
          "[reader-faults]") {
    test::temp_dir dir;
    SECTION("computing for ever: one line naming the file, exit status 2") {
        ended_as_stalled(in_a_metadata_step(dir, spin), "/data/slow.h5");
    }
    SECTION("asleep for 5 s, as on a slow file system: it goes on, told once that it waits") {
        const ended e = in_a_metadata_step(dir, [] { std::this_thread::sleep_for(std::chrono::seconds(5)); });
        INFO(e.err);
        CHECK(e.status == 0);
        CHECK(e.err.rfind("guard test: /data/slow.h5: still waiting for the file system after ", 0) == 0);
        CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
    }
}
