// The event backend against the dense one: identical spikes (and identical
// recorded layer outputs) bit for bit, over seeds, models, sizes, release
// probabilities, quiet and busy regimes, and thread counts.
#include <catch2/catch.hpp>

#include <algorithm>

#include "io/dataset_file.hpp"
#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {

std::vector<float> shape_images(std::size_t count, std::size_t h, std::size_t w, std::uint64_t seed) {
    shapes_dataset_spec spec;
    spec.height = h;
    spec.width = w;
    spec.seed = seed;
    const auto split = shapes_splits(spec)[2];
    std::vector<float> px(count * h * w), lab(h * w);
    for (std::size_t i = 0; i < count; ++i) shapes_image(spec, split, i, px.data() + i * h * w, lab.data());
    return px;
}

// Shape images on a fresh paper network with its draws: the setting of the
// determinism tests below.
struct paper_setting {
    std::vector<float> px;
    gust_model m;
    network net;
    image_batch batch;
    philox_draws draws;
    paper_setting(std::size_t images, std::uint64_t image_seed, std::uint64_t model_seed, std::uint64_t draw_seed)
        : px(shape_images(images, 28, 28, image_seed)),
          m(init_model({}, model_seed)),
          net(paper_network(m)),
          batch{images, 784, px.data(), {}},
          draws(draw_seed) {}
    paper_setting(const paper_setting&) = delete;  // batch points into px
};

struct comparison {
    std::size_t spikes = 0;
    event_stats stats;
};

comparison expect_identical(const gust_model& m, const std::vector<float>& px, std::uint64_t seed, int cycles,
                            int threads = 1) {
    const network net = paper_network(m);
    const std::size_t n = m.n_pixels();
    image_batch batch{px.size() / n, n, px.data(), {}};
    for (std::size_t i = 0; i < batch.count; ++i) batch.ids.push_back(100 + i);
    sim_options opt;
    opt.cycles = cycles;
    opt.threads = threads;
    opt.record = {paper_populations::hidden, paper_populations::enc1};
    const philox_draws draws(seed);
    comparison c;
    const auto dense = simulate_dense(net, batch, draws, opt);
    const auto event = simulate_event(net, batch, draws, opt, {}, &c.stats);
    REQUIRE(dense.size() == event.size());
    for (std::size_t b = 0; b < dense.size(); ++b) {
        INFO("image " << b);
        REQUIRE(dense[b].steps == event[b].steps);
        REQUIRE(dense[b].neurons == event[b].neurons);
        REQUIRE(dense[b].recorded == event[b].recorded);  // bitwise: float ==
        c.spikes += dense[b].steps.size();
    }
    return c;
}

}  // namespace

TEST_CASE("event: identical to dense on the paper network for several seeds and models", "[event]") {
    const auto px = shape_images(3, 28, 28, 1);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const auto c = expect_identical(init_model({}, seed * 7), px, seed, 6);
        CHECK(c.spikes > 0);
    }
}

TEST_CASE("event: identical to dense on other sizes and parameters", "[event]") {
    const auto px = shape_images(4, 14, 16, 5);
    for (float p : {0.0f, 0.3f, 1.0f}) {
        for (int tau : {1, 3, 9}) {
            gust_model m = init_model({14, 16, 30, 40, 7}, 11);
            m.release_p = p;
            m.refractory = tau;
            INFO("release_p " << p << " refractory " << tau);
            const auto c = expect_identical(m, px, 3, 5);
            CHECK(c.spikes > 0);
        }
    }
}

TEST_CASE("event: identical to dense in a quiet regime where layers rest", "[event]") {
    // A strongly negative output bias makes contexts tiny: most steps have no
    // spike, so the rest values and the cached decoder output are exercised.
    gust_model m = init_model({}, 4);
    for (float& b : m.dec2.bias) b -= 8.0f;
    const auto px = shape_images(3, 28, 28, 2);
    const auto c = expect_identical(m, px, 9, 8);
    CHECK(c.spikes > 0);
    CHECK(c.stats.rest_layer_steps > c.stats.steps);  // several layers rest on most steps
}

