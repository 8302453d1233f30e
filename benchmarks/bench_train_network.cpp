// Training any network: forward + backward (learning/network_bptt) of a
// batch of corrupted shape images at the description's image size, for 1
// and 2 threads; the event-based tape of one image against a dense
// [steps, units] tape of the same network; peak resident memory.
//   build/gust_bench_train_network --network NET.toml [--shapes 8] [--images 16] [--cycles 8] [--repeats 2]
// e.g. the 128 x 128 sparse network of docs/results.md:
//   build/gust_bench_train_network --network examples/networks/sparse_local_128.toml
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "bench_common.hpp"
#include "io/network_toml.hpp"
#include "io/shapes_generator.hpp"
#include "learning/corruption.hpp"
#include "learning/network_bptt.hpp"
#include "learning/training_draws.hpp"
#include "sim/network_init.hpp"

using namespace gust;
using namespace gust::learning;

namespace {

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

int run_benchmark(int argc, char** argv) {
    bench::require_pairs(argc, argv);
    std::string path;
    std::size_t shapes = 8, images = 16, repeats = 2;
    int cycles = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--network") path = v;
        else if (a == "--shapes") shapes = bench::whole_number(a, v);
        else if (a == "--images") images = bench::whole_number(a, v);
        else if (a == "--cycles") cycles = static_cast<int>(bench::whole_number(a, v));
        else if (a == "--repeats") repeats = bench::whole_number(a, v);
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (path.empty()) {
        std::fprintf(stderr, "--network NET.toml is required\n");
        return 2;
    }
    const auto t_build = std::chrono::steady_clock::now();
    const network_model m = init_network(read_network_description(path), 1, path);
    const double build_s = bench::seconds_since(t_build);
    std::size_t synapses = 0;
    for (std::size_t j = 0; j < m.description.projections.size(); ++j)
        if (m.description.projections[j].owns_weights()) synapses += m.net.projections[j].weights->nnz();

    const std::size_t h = m.description.height, w = m.description.width, n = h * w;
    std::vector<float> clean(images * n), input(images * n), labels(n);
    std::vector<std::size_t> ids(images);
    const counter_rng rng(7);
    for (std::size_t i = 0; i < images; ++i) {
        counter_sequence seq(rng, stream_id(purpose::dataset, 99), i);
        shapes::generate(shapes, h, w, seq, clean.data() + i * n, labels.data());
        corrupt_image(rng, training_pass(0), i, clean.data() + i * n, input.data() + i * n, n, default_keep_probability);
        ids[i] = i;
    }
    const image_inputs in{images, n, input.data(), clean.data(), ids.data()};
    const training_draws draws(7, training_pass(0));
    bptt_options opt;
    opt.cycles = cycles;

    std::printf("train network %s: %zu synapses (built in %.1f s), %zux%zu images with %zu shapes, %zu images x %d cycles\n",
                path.c_str(), synapses, build_s, h, w, shapes, images, cycles);
    double one = 0;
    network_batch_result last;
    for (int threads : {1, 2}) {
        double best = 1e300;
        for (std::size_t r = 0; r < repeats; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            last = network_loss_and_gradient(m, in, draws, opt, threads);
            best = std::min(best, bench::seconds_since(t0));
        }
        if (threads == 1) one = best;
        std::printf("  %d thread%s: %.1f ms per image (forward + backward)%s\n", threads, threads > 1 ? "s" : "",
                    best * 1e3 / static_cast<double>(images),
                    threads > 1 ? (", " + std::to_string(one / best).substr(0, 4) + "x one thread").c_str() : "");
    }
    std::printf("  spikes per image: %.0f, loss per image %.6f\n", double(last.spikes) / double(images),
                last.loss / double(images));
    std::printf("  tape of one image: event-based %.2f MiB, dense [steps, units] %.2f MiB: %.1fx smaller\n",
                double(last.tape_bytes) / 1048576.0, double(last.dense_tape_bytes) / 1048576.0,
                double(last.dense_tape_bytes) / double(last.tape_bytes));
    std::printf("  peak resident memory: %.0f MiB\n", peak_rss_mib());
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::guarded(argc, argv, run_benchmark); }
