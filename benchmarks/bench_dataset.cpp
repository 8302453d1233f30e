// Times write_shapes_dataset for the full default file (5 x 20000 + 10000
// images of 28x28): the target is under 10 s on 2 cores.
// Usage: gust_bench_dataset OUT.h5 [seed]
#include <chrono>
#include <cstdio>
#include <string>

#include "bench_common.hpp"
#include "io/dataset_file.hpp"

namespace {

int run_benchmark(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUT.h5 [seed]\n", argv[0]);
        return 2;
    }
    gust::shapes_dataset_spec spec;
    if (argc > 2) spec.seed = gust::bench::whole_number("seed", argv[2], 0);
    auto t0 = std::chrono::steady_clock::now();
    gust::write_shapes_dataset(argv[1], spec);
    std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
    std::printf("wrote %s (3/3 shapes, 5x%zu + %zu images) in %.2f s\n", argv[1], spec.train_size,
                spec.test_size, s.count());
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return gust::bench::guarded(argc, argv, run_benchmark); }
