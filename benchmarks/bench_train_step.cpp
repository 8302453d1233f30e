// Training speed: forward + backward (event-based surrogate BPTT) of a batch
// of corrupted 3-shape images at the paper's settings, for 1 and 2 threads,
// with the projected seconds per epoch of 18000 training images.
//   build/gust_bench_train_step [--images 64] [--cycles 8] [--repeats 3] [--model M.h5 | FILE:/group]
// The trained weights of the golden trace spike like a trained network:
//   build/gust_bench_train_step --model tests/fixtures/golden/reference_trace_trained_B2_IT8.h5:/weights
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench_common.hpp"
#include "io/dataset_file.hpp"
#include "io/model_file.hpp"
#include "learning/batch_gradient.hpp"
#include "learning/corruption.hpp"
#include "learning/training_draws.hpp"

using namespace gust;
using namespace gust::learning;

namespace {

int run_benchmark(int argc, char** argv) {
    bench::run_options o{64, 8, 3, ""};
    o.parse(argc, argv);
    const std::size_t images = o.images;
    const int cycles = o.cycles, repeats = o.repeats;
    const std::string model_path = o.model;
    const gust_model model = bench::load_model(model_path);

    // 3-shape training images generated in memory, corrupted as in training.
    shapes_dataset_spec spec;
    const auto split = shapes_splits(spec)[0];  // train_multi
    const std::size_t n = spec.height * spec.width;
    std::vector<float> clean(images * n), input(images * n), labels(n);
    std::vector<std::size_t> ids(images);
    const counter_rng rng(7);
    for (std::size_t i = 0; i < images; ++i) {
        shapes_image(spec, split, i, clean.data() + i * n, labels.data());
        corrupt_image(rng, training_pass(0), i, clean.data() + i * n, input.data() + i * n, n,
                      default_keep_probability);
        ids[i] = i;
    }
    const image_inputs in{images, n, input.data(), clean.data(), ids.data()};
    const training_draws draws(7, training_pass(0));
    bptt_options opt;
    opt.cycles = cycles;

    std::printf("train step: %zu images x %d cycles, forward + backward, model %s\n", images, cycles,
                model_path.empty() ? "fresh (init seed 1)" : model_path.c_str());
    for (int threads : {1, 2}) {
        double best = 1e300;
        std::size_t spikes = 0;
        for (int r = 0; r < repeats; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            const batch_result res = batch_loss_and_gradient(model, in, draws, opt, threads);
            best = std::min(best, bench::seconds_since(t0));
            spikes = res.spikes;
        }
        const double ms = best * 1e3 / static_cast<double>(images);
        std::printf("threads %d: %.2f ms/image (best of %d), %.1f spikes/image, projected %.1f s/epoch (18000 images)\n",
                    threads, ms, repeats, static_cast<double>(spikes) / static_cast<double>(images), ms * 18.0);
    }
    {
        double best = 1e300;
        for (int r = 0; r < repeats; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            batch_loss_and_gradient(model, in, draws, opt, 1, false);
            best = std::min(best, bench::seconds_since(t0));
        }
        std::printf("forward only (validation), threads 1: %.2f ms/image\n", best * 1e3 / static_cast<double>(images));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return gust::bench::guarded(argc, argv, run_benchmark); }
