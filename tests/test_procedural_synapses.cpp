// Synapses drawn one by one and regenerated (core/synapse_hash.hpp,
// core/local_window.hpp, core/procedural_synapses.hpp): the draw's
// statistics with fixed seeds, the reverse receptive field equal to the
// forward one transposed, a stored `draw = "independent"` set holding exactly
// the synapses its procedural twin regenerates, both giving the same spikes
// and layer outputs with either backend and any partition count, through a
// model file too, and the refusals of what a procedural set cannot do.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "local_network.hpp"
#include "core/procedural_synapses.hpp"
#include "io/dataset_file.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "learning/model_average.hpp"
#include "learning/network_bptt.hpp"
#include "sim/backend.hpp"
#include "sim/memory_account.hpp"
#include "sim/network_init.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;
using namespace gust::test;

namespace {

using pairs = std::set<std::pair<std::size_t, std::size_t>>;  // (target row, source)

}  // namespace

TEST_CASE("procedural synapses: a row takes each candidate with probability fan_in / candidates, weights uniform",
          "[procedural]") {
    // 64 x 64 onto 64 x 64, radius 8: 17 x 17 = 289 candidates inside the
    // grid (fewer at the borders), fan-in 64. Over ~10^6 candidates the rate
    // has a standard deviation of about 0.0004; the tolerance is 0.003.
    const procedural_synapses rule(7, 2, 4096, 4096, 8, 1.0, 64, 1.0f, false);
    double candidates = 0, expected = 0, present = 0, sum = 0, sum2 = 0;
    float largest = 0;
    for (std::size_t r = 0; r < rule.rows(); ++r) {
        const auto f = rule.window.field(r);
        const double n = double(rule.window.count(f));
        candidates += n;
        expected += std::min(1.0, 64.0 / n) * n;
        rule.for_each_in_row(r, [&](std::uint32_t, float w) {
            present += 1;
            sum += w;
            sum2 += double(w) * w;
            largest = std::max(largest, std::abs(w));
        });
    }
    const double bound = 1.0 / 8.0;
    CHECK(present / candidates == Approx(expected / candidates).margin(0.003));
    CHECK(rule.expected_synapses() == Approx(expected).epsilon(1e-6));
    CHECK(std::abs(present - expected) < 5 * std::sqrt(expected));
    // U(-1/8, 1/8): mean 0 (standard deviation of the mean ~1.4e-4; tolerance
    // 0.01 x bound = 1.25e-3), variance bound^2 / 3 within 2% (the sample
    // variance's relative deviation is ~0.2% here).
    const double mean = sum / present, var = sum2 / present - mean * mean;
    CHECK(std::abs(mean) < 0.01 * bound);
    CHECK(var == Approx(bound * bound / 3.0).epsilon(0.02));
    CHECK(largest <= float(bound));
    CHECK(largest > 0.99f * float(bound));

    // Another seed or another set: other synapses, each of this row's
    // shared with probability p_r (the row's own), not 1.
    for (const procedural_synapses& other : {procedural_synapses(8, 2, 4096, 4096, 8, 1.0, 64, 1.0f, false),
                                             procedural_synapses(7, 3, 4096, 4096, 8, 1.0, 64, 1.0f, false)}) {
        double both = 0, expected_both = 0;
        for (std::size_t r = 0; r < 1024; ++r) {
            std::vector<std::uint32_t> a, b;
            rule.for_each_in_row(r, [&](std::uint32_t s, float) { a.push_back(s); });
            other.for_each_in_row(r, [&](std::uint32_t s, float) { b.push_back(s); });
            std::vector<std::uint32_t> common;
            std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
            both += double(common.size());
            expected_both += double(a.size()) * std::min(1.0, 64.0 / double(rule.window.count(rule.window.field(r))));
        }
        CHECK(both == Approx(expected_both).epsilon(0.05));  // ~17,000 shared: a standard deviation under 1%
    }
    // init = "zero" and the gain.
    const procedural_synapses zero(7, 2, 256, 256, 3, 1.0, 9, 1.0f, true), gained(7, 2, 256, 256, 3, 1.0, 9, 2.0f, false),
        plain(7, 2, 256, 256, 3, 1.0, 9, 1.0f, false);
    std::size_t n = 0;
    zero.for_each_in_row(100, [&](std::uint32_t, float w) { CHECK(w == 0.0f); });
    gained.for_each_in_row(100, [&](std::uint32_t s, float w) {
        CHECK(w == plain.weight_at(100, s) * 2.0f);
        ++n;
    });
    CHECK(n > 0);
}