TEST_CASE("event: identical to dense with all-black and all-white images", "[event]") {
    const gust_model m = init_model({8, 8, 12, 16, 5}, 2);
    std::vector<float> px(2 * 64, 0.0f);
    std::fill(px.begin() + 64, px.end(), 1.0f);
    const auto c = expect_identical(m, px, 1, 4);
    CHECK(c.spikes > 0);
}

TEST_CASE("event: results do not depend on the thread count", "[event][determinism]") {
    const paper_setting p(8, 3, 1, 4);
    std::vector<std::vector<image_record>> runs;
    for (int threads : {1, 2, 4}) {
        sim_options opt;
        opt.cycles = 3;
        opt.threads = threads;
        runs.push_back(simulate_event(p.net, p.batch, p.draws, opt));
    }
    for (std::size_t r = 1; r < runs.size(); ++r)
        for (std::size_t b = 0; b < 8; ++b) {
            CHECK(runs[r][b].steps == runs[0][b].steps);
            CHECK(runs[r][b].neurons == runs[0][b].neurons);
        }
}

TEST_CASE("event and dense: a longer run begins with exactly the spikes of a shorter one", "[event][determinism]") {
    // Draws are keyed by step, never by the run's length, so simulating 5
    // cycles reproduces the 3-cycle run's spikes before going on (what lets a
    // 60-cycle report be compared with a 30-cycle one at the same cycle).
    const paper_setting p(4, 5, 2, 6);
    for (bool event : {false, true}) {
        auto run = [&](int cycles) {
            sim_options opt;
            opt.cycles = cycles;
            return event ? simulate_event(p.net, p.batch, p.draws, opt) : simulate_dense(p.net, p.batch, p.draws, opt);
        };
        const auto shorter = run(3), longer = run(5);
        const std::int64_t end = 3 * p.m.T;
        for (std::size_t b = 0; b < 4; ++b) {
            INFO((event ? "event" : "dense") << " backend, image " << b);
            std::vector<std::int64_t> steps;
            std::vector<std::uint32_t> neurons;
            for (std::size_t k = 0; k < longer[b].steps.size(); ++k)
                if (longer[b].steps[k] < end) {
                    steps.push_back(longer[b].steps[k]);
                    neurons.push_back(longer[b].neurons[k]);
                }
            REQUIRE(!shorter[b].steps.empty());
            CHECK(steps.size() < longer[b].steps.size());  // the longer run did go on
            CHECK(std::equal(steps.begin(), steps.end(), shorter[b].steps.begin(), shorter[b].steps.end()));
            CHECK(std::equal(neurons.begin(), neurons.end(), shorter[b].neurons.begin(), shorter[b].neurons.end()));
        }
    }
}

TEST_CASE("event: results do not depend on the number of partitions or threads", "[event][determinism]") {
    const paper_setting p(3, 6, 8, 2);
    sim_options opt;
    opt.cycles = 4;
    opt.threads = 1;
    opt.record = {paper_populations::hidden};
    const auto reference = simulate_dense(p.net, p.batch, p.draws, opt);
    for (std::size_t parts : {1u, 2u, 3u, 7u})
        for (int threads : {1, 2, 4}) {
            opt.partitions = parts;
            opt.threads = threads;
            const auto r = simulate_event(p.net, p.batch, p.draws, opt);
            for (std::size_t b = 0; b < 3; ++b) {
                INFO("partitions " << parts << " threads " << threads << " image " << b);
                CHECK(r[b].steps == reference[b].steps);
                CHECK(r[b].neurons == reference[b].neurons);
                CHECK(r[b].recorded == reference[b].recorded);
            }
        }
}

