// A large sparse GUST network: how the event backend scales when far fewer
// than 5% of the neurons fire per step, against the dense backend on the same
// network, and one image on 1 thread vs 2 partitions on 2 threads.
//   build/gust_bench_sparse [--side 256] [--inner 65536] [--hidden 8192] [--fan-in 64]
//                           [--receptive-field 8] [--objects 40] [--cycles 30] [--dense-cycles 5]
//   build/gust_bench_sparse --network NET.toml [--objects 40] [--cycles 30] [--dense-cycles 5]
//   build/gust_bench_sparse --network NET.toml --procedural-twins ROUNDS [--objects 40] [--cycles 30]
// The last makes every local projection of NET draw its synapses one by one
// (draw = "independent") and builds it twice, stored and procedural, then
// times the event backend on each in turn, ROUNDS times alternating, so
// that the machine's drift falls on both alike; and NET as written (its
// fixed draws: other synapses, so other spikes) in the same rotation.
// The model is generated in memory (gust init --sparse-fan-in, or gust init
// --network NET.toml --seed 1, makes the same one as a file). Prints one line
// per measurement; docs/benchmarks.md records the figures.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>

#include "bench_common.hpp"
#include "io/dataset_file.hpp"
#include "io/network_toml.hpp"
#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"
#include "sim/memory_account.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {


double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::size_t synapses(const network& net) {
    std::set<const weight_matrix*> seen;  // a shared set counted once
    std::size_t n = 0;
    for (const auto& pr : net.projections)
        if (seen.insert(pr.weights.get()).second) n += pr.weights->synapses();
    return n;
}

// The event backend on one image for 1 + cycles cycles, on `threads`
// threads with as many partitions: the seconds of the last `cycles`
// (a 1-cycle run's time taken away), and the record.
double event_cycles(const event_engine& e, const image_batch& one, const philox_draws& draws, int cycles, int threads,
                    image_record& rec, event_stats& st) {
    auto timed = [&](int c, event_stats* s) {
        sim_options opt;
        opt.cycles = c;
        opt.threads = threads;
        const auto t = std::chrono::steady_clock::now();
        auto r = e.run(one, draws, opt, {}, s);
        const double secs = bench::seconds_since(t);
        rec = std::move(r[0]);
        return secs;
    };
    event_stats st1;
    const double t_short = timed(1, &st1);
    st = {};
    const double t_long = timed(1 + cycles, &st);
    st -= st1;
    return t_long - t_short;
}

// Stored against procedural, alternating (see the top of this file).
int run_twins(const std::string& network_path, std::size_t rounds, std::size_t objects, int cycles) {
    const network_description fixed_d = read_network_description(network_path);
    network_description stored_d = fixed_d;
    for (auto& pr : stored_d.projections)
        if (pr.owns_weights() && pr.conn == connectivity::local) {
            pr.draw = synapse_draw::independent;
            pr.procedural = false;
        }
    network_description proc_d = stored_d;
    for (auto& pr : proc_d.projections) pr.procedural = pr.draw == synapse_draw::independent;
    auto t0 = std::chrono::steady_clock::now();
    const network_model stored = init_network(stored_d, 1, network_path);
    const double build_stored = bench::seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const network_model proc = init_network(proc_d, 1, network_path);
    const double build_proc = bench::seconds_since(t0);
    const network_model fixed = init_network(fixed_d, 1, network_path);
    const std::size_t n = stored.net.populations[stored.net.readout].size;
    shapes_dataset_spec spec;
    spec.height = stored_d.height;
    spec.width = stored_d.width;
    spec.n_test = objects;
    spec.test_size = 4;
    std::vector<float> px(n), lab(n);
    shapes_image(spec, shapes_splits(spec)[2], 0, px.data(), lab.data());
    const philox_draws draws(1);
    const image_batch one{1, n, px.data(), {0}};
    const std::size_t syn = synapses(stored.net);
    std::printf("procedural twins of %s (every local projection drawn one by one): %zu synapses stored, %zu expected "
                "procedural; model built in %.2f s stored, %.3f s procedural\n",
                network_path.c_str(), syn, synapses(proc.net), build_stored, build_proc);
    for (int threads : {1, 2}) {
        t0 = std::chrono::steady_clock::now();
        const event_engine es(stored.net, std::size_t(threads));
        const double setup_stored = bench::seconds_since(t0);
        t0 = std::chrono::steady_clock::now();
        const event_engine ep(proc.net, std::size_t(threads));
        const double setup_proc = bench::seconds_since(t0);
        const event_engine ef(fixed.net, std::size_t(threads));
        const memory_account ms = es.memory(), mp = ep.memory();
        std::printf("%d thread(s) x %d partition(s): set-up %.3f s stored, %.3f s procedural; weights + fan-out "
                    "%.2f bytes per synapse stored, %.5f procedural\n",
                    threads, threads, setup_stored, setup_proc, (ms.weights + ms.fanouts) / double(syn),
                    (mp.weights + mp.fanouts) / double(syn));
        std::vector<double> ratios, ratios_fixed;
        double best_s = 1e300, best_p = 1e300;
        bool same = true;
        event_stats st, st_fixed;
        for (std::size_t r = 0; r < rounds; ++r) {
            image_record a, b, c;
            const double ts = event_cycles(es, one, draws, cycles, threads, a, st);
            const double tp = event_cycles(ep, one, draws, cycles, threads, b, st);
            const double tf = event_cycles(ef, one, draws, cycles, threads, c, st_fixed);
            same &= a.steps == b.steps && a.neurons == b.neurons;
            ratios.push_back(tp / ts);
            ratios_fixed.push_back(tp / tf);
            best_s = std::min(best_s, ts);
            best_p = std::min(best_p, tp);
            std::printf("  round %zu: stored %.3f s, procedural %.3f s, as written (fixed draws) %.3f s for %d cycles "
                        "(%.0f steps): ratio %.2f, %.2f against as written\n",
                        r, ts, tp, tf, cycles, double(st.steps), tp / ts, tp / tf);
        }
        std::sort(ratios.begin(), ratios.end());
        std::sort(ratios_fixed.begin(), ratios_fixed.end());
        std::printf("  procedural / stored time: median %.2f, best against best %.2f; %.0f spikes and %.0f synaptic "
                    "events per step; spikes identical: %s\n",
                    ratios[ratios.size() / 2], best_p / best_s, double(st.spikes) / double(st.steps),
                    double(st.synaptic_events) / double(st.steps), same ? "yes" : "NO");
        std::printf("  procedural / as written (fixed draws): median %.2f; as written: %.0f spikes and %.0f synaptic "
                    "events per step\n",
                    ratios_fixed[ratios_fixed.size() / 2], double(st_fixed.spikes) / double(st_fixed.steps),
                    double(st_fixed.synaptic_events) / double(st_fixed.steps));
    }
    std::printf("peak resident memory: %.0f MiB\n", peak_rss_mib());
    return 0;
}