TEST_CASE("procedural synapses: a regenerated row's sum is the canonical sum over its synapses, for fields of "
          "several batches",
          "[procedural]") {
    // Radius 12: 625 candidates, more than one batch of row_sum; inputs half
    // zero, one of them -0.0, so that skipping them is what keeps the bits.
    for (const bool zero : {false, true})
        for (const float gain : {1.0f, 0.7f}) {
            const procedural_synapses rule(3, 1, 3000, 4000, 12, 4.0 / 3.0, 200, gain, zero);
            std::vector<float> in(4000);
            for (std::size_t i = 0; i < in.size(); ++i) in[i] = i % 2 ? 0.0f : 0.001f * float(i % 97) - 0.03f;
            in[10] = -0.0f;
            for (std::size_t r = 0; r < rule.rows(); r += 37) {
                float want = -0.0f;  // a sum that skips every term stays -0.0
                rule.for_each_in_row(r, [&](std::uint32_t s, float w) {
                    if (in[s] != 0.0f) want += in[s] * w;
                });
                const float got = rule.row_sum(r, in.data(), -0.0f);
                CHECK(std::bit_cast<std::uint32_t>(got) == std::bit_cast<std::uint32_t>(want));
            }
        }
    // Eight rows at a time (in lockstep): each row's own sum, bit for bit,
    // and the canonical one; fields 9 and 25 candidates wide, some cut by
    // the grid's edges and its partial last row.
    for (const std::size_t radius : {4u, 12u}) {
        const procedural_synapses rule(3, 1, 3000, 4000, radius, 4.0 / 3.0, 30, 1.0f, false);
        std::vector<float> in(4000);
        for (std::size_t i = 0; i < in.size(); ++i) in[i] = i % 3 ? 0.0f : 0.001f * float(i % 89) - 0.04f;
        std::vector<std::size_t> rows;
        for (std::size_t r = 5; r < rule.rows(); r += 13) rows.push_back(r);
        std::vector<float> acc(rows.size()), want(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) acc[i] = want[i] = i % 5 ? 0.01f * float(i % 7) : -0.0f;
        rule.rows_sum(rows.size(), rows.data(), in.data(), acc.data());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            float canonical = want[i];
            rule.for_each_in_row(rows[i], [&](std::uint32_t s, float w) {
                if (in[s] != 0.0f) canonical += in[s] * w;
            });
            want[i] = rule.row_sum(rows[i], in.data(), want[i]);
            CHECK(std::bit_cast<std::uint32_t>(acc[i]) == std::bit_cast<std::uint32_t>(want[i]));
            CHECK(std::bit_cast<std::uint32_t>(acc[i]) == std::bit_cast<std::uint32_t>(canonical));
        }
    }
}

TEST_CASE("procedural synapses: a source's terms added to its targets are v x weight_at, row by row, with a gain "
          "and with init zero",
          "[procedural]") {
    // Targets 3000 on a grid 47 x 64, sources 4000 on 55 x 73 (a partial
    // last grid row): runs of targets longer and shorter than sixteen.
    for (const bool zero : {false, true})
        for (const float gain : {1.0f, 0.7f}) {
            const procedural_synapses rule(5, 4, 3000, 4000, 9, 4.0 / 3.0, 40, gain, zero);
            std::vector<float> acc(3000), want(3000);
            for (std::size_t r = 0; r < acc.size(); ++r) acc[r] = want[r] = r % 3 ? 0.01f * float(r % 11) : -0.0f;
            std::size_t synapses = 0;
            for (std::uint32_t s = 0; s < 4000; s += 7) {
                const float v = 0.001f * float(s % 101) - 0.05f;
                rule.add_to_targets(s, v, acc.data(), 600, 2500);
                rule.for_each_target(s, 600, 2500, [&](std::size_t r) {
                    want[r] += v * rule.weight_at(r, s);
                    ++synapses;
                });
            }
            CHECK(synapses > 10000);
            for (std::size_t r = 0; r < acc.size(); ++r) {
                INFO("row " << r);
                CHECK(std::bit_cast<std::uint32_t>(acc[r]) == std::bit_cast<std::uint32_t>(want[r]));
            }
        }
}

