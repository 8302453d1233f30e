// The event-based training tape: a population's steps read back exactly as
// recorded, it stores only what moved away from the base, and the refractory
// counters replayed from spike times equal the ones the simulator kept.
#include <catch2/catch.hpp>

#include "learning/event_tape.hpp"
#include "sim/dense_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;
using namespace gust::learning;

TEST_CASE("event tape: steps read back exactly and only changed entries are stored", "[tape]") {
    const std::vector<float> base{0.5f, -1.0f, 0.0f, 2.0f};
    population_tape t;
    t.reset(base.data(), base.size());
    const std::vector<std::vector<float>> steps{{0.5f, -1.0f, 0.0f, 2.0f}, {0.5f, 3.0f, 0.0f, -0.0f}, {1.0f, 1.0f, 1.0f, 1.0f}};
    for (const auto& s : steps) t.record(s.data());
    REQUIRE(t.steps() == 3);
    std::vector<float> out(4);
    for (std::int64_t k = 0; k < 3; ++k) {
        t.read(k, out.data());
        CHECK(out == steps[static_cast<std::size_t>(k)]);
    }
    CHECK(t.end(0) - t.begin(0) == 0);  // a step at rest stores nothing
    CHECK(t.end(1) - t.begin(1) == 2);
    CHECK(t.end(2) - t.begin(2) == 4);
}

TEST_CASE("event tape: refractory counters replayed from spike times equal the simulator's", "[tape]") {
    gust_model m = init_model({12, 12, 10, 16, 5}, 3);
    m.refractory = 4;
    const network net = paper_network(m);
    std::vector<float> image(144, 0.0f);
    for (std::size_t i = 0; i < image.size(); i += 2) image[i] = 1.0f;
    const image_batch batch{1, 144, image.data(), {0}};
    sim_options opt;
    opt.cycles = 6;
    const std::vector<float> zeros(144, 0.0f);
    population_tape spikes;
    spikes.reset(zeros.data(), 144);
    std::vector<std::vector<std::uint8_t>> r_after;
    simulate_dense(net, batch, philox_draws(2), opt, [&](const step_view& v) {
        spikes.record(v.outputs[paper_populations::pixels]);
        r_after.emplace_back(v.refractory[0], v.refractory[0] + 144);
    });
    std::size_t fired = 0;
    for (std::int64_t k = 0; k < spikes.steps(); ++k) fired += static_cast<std::size_t>(spikes.end(k) - spikes.begin(k));
    REQUIRE(fired > 50);
    refractory_replay replay;
    replay.reset(spikes, 144, 4);
    std::size_t mismatches = 0, nonzero = 0;
    for (std::int64_t k = spikes.steps() - 1; k >= 0; --k)
        for (std::size_t i = 0; i < 144; ++i) {
            std::uint8_t before = 0, after = 0;
            replay.at(i, k, before, after);
            const auto K = static_cast<std::size_t>(k);
            mismatches += after != r_after[K][i];
            mismatches += before != (k > 0 ? r_after[K - 1][i] : 0);
            nonzero += after != 0;
        }
    CHECK(mismatches == 0);
    CHECK(nonzero > 100);
}
