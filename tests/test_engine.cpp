// The engine interface: both backends are reached by kind through one
// interface, report which they are, and a prepared engine runs any number of
// batches with the same spikes as a one-shot simulation.
#include <catch2/catch.hpp>

#include "sim/backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

TEST_CASE("engine: both backends behind one interface give the same spikes, batch after batch", "[engine]") {
    const network net = paper_network(init_model({10, 10, 12, 20, 5}, 2));
    std::vector<float> images(4 * 100, 0.0f);
    for (std::size_t i = 0; i < images.size(); i += 3) images[i] = 1.0f;
    const image_batch first{2, 100, images.data(), {0, 1}}, second{2, 100, images.data() + 200, {2, 3}};
    sim_options opt;
    opt.cycles = 4;
    const philox_draws draws(5);
    std::vector<std::unique_ptr<engine>> engines;
    for (backend_kind k : {backend_kind::dense, backend_kind::event}) {
        engines.push_back(make_engine(k, net, opt));
        CHECK(engines.back()->kind() == k);
    }
    std::size_t spikes = 0;
    for (const image_batch* b : {&first, &second}) {
        const auto dense = engines[0]->run(*b, draws, opt), event = engines[1]->run(*b, draws, opt);
        const auto once = simulate(backend_kind::event, net, *b, draws, opt);
        for (std::size_t i = 0; i < 2; ++i) {
            CHECK(dense[i].steps == event[i].steps);
            CHECK(dense[i].neurons == event[i].neurons);
            CHECK(once[i].neurons == event[i].neurons);
            spikes += dense[i].steps.size();
        }
    }
    CHECK(spikes > 20);
}