TEST_CASE("procedural synapses: the sources reaching a row, enumerated from the source side, are the forward fields "
          "transposed",
          "[procedural]") {
    // Odd grids: targets 20 x 36, sources 7 x 13 (and 89 units: a partial last
    // grid row), the image's aspect 36/20.
    for (std::size_t source_units : {std::size_t(91), std::size_t(89), std::size_t(720)})
        for (std::size_t radius : {2u, 3u}) {
            INFO("sources " << source_units << ", radius " << radius);
            const local_window w(720, source_units, radius, 36.0 / 20.0);
            REQUIRE(w.target.rows == 20);
            REQUIRE(w.target.cols == 36);
            pairs forward, reverse;
            for (std::size_t r = 0; r < 720; ++r) {
                std::size_t n = 0;
                const local_window::span f = w.field(r);
                w.for_each_candidate(r, [&](std::uint32_t s) {
                    REQUIRE(s < source_units);
                    CHECK(w.candidate(f, n) == s);  // counted without a list
                    forward.insert({r, s});
                    ++n;
                });
                CHECK(n == w.count(w.field(r)));
            }
            for (std::uint32_t s = 0; s < source_units; ++s) {
                std::size_t last = 0;
                bool first = true;
                w.for_each_reaching(s, 0, 720, [&](std::size_t r) {
                    CHECK((first || r > last));  // ascending
                    first = false;
                    last = r;
                    reverse.insert({r, s});
                });
            }
            CHECK(forward.size() > 720);
            CHECK(forward == reverse);
            // Restricted to a range of rows (a partition's), the same pairs within it.
            pairs part;
            for (std::uint32_t s = 0; s < source_units; ++s)
                w.for_each_reaching(s, 250, 497, [&](std::size_t r) { part.insert({r, s}); });
            pairs want;
            for (const auto& p : forward)
                if (p.first >= 250 && p.first < 497) want.insert(p);
            CHECK(part == want);

            // The synapses of a rule: by rows and by sources, the same.
            const procedural_synapses rule(11, 0, 720, source_units, radius, 36.0 / 20.0, 5, 1.0f, false);
            pairs rows_side, sources_side;
            std::vector<std::uint32_t> listed;
            std::vector<float> listed_weights;
            for (std::size_t r = 0; r < 720; ++r) {
                std::vector<std::uint32_t> walked;
                rule.for_each_in_row(r, [&](std::uint32_t s, float v) {
                    rows_side.insert({r, s});
                    walked.push_back(s);
                    CHECK(v == rule.weight_at(r, s));
                });
                rule.row_synapses(r, listed, listed_weights);  // the same, drawn in lanes
                CHECK(listed == walked);
                for (std::size_t e = 0; e < listed.size(); ++e) CHECK(listed_weights[e] == rule.weight_at(r, listed[e]));
                rule.row_sources(r, listed);  // and without the weights
                CHECK(listed == walked);
            }
            for (std::uint32_t s = 0; s < source_units; ++s) {
                std::size_t n = 0;
                rule.for_each_target(s, 0, 720, [&](std::size_t r) {
                    sources_side.insert({r, s});
                    ++n;
                });
                CHECK(rule.out_degree(s) == n);
            }
            CHECK(rows_side.size() < forward.size());
            CHECK(rows_side == sources_side);
            // The kernels size their buffers by candidates_bound(): no field exceeds it.
            for (std::size_t r = 0; r < 720; ++r) CHECK(rule.window.count(rule.window.field(r)) <= rule.candidates_bound());
        }
}

