// How fast this machine hands a process fresh memory: on one thread, on
// two, and as one of two processes asking at once. Every large model's
// set-up writes its arrays for the first time (a billion synapses take
// 8 GB, each of two ranks half of it), and in a virtual machine that is a
// large part of it: the host backs each guest page when it is first
// written. The threads show what faulting a large array in on every thread
// (fault_in, core/huge_pages.hpp) gains; the processes bound what splitting
// a model over two ranks can gain there.
//   build/gust_bench_fresh_pages [--gib 8] [--repeats 3] [--pause 10]
// Each repeat times one process writing the first byte of every 4 KiB of
// GIB GiB, on one thread and then with fault_in on two, and two processes
// (forked) each doing the same for half of it at once, one thread each,
// taking turns at going first; the arrays are asked onto transparent huge
// pages as gust's are. Before each, the program sleeps PAUSE seconds, so
// that what the last one freed is handed back first (a guest reports free
// memory to its host a few seconds after it is freed).
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <tbb/global_control.h>

#include "bench_common.hpp"
#include "core/huge_pages.hpp"
#include "core/machine_memory.hpp"

using namespace gust;

namespace {

// Seconds to map `bytes` and write one byte per 4 KiB page of it: with
// one thread a plain loop (what a forked process may run), with more
// gust's fault_in on that many oneTBB threads.
double touch(std::size_t bytes, std::size_t threads) {
    const auto t0 = std::chrono::steady_clock::now();
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("cannot map " + std::to_string(bytes >> 20) + " MiB");
    advise_huge_pages(p, bytes);
    if (threads == 1) {
        auto* c = static_cast<volatile char*>(p);
        for (std::size_t i = 0; i < bytes; i += 4096) c[i] = 1;
    } else {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        fault_in(p, bytes);
    }
    const double s = bench::seconds_since(t0);
    munmap(p, bytes);
    return s;
}

// The wall time of two processes touching `bytes` each at once.
double touch_in_two(std::size_t bytes) {
    const auto t0 = std::chrono::steady_clock::now();
    pid_t child[2];
    for (pid_t& c : child) {
        c = fork();
        if (c < 0) throw std::runtime_error("cannot fork");
        if (c == 0) {  // no oneTBB after a fork: one thread
            touch(bytes, 1);
            _exit(0);
        }
    }
    for (pid_t c : child) {
        int status = 0;
        if (waitpid(c, &status, 0) != c || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error("a process touching its half failed");
    }
    return bench::seconds_since(t0);
}

int body(int argc, char** argv) {
    bench::require_pairs(argc, argv);
    std::size_t gib = 8, repeats = 3, pause = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i], value = argv[i + 1];
        if (name == "--gib") gib = bench::whole_number(name, value, 1);
        else if (name == "--repeats") repeats = bench::whole_number(name, value);
        else if (name == "--pause") pause = bench::whole_number(name, value, 0);
        else {
            std::fprintf(stderr, "%s: unknown option\n", name.c_str());
            return 2;
        }
    }
    const memory_limit limit = process_memory_limit();
    if (double(gib << 30) > limit.bytes)
        throw std::runtime_error("--gib " + std::to_string(gib) + ": more than " + limit.described());
    const std::size_t bytes = gib << 30;
    const double gb = double(bytes) / 1e9;
    for (std::size_t r = 0; r < repeats; ++r) {
        // Taking turns at going first, so that none always follows another's frees.
        double time[3] = {};  // one process, one thread; one process, two threads; two processes
        for (std::size_t turn = 0; turn < 3; ++turn) {
            std::this_thread::sleep_for(std::chrono::seconds(pause));
            const std::size_t what = (turn + r) % 3;
            time[what] = what == 2 ? touch_in_two(bytes / 2) : touch(bytes, what + 1);
        }
        std::printf("fresh memory, %zu GiB: one process %.3f s (%.2f GB/s); on two threads %.3f s (%.2f GB/s): "
                    "%.2fx; two processes, half each, %.3f s (%.2f GB/s): %.2fx\n",
                    gib, time[0], gb / time[0], time[1], gb / time[1], time[0] / time[1], time[2], gb / time[2],
                    time[0] / time[2]);
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::guarded(argc, argv, body); }
