// The memory roof of a sparse step: how fast one core reads a large array
// once, front to back, summing it (eight independent sums, so that the
// additions keep up with the loads). A sparse layer's rows are read the
// same way, a weight and an index per synapse, so their bytes per step
// over this rate is the least time a step can take.
//   build/gust_bench_memory_stream [--mib 1024] [--repeats 3]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_common.hpp"

using namespace gust;

namespace {

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
    for (std::size_t r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        float s[8] = {};
        for (std::size_t i = 0; i + 8 <= n; i += 8)
            for (std::size_t j = 0; j < 8; ++j) s[j] += a[i + j];
        const double secs = bench::seconds_since(t0);
        float total = 0;
        for (float v : s) total += v;
        std::printf("read %zu MiB once in %.3f s: %.1f GB/s (sum %.0f)\n", mib, secs,
                    static_cast<double>(n) * sizeof(float) / secs / 1e9, static_cast<double>(total));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::guarded(argc, argv, body); }