int run_benchmark(int argc, char** argv) {
    std::size_t side = 256, inner = 65536, hidden = 8192, fan_in = 64, objects = 40, field = 8;
    int cycles = 30, dense_cycles = 5;
    std::size_t twins = 0;
    std::string network_path;
    bench::require_pairs(argc, argv);
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--network") {
            network_path = argv[i + 1];
            continue;
        }
        const std::size_t v = bench::whole_number(a, argv[i + 1]);
        if (a == "--side") side = v;
        else if (a == "--inner") inner = v;
        else if (a == "--hidden") hidden = v;
        else if (a == "--fan-in") fan_in = v;
        else if (a == "--objects") objects = v;
        else if (a == "--receptive-field") field = v;
        else if (a == "--cycles") cycles = static_cast<int>(v);
        else if (a == "--dense-cycles") dense_cycles = static_cast<int>(v);
        else if (a == "--procedural-twins") twins = v;
        else {
            std::fprintf(stderr, "bench_sparse: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (twins > 0) {
        if (network_path.empty()) {
            std::fprintf(stderr, "bench_sparse: --procedural-twins needs --network\n");
            return 2;
        }
        return run_twins(network_path, twins, objects, cycles);
    }
    const double rss_start = peak_rss_mib();
    auto t0 = std::chrono::steady_clock::now();
    network net;
    std::size_t height = side, width = side;
    int T = 10;
    std::string what;
    if (network_path.empty()) {
        model_sizes sizes{side, side, hidden, inner, 10};
        sizes.sparse_fan_in = fan_in;
        sizes.receptive_field = field;
        what = std::to_string(side) + "x" + std::to_string(side) + " spiking neurons, M=" + std::to_string(inner) +
               ", H=" + std::to_string(hidden) + ", fan-in " + std::to_string(fan_in) + " within " +
               std::to_string(field) + " cells";
        // The model init_model draws (and `gust init --sparse-fan-in` writes),
        // generated as a network: its sets narrowed as they are drawn, never
        // held in the paper model's 32-bit layout.
        net = std::move(init_network(paper_description(sizes), 1, "model").net);
    } else {
        network_model m = init_network(read_network_description(network_path), 1, network_path);
        height = m.description.height;
        width = m.description.width;
        T = m.description.cycle;
        what = network_path;
        net = std::move(m.net);
    }
    const double build_s = bench::seconds_since(t0);
    const double rss_model = peak_rss_mib();
    const std::size_t n = net.populations[net.readout].size, syn = synapses(net);

    shapes_dataset_spec spec;
    spec.height = height;
    spec.width = width;
    spec.n_test = objects;
    spec.test_size = 4;
    const auto split = shapes_splits(spec)[2];
    std::vector<float> px(n), lab(n);
    shapes_image(spec, split, 0, px.data(), lab.data());
    std::size_t foreground = 0;
    for (float v : px) foreground += v != 0.0f;

    std::printf("sparse GUST network: %s: %zu spiking neurons, %zu synapses (built in %.1f s)\n", what.c_str(), n,
                syn, build_s);
    std::printf("image: %zu shapes, %zu foreground pixels (%.2f%% of neurons can fire)\n", objects, foreground,
                100.0 * double(foreground) / double(n));
    std::printf("memory: network description %.0f MiB above start = %.1f bytes per synapse\n", rss_model - rss_start,
                (rss_model - rss_start) * 1048576.0 / double(syn));

    // Each engine is prepared once (validation, fan-out tables, rest values:
    // its set-up, timed apart) and then run; steady-state speed is the
    // difference between a run of 1 + C cycles and one of 1, each the
    // fastest of 3. Engines are built one after another, so the peak memory
    // is one run's.
    const philox_draws draws(1);
    const image_batch one{1, n, px.data(), {0}};
    auto steady = [&](auto make, int c, int threads, event_stats* st, image_record* keep) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto e = make();
        const double setup = bench::seconds_since(t0);
        auto timed = [&](int cycles, event_stats* s, image_record* rec) {
            sim_options opt;
            opt.cycles = cycles;
            opt.threads = threads;
            const auto t = std::chrono::steady_clock::now();
            std::vector<image_record> r;
            if constexpr (std::is_same_v<std::decay_t<decltype(*e)>, event_engine>) r = e->run(one, draws, opt, {}, s);
            else r = e->run(one, draws, opt);
            const double secs = bench::seconds_since(t);
            if (rec) *rec = std::move(r[0]);
            return secs;
        };
        event_stats st1;
        double t_short = 1e300, t_long = 1e300;
        for (int r = 0; r < 3; ++r) {
            t_short = std::min(t_short, timed(1, &st1, nullptr));
            if (st) *st = {};
            t_long = std::min(t_long, timed(1 + c, st, keep));
        }
        if (st) *st -= st1;  // the counters of the C extra cycles
        return std::tuple{setup, t_short, t_long - t_short};
    };
    auto event_with = [&](std::size_t parts) { return [&net, parts] { return std::make_unique<event_engine>(net, parts); }; };
    auto dense = [&net] { return std::make_unique<dense_engine>(net); };

    event_stats st;
    image_record rec1, rec2, recd;
    const auto [setup1, first1, t1] = steady(event_with(1), cycles, 1, &st, &rec1);
    const auto [setup2, first2, t2] = steady(event_with(2), cycles, 2, nullptr, &rec2);
    const double steps = double(st.steps);
    std::printf("event, 1 thread : set-up %.3f s, 1 cycle %.3f s; then %.0f steps in %.3f s = %.1f steps/s, "
                "%.0f spikes/s, %.3g synaptic events/s\n", setup1, first1, steps, t1, steps / t1,
                double(st.spikes) / t1, double(st.synaptic_events) / t1);
    std::printf("activity: %.1f spikes per step = %.3f%% of neurons; %.0f synaptic events per step\n",
                double(st.spikes) / steps, 100.0 * double(st.spikes) / steps / double(n),
                double(st.synaptic_events) / steps);
    std::printf("event work per step: %.0f rows of sparse layers recomputed, %.2f whole-layer updates, "
                "%.0f context rows pulled, with %.0f rows of the layers they read; the rows summed from lists lie in "
                "runs of %.1f consecutive rows\n", double(st.row_updates) / steps,
                double(st.dense_layer_updates) / steps, double(st.context_rows) / steps,
                double(st.pulled_rows) / steps, double(st.listed_rows) / double(std::max<std::uint64_t>(st.listed_runs, 1)));
    std::printf("event, 2 threads x 2 partitions: set-up %.3f s, 1 cycle %.3f s; %.1f steps/s; speed-up %.2fx; "
                "spikes identical: %s\n", setup2, first2, steps / t2, t1 / t2,
                rec1.steps == rec2.steps && rec1.neurons == rec2.neurons ? "yes" : "NO");

    // Dense on the same network for fewer cycles (it costs every synapse every
    // step); its spikes must equal the event run's over the same steps.
    const auto [setupd, firstd, td] = steady(dense, dense_cycles, 1, nullptr, &recd);
    const double dsteps = double(dense_cycles) * T;
    std::size_t prefix = 0;
    while (prefix < rec1.steps.size() && rec1.steps[prefix] < static_cast<std::int64_t>(dsteps + T)) ++prefix;
    const bool same = recd.steps.size() == prefix && std::equal(recd.steps.begin(), recd.steps.end(), rec1.steps.begin()) &&
                      std::equal(recd.neurons.begin(), recd.neurons.end(), rec1.neurons.begin());
    std::printf("dense, 1 thread : set-up %.3f s, 1 cycle %.3f s; then %.0f steps in %.3f s = %.2f steps/s; "
                "event/dense speed-up per step: %.1fx; spikes identical: %s\n", setupd, firstd, dsteps, td, dsteps / td,
                (td / dsteps) / (t1 / steps), same ? "yes" : "NO");
    std::printf("peak resident memory: %.0f MiB\n", peak_rss_mib());
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return gust::bench::guarded(argc, argv, run_benchmark); }