TEST_CASE("procedural synapses: a stored independent set holds what its procedural twin regenerates, and both "
          "give the same spikes and layers with either backend at 1 and 3 partitions",
          "[procedural][event]") {
    const network_description stored_d = parse_network_description(local_network("draw = \"independent\""), "s.toml");
    const network_description proc_d =
        parse_network_description(local_network("draw = \"independent\"\nprocedural = true"), "p.toml");
    // The canonical text keeps the keys.
    CHECK(parse_network_description(format_network_description(proc_d), "x").projections[3].procedural);
    const network_model stored = init_network(stored_d, 21, "s.toml");
    const network_model proc = init_network(proc_d, 21, "p.toml");
    for (std::size_t j = 0; j < stored.net.projections.size(); ++j) {
        const weight_matrix &a = *stored.net.projections[j].weights, &b = *proc.net.projections[j].weights;
        REQUIRE(a.sparse());
        REQUIRE(!a.procedural());
        REQUIRE(b.procedural());
        CHECK(b.nnz() == 0);
        std::vector<std::uint32_t> indptr{0}, indices;
        std::vector<float> values;
        for (std::size_t r = 0; r < b.rows; ++r) {
            b.rule->for_each_in_row(r, [&](std::uint32_t s, float v) {
                indices.push_back(s);
                values.push_back(v);
            });
            indptr.push_back(static_cast<std::uint32_t>(indices.size()));
        }
        CHECK(a.indptr == indptr);
        CHECK(a.indices.widened(a.indptr) == indices);
        CHECK(a.w == values);
    }
    for (std::size_t i = 0; i < stored.net.populations.size(); ++i)
        CHECK(stored.net.populations[i].bias == proc.net.populations[i].bias);
    // The memory account: a procedural set's synapses at a few bytes in all.
    const memory_account ms = account_memory(stored.net, afferent_plan(stored.net));
    const memory_account mp = account_memory(proc.net, afferent_plan(proc.net));
    CHECK(double(mp.synapses) == Approx(double(ms.synapses)).epsilon(0.05));
    CHECK(ms.weights / double(ms.synapses) > 6.0);  // value, 16-bit source, row offsets
    CHECK((mp.weights + mp.fanouts) / double(mp.synapses) < 0.5);  // its grid-sized tables, on 30,000 synapses

    // Through a model file: no dataset, the seed at the root.
    const std::string dir = std::filesystem::temp_directory_path() / "gust_test_procedural";
    std::filesystem::create_directories(dir);
    write_network_model(dir + "/p.h5", proc);
    const network_model reread = read_network_model(dir + "/p.h5");
    {
        const h5::file f = h5::open_read(dir + "/p.h5");
        CHECK_FALSE(h5::exists(f, "/decoder/fc2/data"));
        CHECK_FALSE(h5::exists(f, "/encoder/fc2/indices"));
        CHECK(h5::read_attr_uint64_opt(f, "/", "procedural_seed") == std::optional<std::uint64_t>(21));
    }
    CHECK(std::filesystem::file_size(dir + "/p.h5") < 200000);

    const std::size_t pixels = 24 * 32;
    const auto px = shape_images(2, 24, 32);
    const image_batch batch{2, pixels, px.data(), {7, 8}};
    sim_options opt;
    opt.cycles = 4;
    opt.record = {1, 2, 3};  // the graded layers but the context, which the event backend computes on demand
    const philox_draws draws(5);
    const auto reference = simulate(backend_kind::dense, stored.net, batch, draws, opt);
    std::size_t spikes = 0;
    for (const auto& r : reference) spikes += r.steps.size();
    CHECK(spikes > 20);
    for (const network* net : {&stored.net, &proc.net, &reread.net})
        for (backend_kind b : {backend_kind::dense, backend_kind::event})
            for (std::size_t parts : {1u, 3u}) {
                INFO((net == &stored.net ? "stored" : net == &proc.net ? "procedural" : "procedural, re-read")
                     << ", " << backend_name(b) << ", partitions " << parts);
                sim_options o = opt;
                o.partitions = parts;
                o.threads = parts == 1 ? 1 : 2;
                event_stats st;
                const auto got = b == backend_kind::event ? simulate_event(*net, batch, draws, o, {}, &st)
                                                          : simulate(b, *net, batch, draws, o);
                REQUIRE(got.size() == reference.size());
                for (std::size_t i = 0; i < got.size(); ++i) {
                    CHECK(got[i].steps == reference[i].steps);
                    CHECK(got[i].neurons == reference[i].neurons);
                    CHECK(got[i].recorded == reference[i].recorded);
                }
                if (b == backend_kind::event) CHECK(st.row_updates > 0);  // rows recomputed one by one
            }
    std::filesystem::remove_all(dir);
}

