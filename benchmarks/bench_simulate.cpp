// Simulation speed of the paper network: latency at batch 1 (ms per image
// for 30 cycles) and throughput over many images on every core.
//   build/gust_bench_simulate [--images 64] [--cycles 30] [--repeats 5] [--model M.h5 | FILE:/group]
// Prints one line per measurement; docs/benchmarks.md records the figures.
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench_common.hpp"
#include "io/dataset_file.hpp"
#include "io/model_file.hpp"
#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {


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

int run_benchmark(int argc, char** argv) {
    bench::run_options o{64, 30, 5, ""};
    o.parse(argc, argv);
    const std::size_t images = o.images;
    const int cycles = o.cycles, repeats = o.repeats;
    const std::string model_path = o.model;
    const gust_model model = bench::load_model(model_path);
    const network net = paper_network(model);
    const std::size_t n = model.n_pixels();
    const auto px = make_images(images, model.height, model.width);
    const philox_draws draws(1);
    const double steps = static_cast<double>(cycles) * model.T;
    std::printf("model: %s (N=%zu, M=%zu, H=%zu, T=%d), %d cycles, %d hardware threads\n",
                model_path.empty() ? "fresh (seed 1)" : model_path.c_str(), n, model.n_inner(),
                model.n_hidden(), model.T, cycles, tbb::info::default_concurrency());

    // Each backend is prepared once (as `gust run` does for all its images);
    // latency is then the time to simulate one image with the prepared model.
    auto t_prep = std::chrono::steady_clock::now();
    const dense_engine dense(net);
    const double prep_dense = bench::seconds_since(t_prep);
    t_prep = std::chrono::steady_clock::now();
    const event_engine event(net);
    const double prep_event = bench::seconds_since(t_prep);
    std::printf("set-up (once per model): dense %.1f ms, event %.1f ms\n", prep_dense * 1e3, prep_event * 1e3);
    auto run = [&](int bi, const image_batch& b, const sim_options& o) {
        return bi == 0 ? dense.run(b, draws, o) : event.run(b, draws, o);
    };
    const char* names[2] = {"dense", "event"};

    // Latency: one image at a time, one thread; median over repeats. The two
    // backends alternate, so that load from other processes hits both alike.
    double latency[2] = {0, 0};
    std::vector<double> lat[2];
    for (int r = 0; r < repeats; ++r) {
        const std::size_t i = static_cast<std::size_t>(r) % images;
        for (int bi = 0; bi < 2; ++bi) {
            sim_options opt;
            opt.cycles = cycles;
            opt.threads = 1;
            image_batch one{1, n, px.data() + i * n, {i}};
            const auto t0 = std::chrono::steady_clock::now();
            run(bi, one, opt);
            lat[bi].push_back(bench::seconds_since(t0));
        }
    }
    for (int bi = 0; bi < 2; ++bi) {
        std::sort(lat[bi].begin(), lat[bi].end());
        latency[bi] = lat[bi][lat[bi].size() / 2];
        std::printf("%s latency  batch 1, 1 thread : %8.3f ms/image (median of %d), %.0f steps/s\n", names[bi],
                    latency[bi] * 1e3, repeats, steps / latency[bi]);
    }
    std::printf("event speed-up over dense at batch 1: %.2fx\n", latency[0] / latency[1]);
    {
        sim_options opt;
        opt.cycles = cycles;
        event_stats st;
        event.run(image_batch{images, n, px.data(), {}}, draws, opt, {}, &st);
        std::printf("event work per image-step: %.1f spikes, %.1f events, %.2f dense layer updates, %.2f layers at rest, "
                    "%.1f context rows (of %zu)\n", double(st.spikes) / st.steps, double(st.events) / st.steps,
                    double(st.dense_layer_updates) / st.steps, double(st.rest_layer_steps) / st.steps,
                    double(st.context_rows) / st.steps, n);
    }

    // Throughput: all images, one thread vs every core (ratios in the same run).
    image_batch all{images, n, px.data(), {}};
    for (int bi = 0; bi < 2; ++bi) {
        double t[2] = {0, 0};
        const int thread_counts[2] = {1, 0};
        for (int j = 0; j < 2; ++j) {
            sim_options opt;
            opt.cycles = cycles;
            opt.threads = thread_counts[j];
            const auto t0 = std::chrono::steady_clock::now();
            run(bi, all, opt);
            t[j] = bench::seconds_since(t0);
        }
        for (int j = 0; j < 2; ++j)
            std::printf("%s throughput %zu images, %s: %8.4f ms per image-step, %.0f image-steps/s\n", names[bi],
                        images, j == 0 ? "1 thread  " : "all cores ", t[j] * 1e3 / (images * steps), images * steps / t[j]);
        std::printf("%s speed-up all cores / 1 thread: %.2fx\n", names[bi], t[0] / t[1]);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return gust::bench::guarded(argc, argv, run_benchmark); }
