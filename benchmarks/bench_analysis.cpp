// Times the per-image read-out: for each of 30 cycles of a synthetic 28 x 28
// image with 3 objects, Victor-Purpura distances of 784 ten-step trains,
// k-medoids with K = 4, AMI and SynScore (analysis::analyze_cycle).
//
// Trains: background silent; each object's pixels fire at the object's phase
// (steps 1, 4, 7) with jitter and dropped/extra spikes. The noise falls from
// "every step spikes with p = 0.3" at cycle 0 to a small residue by cycle 20,
// like a network that synchronises. A second figure uses the fully random
// first-cycle regime for all 30 cycles (the worst case: most trains distinct).
//
// A third figure times what `gust analyze` does per image: from the image's
// SONATA spike list (timestamps, node ids) through cycle trains to the full
// read-out (analysis::read_out_image), on the realistic and on the random trains. Given a spike
// report (e.g. from gust run), it also times that path on the report's images.
//
// Usage: gust_bench_analysis [images = 200] [SPIKES.h5]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "analysis/cycle_metrics.hpp"
#include "analysis/image_readout.hpp"
#include "analysis/spike_trains.hpp"
#include "io/spike_report.hpp"

namespace {

constexpr int W = 28, N = W * W, T = 10, IT = 30;

const char* kSquare[] = {"1111111", "1111111", "1100011", "1100011", "1100011", "1111111", "1111111"};
const char* kTriangle[] = {"000001100000", "000011110000", "000111111000", "001110011100",
                           "011100001110", "111111111111", "111111111111"};

struct image {
    std::vector<std::int32_t> labels;               // N, 0 = background / overlap
    std::vector<std::vector<std::uint16_t>> cycles; // IT x N
};

image make_image(std::uint32_t seed, bool worst_case) {
    std::mt19937 g(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<int> cover(N, 0);
    std::vector<std::int32_t> labels(N, 0);
    for (int obj = 1; obj <= 3; ++obj) {
        const int kind = static_cast<int>(g() % 3);
        const int rows = 7, cols = kind == 0 ? 7 : 12;
        const int r0 = static_cast<int>(g() % (W - rows + 1)), c0 = static_cast<int>(g() % (W - cols + 1));
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                const char v = kind == 0 ? kSquare[r][c] : kind == 1 ? kTriangle[r][c] : kTriangle[rows - 1 - r][c];
                if (v != '1') continue;
                const int p = (r0 + r) * W + c0 + c;
                ++cover[p];
                labels[p] = obj;
            }
    }
    for (int p = 0; p < N; ++p)
        if (cover[p] > 1) labels[p] = 0;
    image im;
    im.labels = labels;
    for (int it = 0; it < IT; ++it) {
        const double noise = worst_case ? 1.0 : std::max(0.02, 1.0 - it / 20.0);
        std::vector<std::uint16_t> trains(N, 0);
        for (int p = 0; p < N; ++p) {
            if (!cover[p]) continue;  // background silent
            std::uint16_t m = 0;
            const int obj = labels[p] ? labels[p] : 1;
            int phase = 1 + 3 * (obj - 1);
            if (u(g) < 0.3 * noise) phase += u(g) < 0.5 ? -1 : 1;
            if (u(g) > 0.1 * noise) m |= static_cast<std::uint16_t>(1u << phase);
            for (int t = 0; t < T; ++t)
                if (u(g) < 0.3 * noise) m |= static_cast<std::uint16_t>(1u << t);
            trains[p] = m;
        }
        im.cycles.push_back(std::move(trains));
    }
    return im;
}

void run(const char* name, bool worst_case, int images) {
    std::vector<image> data;
    for (int i = 0; i < images; ++i) data.push_back(make_image(1000u + static_cast<std::uint32_t>(i), worst_case));
    double sum_ami = 0.0, sum_syn = 0.0;
    std::vector<double> per_image;
    std::size_t distinct = 0, syn_n = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < images; ++i) {
        const auto s = std::chrono::steady_clock::now();
        for (int it = 0; it < IT; ++it) {
            const auto r = gust::analysis::analyze_cycle(data[i].cycles[it].data(), data[i].labels.data(), N, 4,
                                                         3.0, 1.0 / 3.0, 42, static_cast<std::uint64_t>(i * IT + it));
            sum_ami += r.ami;
            if (!std::isnan(r.synscore)) {
                sum_syn += r.synscore;
                ++syn_n;
            }
            distinct += r.distinct_patterns;
        }
        per_image.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::sort(per_image.begin(), per_image.end());
    std::printf("%-28s median %7.3f ms/image, mean %7.3f, min %7.3f  | %.1f distinct patterns/cycle, mean AMI %.3f, mean SynScore %.3f\n",
                name, per_image[per_image.size() / 2], ms / images, per_image.front(), static_cast<double>(distinct) / (images * IT), sum_ami / (images * IT),
                syn_n ? sum_syn / static_cast<double>(syn_n) : NAN);
}

// The image's spikes as a SONATA population: sorted by time, node id = pixel.
gust::spike_population to_spike_list(const image& im) {
    gust::spike_population p;
    for (int it = 0; it < IT; ++it)
        for (int t = 0; t < T; ++t)
            for (int px = 0; px < N; ++px)
                if (im.cycles[static_cast<std::size_t>(it)][static_cast<std::size_t>(px)] & (1u << t)) {
                    p.timestamps.push_back(it * T + t);
                    p.node_ids.push_back(static_cast<std::uint64_t>(px));
                }
    return p;
}

struct labelled_spikes {
    gust::spike_population spikes;
    std::vector<std::int32_t> labels;
};

// Per image: spike list -> cycle trains -> read_out_image (what gust analyze runs per image).
void run_readout(const char* name, const std::vector<labelled_spikes>& data, int cycles) {
    std::vector<double> per_image;
    double sum_ami = 0.0;
    std::size_t spikes = 0;
    gust::analysis::readout_options opt;
    opt.seed = 42;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const auto s = std::chrono::steady_clock::now();
        const auto trains = gust::analysis::make_cycle_trains(data[i].spikes.timestamps, data[i].spikes.node_ids,
                                                              N, T, cycles, "bench");
        const auto r = gust::analysis::read_out_image(trains, data[i].labels, i, opt);
        per_image.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
        sum_ami += r.ami.back();
        spikes += data[i].spikes.node_ids.size();
    }
    std::vector<double> sorted = per_image;
    std::sort(sorted.begin(), sorted.end());
    double total = 0.0;
    for (double v : per_image) total += v;
    std::printf("%-28s median %7.3f ms/image, mean %7.3f, max %7.3f  | %d cycles, %.0f spikes/image, last-cycle AMI %.3f\n",
                name, sorted[sorted.size() / 2], total / static_cast<double>(sorted.size()), sorted.back(), cycles,
                static_cast<double>(spikes) / static_cast<double>(data.size()), sum_ami / static_cast<double>(data.size()));
}