TEST_CASE("procedural synapses: what cannot be done is refused in one line naming the file, the line and the key",
          "[procedural][bad-input]") {
    auto refused = [](const std::string& text, const std::string& a, const std::string& b) {
        CHECK_THROWS_WITH(parse_network_description(text, "net.toml"), Catch::Contains(a) && Catch::Contains(b));
    };
    const std::string fixed = local_network("procedural = true");
    refused(fixed, "net.toml:36:", "key 'procedural' = true needs draw = \"independent\"");
    std::string dense = local_network("");
    const std::string field = "connectivity = \"local\"\nfan_in = 12\nradius = 3\n";
    dense.replace(dense.find(field), field.size(), "draw = \"independent\"\n");
    refused(dense, "net.toml:33:", "key 'draw' applies to local projections only");
    refused(local_network("draw = \"sometimes\""), "net.toml:36:", "'draw' must be one of \"fixed\", \"independent\"");
    std::string shared = local_network("");
    shared.replace(shared.find("release_p = 0.5"), 15, "release_p = 0.5\nprocedural = true");
    refused(shared, "net.toml:43:", "'procedural' does not apply to a projection that shares");
    // Built in code, the same rule holds.
    network_description d = parse_network_description(local_network(""), "net.toml");
    d.projections[0].procedural = true;
    CHECK_THROWS_WITH(validate(d, "code"), Catch::Contains("code:29:") && Catch::Contains("needs draw = \"independent\""));

    const network_model m =
        init_network(parse_network_description(local_network("draw = \"independent\"\nprocedural = true"), "p.toml"), 1, "p");
    CHECK_THROWS_WITH(learning::require_trainable(m, "p.h5"),
                      Catch::Contains("p.h5: projection 'encoder/fc1' is procedural: its synapses are not stored; "
                                      "set procedural = false to train it"));
    CHECK_THROWS_WITH(learning::average_models({m, m}, {"a.h5", "b.h5"}),
                      Catch::Contains("a.h5: projection 'encoder/fc1' is procedural") &&
                          Catch::Contains("to average it"));
}

TEST_CASE("procedural synapses: gust init writes no synapses, and run, compare, topology read them back, while "
          "train and average refuse",
          "[procedural][cli]") {
    temp_dir dir;
    for (const auto& [name, extra] : {std::pair{"stored.toml", "draw = \"independent\""},
                                      std::pair{"proc.toml", "draw = \"independent\"\nprocedural = true"}}) {
        std::ofstream(dir / name) << local_network(extra);
    }
    const std::string data = dir / "d.h5";
    REQUIRE(run_gust("dataset --train-objects 3 --test-objects 3 --train-size 40 --test-size 4 --height 24 --width 32 "
                     "--out " + data, dir).status == 0);
    const auto init = run_gust("init --network " + (dir / "proc.toml") + " --seed 3 --out " + (dir / "p.h5"), dir);
    REQUIRE(init.status == 0);
    CHECK(init.out.find("synapses (procedural sets: expected)") != std::string::npos);
    REQUIRE(run_gust("init --network " + (dir / "stored.toml") + " --seed 3 --out " + (dir / "s.h5"), dir).status == 0);
    CHECK(std::filesystem::file_size(dir / "p.h5") * 4 < std::filesystem::file_size(dir / "s.h5"));
    const std::string common = " --data " + data + " --images 0:3 --cycles 4";
    REQUIRE(run_gust("run --model " + (dir / "p.h5") + common + " --out " + (dir / "a.h5"), dir).status == 0);
    REQUIRE(run_gust("run --network " + (dir / "proc.toml") + " --init-seed 3" + common + " --out " + (dir / "b.h5"), dir)
                .status == 0);
    REQUIRE(run_gust("run --model " + (dir / "s.h5") + common + " --out " + (dir / "c.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + (dir / "a.h5") + " " + (dir / "b.h5") + " /spikes /spikes", dir).status == 0);
    CHECK(run_command("h5diff " + (dir / "a.h5") + " " + (dir / "c.h5") + " /spikes /spikes", dir).status == 0);
    const auto cmp = run_gust("compare --model " + (dir / "p.h5") + common, dir);
    CHECK(cmp.status == 0);
    CHECK(cmp.out.find("identical") != std::string::npos);
    const auto topo = run_gust("topology --model " + (dir / "p.h5"), dir);
    CHECK(topo.status == 0);
    CHECK(topo.out.find("encoder/fc2 procedural, ") != std::string::npos);
    CHECK(topo.out.find("synapses (expected)") != std::string::npos);

    CHECK(refused_in_one_line(run_gust("train --init " + (dir / "p.h5") + " --data " + data + " --out " + (dir / "run"),
                                       dir),
                              "projection 'encoder/fc1' is procedural: its synapses are not stored; set procedural = "
                              "false to train it"));
    CHECK_FALSE(std::filesystem::exists(dir / "run"));
    CHECK(refused_in_one_line(
        run_gust("average --models " + (dir / "p.h5") + " " + (dir / "p.h5") + " --out " + (dir / "avg.h5"), dir),
        "to average it"));
    CHECK_FALSE(std::filesystem::exists(dir / "avg.h5"));
}
