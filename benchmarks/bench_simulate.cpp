// Simulation speed of the paper network: latency at batch 1 (ms per image
// for 30 cycles) and throughput over many images on every core.
//   build/gust_bench_simulate [--images 64] [--cycles 30] [--model M.h5]
// Prints one line per measurement; docs/benchmarks.md records the figures.
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "io/dataset_file.hpp"
#include "io/model_file.hpp"
#include "sim/dense_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Clean 3-shape test images generated in memory (no file needed).
std::vector<float> make_images(std::size_t count, std::size_t h, std::size_t w) {
    shapes_dataset_spec spec;
    spec.height = h;
    spec.width = w;
    const auto split = shapes_splits(spec)[2];  // test
    std::vector<float> px(count * h * w), lab(h * w);
    for (std::size_t i = 0; i < count; ++i) shapes_image(spec, split, i, px.data() + i * h * w, lab.data());
    return px;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t images = 64;
    int cycles = 30, repeats = 5;
    std::string model_path;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--images")) images = std::stoul(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--cycles")) cycles = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--model")) model_path = argv[i + 1];
        else if (!std::strcmp(argv[i], "--repeats")) repeats = std::stoi(argv[i + 1]);
    }
    const gust_model model = model_path.empty() ? init_model({}, 1) : read_model(model_path);
    const network net = paper_network(model);
    const std::size_t n = model.n_pixels();
    const auto px = make_images(images, model.height, model.width);
    const philox_draws draws(1);
    const double steps = static_cast<double>(cycles) * model.T;
    std::printf("model: %s (N=%zu, M=%zu, H=%zu, T=%d), %d cycles, %d hardware threads\n",
                model_path.empty() ? "fresh (seed 1)" : model_path.c_str(), n, model.n_inner(),
                model.n_hidden(), model.T, cycles, tbb::info::default_concurrency());

    // Latency: one image at a time, one thread; best and median of repeats.
    sim_options opt;
    opt.cycles = cycles;
    opt.threads = 1;
    std::vector<double> lat;
    for (int r = 0; r < repeats; ++r) {
        image_batch one{1, n, px.data() + (static_cast<std::size_t>(r) % images) * n, {static_cast<std::size_t>(r)}};
        const auto t0 = std::chrono::steady_clock::now();
        simulate_dense(net, one, draws, opt);
        lat.push_back(seconds_since(t0));
    }
    std::sort(lat.begin(), lat.end());
    std::printf("dense latency  batch 1, 1 thread : %8.2f ms/image (median of %d; best %.2f), %.0f steps/s\n",
                lat[lat.size() / 2] * 1e3, repeats, lat[0] * 1e3, steps / lat[lat.size() / 2]);

    // Throughput: all images, every core vs one core (ratio in the same run).
    image_batch all{images, n, px.data(), {}};
    double t_threads[2] = {0, 0};
    const int thread_counts[2] = {1, 0};
    for (int j = 0; j < 2; ++j) {
        opt.threads = thread_counts[j];
        const auto t0 = std::chrono::steady_clock::now();
        simulate_dense(net, all, draws, opt);
        t_threads[j] = seconds_since(t0);
    }
    for (int j = 0; j < 2; ++j)
        std::printf("dense throughput %zu images, %s: %8.4f ms per image-step, %.0f image-steps/s\n", images,
                    j == 0 ? "1 thread  " : "all cores ", t_threads[j] * 1e3 / (images * steps),
                    images * steps / t_threads[j]);
    std::printf("dense speed-up all cores / 1 thread: %.2fx\n", t_threads[0] / t_threads[1]);
}