TEST_CASE("event: identical to dense on random sparse networks of other sizes", "[event][sparse]") {
    struct shape_case {
        model_sizes sizes;
        std::size_t objects;
    };
    const shape_case cases[] = {{{32, 40, 64, 96, 10, 8}, 4}, {{48, 48, 100, 300, 6, 24}, 8}, {{20, 24, 40, 50, 10, 50}, 3}};
    for (const auto& c : cases) {
        gust_model m = init_model(c.sizes, 3);
        REQUIRE(m.enc1.sparse() == (c.sizes.sparse_fan_in < m.enc1.in));
        // Enough drive that these random networks spike.
        for (float& b : m.dec2.bias) b += 1.0f;
        shapes_dataset_spec spec;
        spec.height = c.sizes.height;
        spec.width = c.sizes.width;
        spec.n_test = c.objects;
        const auto split = shapes_splits(spec)[2];
        const std::size_t n = c.sizes.height * c.sizes.width;
        std::vector<float> px(2 * n), lab(n);
        for (std::size_t i = 0; i < 2; ++i) shapes_image(spec, split, i, px.data() + i * n, lab.data());
        INFO("network " << c.sizes.height << "x" << c.sizes.width << " fan-in " << c.sizes.sparse_fan_in);
        const auto r = expect_identical(m, px, 5, 5);
        CHECK(r.spikes > 0);
        // And with partitions, whose sparse fan-out is split by target rows.
        const network net = paper_network(m);
        sim_options opt;
        opt.cycles = 5;
        opt.partitions = 3;
        image_batch batch{2, n, px.data(), {100, 101}};
        const philox_draws draws(5);
        const auto dense = simulate_dense(net, batch, draws, opt), event = simulate_event(net, batch, draws, opt);
        for (std::size_t b = 0; b < 2; ++b) CHECK(dense[b].neurons == event[b].neurons);
    }
}

TEST_CASE("event: identical to dense on sparse networks with local receptive fields", "[event][sparse]") {
    // Local fields keep most rows of each layer at rest, so the event backend
    // recomputes single rows (and pulls decoder rows on demand): the paths
    // that must still give the dense backend's bits.
    for (std::uint64_t seed : {1u, 6u}) {
        model_sizes sizes{64, 64, 256, 1024, 10, 16};
        sizes.receptive_field = 3;
        gust_model m = init_model(sizes, 9);
        for (float& b : m.dec2.bias) b += 1.0f;
        // Each unit draws from its 7 x 7 neighbourhood on the source grid.
        const std::size_t r = 700;  // a unit of enc1 (32 x 32 grid over 64 x 64 pixels)
        for (std::uint32_t s = m.enc1.indptr[r]; s < m.enc1.indptr[r + 1]; ++s) {
            const long py = static_cast<long>(m.enc1.indices[s] / 64), px = static_cast<long>(m.enc1.indices[s] % 64);
            CHECK(std::abs(py - (2 * static_cast<long>(r / 32) + 1)) <= 3);
            CHECK(std::abs(px - (2 * static_cast<long>(r % 32) + 1)) <= 3);
        }
        const auto px = shape_images(2, 64, 64, seed);
        INFO("image seed " << seed);
        const auto c = expect_identical(m, px, 4, 4);
        CHECK(c.spikes > 0);
        CHECK(c.stats.row_updates > 0);
        CHECK(c.stats.pulled_rows > 0);  // decoder rows, for the context rows pulled
        // The rows summed from lists: the hidden rows recomputed, the context
        // rows and the decoder rows they pull; in runs, fewer than rows.
        CHECK(c.stats.listed_rows > c.stats.pulled_rows);
        CHECK(c.stats.listed_rows <= c.stats.row_updates + c.stats.pulled_rows + c.stats.context_rows);
        CHECK(c.stats.listed_runs > 0);
        CHECK(c.stats.listed_runs < c.stats.listed_rows);
        const network net = paper_network(m);
        sim_options opt;
        opt.cycles = 4;
        opt.partitions = 3;
        opt.threads = 2;
        opt.record = {paper_populations::hidden, paper_populations::enc1};
        const philox_draws draws(4);
        // Each partition finds and computes its own changed rows: the layers
        // must still come out whole and exact.
        event_stats parted;
        const auto dense = simulate_dense(net, image_batch{2, 64 * 64, px.data(), {100, 101}}, draws, opt);
        const auto event = simulate_event(net, image_batch{2, 64 * 64, px.data(), {100, 101}}, draws, opt, {}, &parted);
        CHECK(parted.row_updates > 0);
        for (std::size_t b = 0; b < 2; ++b) {
            CHECK(dense[b].neurons == event[b].neurons);
            CHECK(dense[b].recorded == event[b].recorded);
        }
    }
}