int run_benchmark(int argc, char** argv) {
    const int images = argc > 1 ? static_cast<int>(gust::bench::whole_number("IMAGES", argv[1])) : 200;
    std::printf("per-image analysis: 28x28, 3 objects, %d cycles of T=%d, K=4, %d images, 1 thread\n", IT, T, images);
    run("synchronising (realistic)", false, images);
    run("random every cycle (worst)", true, images);
    std::vector<labelled_spikes> synthetic;
    for (int i = 0; i < images; ++i) {
        const image im = make_image(1000u + static_cast<std::uint32_t>(i), false);
        synthetic.push_back({to_spike_list(im), im.labels});
    }
    run_readout("spike list -> read-out", synthetic, IT);
    std::vector<labelled_spikes> random_trains;
    for (int i = 0; i < images; ++i) {
        const image im = make_image(1000u + static_cast<std::uint32_t>(i), true);
        random_trains.push_back({to_spike_list(im), im.labels});
    }
    run_readout("  same, random every cycle", random_trains, IT);
    if (argc > 2) {
        // Real network trains: every image of a report with /gust labels (28 x 28 only).
        const gust::spike_report rep = gust::read_spike_report(argv[2]);
        std::vector<labelled_spikes> real;
        for (std::size_t p = 0; p < rep.populations.size(); ++p) {
            if (!rep.meta || rep.images[p].labels.size() != static_cast<std::size_t>(N)) continue;
            labelled_spikes l{rep.populations[p], {}};
            for (float v : rep.images[p].labels) l.labels.push_back(static_cast<std::int32_t>(v));
            real.push_back(std::move(l));
        }
        if (real.empty()) {
            std::fprintf(stderr, "%s: no 28x28 images with /gust labels\n", argv[2]);
            return 2;
        }
        run_readout(argv[2], real, rep.meta->cycles);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return gust::bench::guarded(argc, argv, run_benchmark); }
