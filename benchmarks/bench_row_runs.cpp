// What the order of a step's rows costs: one sparse weight set of a network
// description, its rows summed as the event backend sums a step's listed
// rows (accumulate_sparse_row_list), the same number of rows taken in runs
// of consecutive rows of several lengths (a step's rows lie in short runs,
// one per grid line across an object), and all consecutive, as a dense pass
// reads them. The arithmetic is the same in each; only where the rows lie
// in memory differs. The lengths take turns round by round, so that the
// machine's drift falls on all alike; each line gives the median round.
//   build/gust_bench_row_runs --network NET.toml --set NAME [--rows 150000] [--rounds 7]
// Only NAME's rows are drawn (gust init --network NET.toml --seed 1 draws
// the same ones), not the whole network.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "core/counter_rng.hpp"
#include "io/network_toml.hpp"
#include "neurons/graded_layer.hpp"
#include "sim/network_init.hpp"

using namespace gust;

namespace {

// n rows in runs of `run` consecutive rows spread evenly over the set's
// `rows` rows, ascending, as a step lists them; run = 0: rows [0, n).
// Needs n <= rows / 2 and run <= rows / 2, so that the runs fit.
std::vector<std::uint32_t> rows_in_runs(std::size_t n, std::size_t run, std::size_t rows) {
    std::vector<std::uint32_t> out(n);
    if (run == 0) {
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(i);
        return out;
    }
    const std::size_t stride = rows / ((n + run - 1) / run);  // >= run: runs / run x run <= n + run <= rows
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(i / run * stride + i % run);
    return out;
}

int body(int argc, char** argv) {
    bench::require_pairs(argc, argv);
    std::string network_path, set_name;
    std::size_t n = 150000, rounds = 7;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i], value = argv[i + 1];
        if (name == "--network") network_path = value;
        else if (name == "--set") set_name = value;
        else if (name == "--rows") n = bench::whole_number(name, value);
        else if (name == "--rounds") rounds = bench::whole_number(name, value);
        else {
            std::fprintf(stderr, "%s: unknown option\n", name.c_str());
            return 2;
        }
    }
    if (network_path.empty() || set_name.empty()) {
        std::fprintf(stderr, "bench_row_runs: --network and --set are needed\n");
        return 2;
    }
    const network_description d = read_network_description(network_path);
    std::size_t set = 0;
    const projection_spec* pr = nullptr;
    for (const auto& p : d.projections) {
        if (!p.owns_weights()) continue;
        if (p.name == set_name) {
            pr = &p;
            break;
        }
        ++set;
    }
    if (pr == nullptr || pr->conn == connectivity::dense || pr->procedural) {
        std::fprintf(stderr, "--set %s: no stored sparse weight set of that name in %s\n", set_name.c_str(),
                     network_path.c_str());
        return 2;
    }
    weight_matrix W;
    init_sparse_rows(d, 1, set, 0, d.populations[d.population_index(pr->target)].size, W);
    if (n > W.rows / 2) {
        std::fprintf(stderr, "--rows %zu: at most half the set's %zu rows\n", n, W.rows);
        return 2;
    }
    std::vector<float> input(W.cols);
    counter_rng(7).fill_uniform(0, 0, 0, input.data(), input.size());
    for (float& v : input) v = 0.5f + 0.5f * v;  // none zero: every product is formed

    const std::size_t runs[] = {16, 32, 64, 128, 256, 1024, 0};
    constexpr std::size_t kinds = std::size(runs);
    std::vector<std::vector<std::uint32_t>> lists;
    for (std::size_t run : runs) lists.push_back(rows_in_runs(n, std::min(run, W.rows / 2), W.rows));
    std::vector<std::vector<double>> secs(kinds);
    std::vector<float> acc(n);
    std::size_t synapses[kinds] = {};  // each list's, counted once
    for (std::size_t k = 0; k < kinds; ++k)
        for (std::uint32_t row : lists[k]) synapses[k] += W.indptr[row + 1] - W.indptr[row];
    for (std::size_t r = 0; r < rounds; ++r)
        for (std::size_t t = 0; t < kinds; ++t) {
            const std::size_t k = (t + r) % kinds;
            std::fill(acc.begin(), acc.end(), 0.0f);
            const auto t0 = std::chrono::steady_clock::now();
            accumulate_sparse_row_list(W, lists[k].data(), n, input.data(), acc.data());
            secs[k].push_back(bench::seconds_since(t0));
        }
    const double bytes_per_synapse = (W.indices.is_narrow() ? 2.0 : 4.0) + sizeof(float);
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const double consecutive = median(secs[kinds - 1]) / double(synapses[kinds - 1]);
    std::printf("%s, set %s: %zu rows of %zu, %.0f bytes per synapse read (source and weight), %zu rounds\n",
                network_path.c_str(), set_name.c_str(), n, W.rows, bytes_per_synapse, rounds);
    for (std::size_t k = 0; k < kinds; ++k) {
        const double per = median(secs[k]) / double(synapses[k]);
        const std::string what = runs[k] == 0 ? "all consecutive" : "runs of " + std::to_string(runs[k]) + " rows";
        std::printf("%-20s %.3f ns per synapse, %.1f GB/s of rows, %.2fx the time of consecutive rows\n", what.c_str(),
                    per * 1e9, bytes_per_synapse / per / 1e9, per / consecutive);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::guarded(argc, argv, body); }