TEST_CASE("event: images run in lockstep get the bits they get alone", "[event][determinism]") {
    // A batch runs four images in lockstep and computes their shared layers
    // in one pass over the weights (zero inputs of the other images added);
    // every image must still get exactly its own spikes and layer outputs.
    const gust_model m = init_model({}, 21);
    const network net = paper_network(m);
    const auto px = shape_images(6, 28, 28, 8);
    const std::size_t n = m.n_pixels();
    const philox_draws draws(3);
    sim_options opt;
    opt.cycles = 4;
    opt.threads = 1;
    opt.record = {paper_populations::enc1, paper_populations::hidden, paper_populations::dec1};
    const event_engine engine(net);
    const auto batch = engine.run(image_batch{6, n, px.data(), {40, 41, 42, 43, 44, 45}}, draws, opt);
    for (std::size_t i = 0; i < 6; ++i) {
        INFO("image " << i);
        const auto alone = engine.run(image_batch{1, n, px.data() + i * n, {40 + i}}, draws, opt);
        CHECK(batch[i].steps == alone[0].steps);
        CHECK(batch[i].neurons == alone[0].neurons);
        CHECK(batch[i].recorded == alone[0].recorded);
        CHECK_FALSE(batch[i].steps.empty());
    }
}

TEST_CASE("event: a ReLU row that spikes reach but leave at rest sends no change to the rows reading it",
          "[event][sparse]") {
    // Encoder biases far below zero keep every encoder row at its rest value
    // 0 whatever spikes reach it. The rows the spikes reach are recomputed,
    // but none changed, so no hidden row is found dirty: the rows recomputed
    // are exactly the encoder rows reached, those of this step's spikes and
    // (the copy always released) of the last step's.
    model_sizes sizes{64, 64, 256, 1024, 10, 16};
    sizes.receptive_field = 3;
    gust_model m = init_model(sizes, 9);
    m.release_p = 1.0f;
    for (float& b : m.dec2.bias) b += 1.0f;
    for (float& b : m.enc1.bias) b = -100.0f;
    const auto px = shape_images(1, 64, 64, 1);
    const auto c = expect_identical(m, px, 4, 3);
    REQUIRE(c.spikes > 0);

    // The encoder rows each pixel reaches, and the hidden rows each encoder row reaches.
    auto fan_out = [](const linear_layer& L) {
        std::vector<std::vector<std::uint32_t>> out(L.in);
        for (std::uint32_t r = 0; r < L.out; ++r)
            for (std::uint32_t s = L.indptr[r]; s < L.indptr[r + 1]; ++s) out[L.indices[s]].push_back(r);
        return out;
    };
    const auto enc1_of = fan_out(m.enc1), hidden_of = fan_out(m.enc2);
    const network net = paper_network(m);
    sim_options opt;
    opt.cycles = 3;
    const philox_draws draws(4);
    const auto rec = simulate_event(net, image_batch{1, 64 * 64, px.data(), {100}}, draws, opt)[0];
    std::size_t reached = 0, hidden_reached = 0;
    for (std::int64_t k = 0; k < 3 * m.T; ++k) {
        std::vector<char> hit(m.enc1.out, 0), hidden_hit(m.enc2.out, 0);
        for (std::size_t j = 0; j < rec.steps.size(); ++j)
            if (rec.steps[j] == k || rec.steps[j] == k - 1)
                for (std::uint32_t r : enc1_of[rec.neurons[j]]) hit[r] = 1;
        const auto n = static_cast<std::size_t>(std::count(hit.begin(), hit.end(), 1));
        REQUIRE(n <= m.enc1.out / 4);  // listed rows, not the whole layer
        reached += n;
        for (std::uint32_t r = 0; r < m.enc1.out; ++r)
            if (hit[r])
                for (std::uint32_t h : hidden_of[r]) hidden_hit[h] = 1;
        hidden_reached += static_cast<std::size_t>(std::count(hidden_hit.begin(), hidden_hit.end(), 1));
    }
    CHECK(hidden_reached > 0);  // rows that would be recomputed, were unchanged rows passed on
    CHECK(c.stats.row_updates == reached);
}
