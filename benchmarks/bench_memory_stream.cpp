// The memory roof of a sparse step: how fast one core reads a large array
// once, summing it, front to back and in chunks at places spread through it.
// A sparse layer's rows are read the same way, a weight and an index per
// synapse: consecutive rows front to back, a step's list of rows in short
// runs (docs/benchmarks.md, "Where a step's rows lie is what they cost"),
// so their bytes per step over these rates is the least time a step can take.
//   build/gust_bench_memory_stream [--mib 1024] [--repeats 3]
// Each repeat reads the array once front to back, then the same number of
// bytes in chunks of 3, 12, 48 and 192 KiB (runs of 4, 16, 64 and 256 rows
// of 128 synapses at 6 bytes each), the chunks spread evenly through it;
// while one chunk is read the next is asked of memory, line by line, as the
// row kernel asks for its next rows. The lines give each rate and its ratio
// to front to back in the same repeat.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_common.hpp"

using namespace gust;

namespace {

// Enough independent sums that the additions keep up with the loads: eight
// would be one chain of vector additions, which at one addition per three
// cycles is slower than memory.
constexpr std::size_t sums = 64;
constexpr std::size_t line_floats = 64 / sizeof(float);

// The sum of `count` chunks of `chunk` floats (a multiple of sums), chunk k
// at k x stride, each asking for the next one's lines as it goes.
float sum_chunks(const float* a, std::size_t chunk, std::size_t stride, std::size_t count) {
    float s[sums] = {};
    for (std::size_t k = 0; k < count; ++k) {
        const float* p = a + k * stride;
        const float* next = k + 1 < count ? a + (k + 1) * stride : p;
        for (std::size_t i = 0; i < chunk; i += sums) {
            for (std::size_t l = 0; l < sums; l += line_floats) __builtin_prefetch(next + i + l);
            for (std::size_t j = 0; j < sums; ++j) s[j] += p[i + j];
        }
    }
    float total = 0;
    for (float v : s) total += v;
    return total;
}

// The sum of the first n floats, front to back (the hardware sees the stream).
float sum_front_to_back(const float* a, std::size_t n) {
    float s[sums] = {};
    for (std::size_t i = 0; i + sums <= n; i += sums)
        for (std::size_t j = 0; j < sums; ++j) s[j] += a[i + j];
    float total = 0;
    for (float v : s) total += v;
    return total;
}

int body(int argc, char** argv) {
    bench::require_pairs(argc, argv);
    std::size_t mib = 1024, repeats = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i], value = argv[i + 1];
        if (name == "--mib") mib = bench::whole_number(name, value, 64);
        else if (name == "--repeats") repeats = bench::whole_number(name, value);
        else {
            std::fprintf(stderr, "%s: unknown option\n", name.c_str());
            return 2;
        }
    }
    const std::size_t n = mib << 18;  // floats
    std::vector<float> a(n, 1.0f);
    // The chunks read a quarter of the array, so that they lie apart.
    const std::size_t chunked = n / 4;
    const std::size_t chunk_kib[] = {3, 12, 48, 192};
    double sink = 0;
    for (std::size_t r = 0; r < repeats; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        sink += sum_front_to_back(a.data(), n);
        const double whole = static_cast<double>(n) * sizeof(float) / bench::seconds_since(t0) / 1e9;
        std::printf("read %zu MiB once front to back: %.1f GB/s\n", mib, whole);
        for (std::size_t kib : chunk_kib) {
            const std::size_t chunk = kib << 8;  // floats, a multiple of sums
            const std::size_t count = chunked / chunk;
            const std::size_t stride = n / count / line_floats * line_floats;
            t0 = std::chrono::steady_clock::now();
            sink += sum_chunks(a.data(), chunk, stride, count);
            const double rate = static_cast<double>(count * chunk) * sizeof(float) / bench::seconds_since(t0) / 1e9;
            std::printf("  in chunks of %3zu KiB spread through it: %.1f GB/s, %.2fx the time front to back\n", kib,
                        rate, whole / rate);
        }
    }
    std::printf("(sum %.0f)\n", sink);
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::guarded(argc, argv, body); }
