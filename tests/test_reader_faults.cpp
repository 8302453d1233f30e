// io/reader_fault_guard.hpp: a damaged input that makes HDF5 fault or loop for
// ever ends gust in one line naming the file, exit status 2, no output.
// HDF5 1.10 reads a spike report's variable-length strings from a global
// heap; a heap whose declared size is cut below its header faults, and one
// declared larger than it is reads the bytes after it as empty objects of
// size 0 without end. Not run in sanitizer builds, which keep their own
// fault handlers (scripts/test).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli_runner.hpp"

using namespace gust::test;

namespace {

// `from`'s bytes with the size of its global heap collection ("GCOL",
// version, 3 reserved bytes, then an 8-byte size) set to `size`.
void with_heap_size(const std::string& from, const std::string& to, std::uint64_t size) {
    std::ifstream in(from, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const std::size_t at = bytes.find("GCOL");
    REQUIRE(at != std::string::npos);
    std::memcpy(bytes.data() + at + 8, &size, sizeof size);  // little-endian, as the file
    std::ofstream(to, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("reader faults: a spike report whose global heap is damaged ends gust analyze in one line naming it",
          "[reader-faults][hostile][bad-input]") {
    data_and_model f("--train-size 2 --test-size 2");
    const std::string spikes = f.dir / "spikes.h5";
    REQUIRE(run_gust("run --model " + f.model + " --data " + f.data + " --images 0:2 --cycles 2 --out " + spikes, f.dir)
                .status == 0);
    // Sizes cut into the heap's header and objects, and one past its 4 KiB:
    // HDF5 reads some of them as they are, refuses some, faults on some and
    // loops on one; gust either reads the report or refuses it in one line.
    bool faulted = false, stalled = false;
    for (const std::uint64_t size : {0, 8, 16, 24, 32, 40, 48, 56, 64, 8192}) {
        INFO("heap size " << size);
        const std::string bad = f.dir / ("bad_" + std::to_string(size) + ".h5"),
                          out = f.dir / ("out_" + std::to_string(size));
        with_heap_size(spikes, bad, size);
        const auto t0 = std::chrono::steady_clock::now();
        const cli_result r = run_gust("analyze --spikes " + bad + " --out-dir " + out, f.dir);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        INFO(r.err);
        CHECK(secs < 40);  // a stalled read ends 20 s after it began
        if (r.status == 0) continue;
        CHECK(refused_in_one_line(r, bad + ": "));
        CHECK_FALSE(std::filesystem::exists(out));
        faulted = faulted || r.err.find("reading it faulted (SIGSEGV) inside the HDF5 library") != std::string::npos;
        stalled = stalled || r.err.find("reading it made no progress for 20 s inside the HDF5 library") != std::string::npos;
    }
    // What HDF5 1.10.8 (Debian 12) does with these heaps.
    CHECK(faulted);
    CHECK(stalled);
}
