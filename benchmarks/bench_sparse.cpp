// A large sparse GUST network: how the event backend scales when far fewer
// than 5% of the neurons fire per step, against the dense backend on the same
// network, and one image on 1 thread vs 2 partitions on 2 threads.
//   build/gust_bench_sparse [--side 256] [--inner 65536] [--hidden 8192] [--fan-in 64]
//                           [--receptive-field 8] [--objects 40] [--cycles 30] [--dense-cycles 5]
// The model is generated in memory (gust init --sparse-fan-in makes the same
// kind of file). Prints one line per measurement; docs/benchmarks.md records
// the figures.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench_common.hpp"
#include "io/dataset_file.hpp"
#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {


double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::size_t synapses(const gust_model& m) {
    std::size_t n = 0;
    for (const auto* l : {&m.enc1, &m.enc2, &m.dec1, &m.dec2}) n += l->weight.size();
    return n;
}

int run_benchmark(int argc, char** argv) {
    std::size_t side = 256, inner = 65536, hidden = 8192, fan_in = 64, objects = 40, field = 8;
    int cycles = 30, dense_cycles = 5;
    bench::require_pairs(argc, argv);
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const std::size_t v = bench::whole_number(a, argv[i + 1]);
        if (a == "--side") side = v;
        else if (a == "--inner") inner = v;
        else if (a == "--hidden") hidden = v;
        else if (a == "--fan-in") fan_in = v;
        else if (a == "--objects") objects = v;
        else if (a == "--receptive-field") field = v;
        else if (a == "--cycles") cycles = static_cast<int>(v);
        else if (a == "--dense-cycles") dense_cycles = static_cast<int>(v);
        else {
            std::fprintf(stderr, "bench_sparse: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    const double rss_start = peak_rss_mib();
    model_sizes sizes{side, side, hidden, inner, 10};
    sizes.sparse_fan_in = fan_in;
    sizes.receptive_field = field;
    auto t0 = std::chrono::steady_clock::now();
    gust_model model = init_model(sizes, 1);
    const std::size_t n = model.n_pixels(), syn = synapses(model);
    const network net = paper_network(std::move(model));  // the network takes the weights over
    const double build_s = bench::seconds_since(t0);
    const double rss_model = peak_rss_mib();

    shapes_dataset_spec spec;
    spec.height = spec.width = side;
    spec.n_test = objects;
    spec.test_size = 4;
    const auto split = shapes_splits(spec)[2];
    std::vector<float> px(n), lab(n);
    shapes_image(spec, split, 0, px.data(), lab.data());
    std::size_t foreground = 0;
    for (float v : px) foreground += v != 0.0f;

    std::printf("sparse GUST network: %zux%zu = %zu spiking neurons, M=%zu, H=%zu, fan-in %zu: %zu synapses "
                "(receptive field %zu, built in %.1f s)\n", side, side, n, inner, hidden, fan_in, syn, field, build_s);
    std::printf("image: %zu shapes, %zu foreground pixels (%.2f%% of neurons can fire)\n", objects, foreground,
                100.0 * double(foreground) / double(n));
    std::printf("memory: network description %.0f MiB above start = %.1f bytes per synapse\n", rss_model - rss_start,
                (rss_model - rss_start) * 1048576.0 / double(syn));

    // Every run pays a set-up (fan-out tables, rest values); steady-state
    // speed is the difference between a run of 1 + C cycles and one of 1,
    // each the fastest of 3 (the set-up time varies by tenths of a second).
    const philox_draws draws(1);
    const image_batch one{1, n, px.data(), {0}};
    auto timed = [&](bool event, int c, int threads, std::size_t parts, event_stats* st, image_record* keep) {
        sim_options opt;
        opt.cycles = c;
        opt.threads = threads;
        opt.partitions = parts;
        const auto t = std::chrono::steady_clock::now();
        auto rec = event ? simulate_event(net, one, draws, opt, {}, st) : simulate_dense(net, one, draws, opt, {});
        const double s = bench::seconds_since(t);
        if (keep) *keep = std::move(rec[0]);
        return s;
    };
    auto steady = [&](bool event, int c, int threads, std::size_t parts, event_stats* st, image_record* keep) {
        event_stats st1;
        double t_short = 1e300, t_long = 1e300;
        for (int r = 0; r < 3; ++r) {
            t_short = std::min(t_short, timed(event, 1, threads, parts, &st1, nullptr));
            if (st) *st = {};
            t_long = std::min(t_long, timed(event, 1 + c, threads, parts, st, keep));
        }
        if (st) {  // the counters of the C extra cycles
            *st -= st1;
        }
        return std::pair{t_short, t_long - t_short};
    };

    event_stats st;
    image_record rec1, rec2, recd;
    const auto [setup1, t1] = steady(true, cycles, 1, 1, &st, &rec1);
    const auto [setup2, t2] = steady(true, cycles, 2, 2, nullptr, &rec2);
    const double steps = double(st.steps);
    std::printf("event, 1 thread : set-up + 1 cycle %.3f s; then %.0f steps in %.3f s = %.1f steps/s, %.0f spikes/s, "
                "%.3g synaptic events/s\n", setup1, steps, t1, steps / t1, double(st.spikes) / t1,
                double(st.synaptic_events) / t1);
    std::printf("activity: %.1f spikes per step = %.3f%% of neurons; %.0f synaptic events per step\n",
                double(st.spikes) / steps, 100.0 * double(st.spikes) / steps / double(n),
                double(st.synaptic_events) / steps);
    std::printf("event work per step: %.0f rows of sparse layers recomputed, %.2f whole-layer updates, "
                "%.0f context rows pulled\n", double(st.row_updates) / steps, double(st.dense_layer_updates) / steps,
                double(st.context_rows) / steps);
    std::printf("event, 2 threads x 2 partitions: set-up + 1 cycle %.3f s; %.1f steps/s; speed-up %.2fx; "
                "spikes identical: %s\n", setup2, steps / t2, t1 / t2,
                rec1.steps == rec2.steps && rec1.neurons == rec2.neurons ? "yes" : "NO");

    // Dense on the same network for fewer cycles (it costs every synapse every
    // step); its spikes must equal the event run's over the same steps.
    const auto [setupd, td] = steady(false, dense_cycles, 1, 1, nullptr, &recd);
    const double dsteps = double(dense_cycles) * model.T;
    std::size_t prefix = 0;
    while (prefix < rec1.steps.size() && rec1.steps[prefix] < static_cast<std::int64_t>(dsteps + model.T)) ++prefix;
    const bool same = recd.steps.size() == prefix && std::equal(recd.steps.begin(), recd.steps.end(), rec1.steps.begin()) &&
                      std::equal(recd.neurons.begin(), recd.neurons.end(), rec1.neurons.begin());
    std::printf("dense, 1 thread : set-up + 1 cycle %.3f s; then %.0f steps in %.3f s = %.2f steps/s; "
                "event/dense speed-up per step: %.1fx; spikes identical: %s\n", setupd, dsteps, td, dsteps / td,
                (td / dsteps) / (t1 / steps), same ? "yes" : "NO");
    std::printf("peak resident memory: %.0f MiB\n", peak_rss_mib());
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return gust::bench::guarded(argc, argv, run_benchmark); }
