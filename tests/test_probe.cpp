// Probes (sim/probe.hpp): what both backends record besides spikes, for
// chosen units, steps and variables, bit for bit the same, and equal to what
// an observer of the dense backend sees at those steps.
#include <catch2/catch.hpp>

#include "analysis/model_grouping.hpp"
#include "io/network_toml.hpp"
#include "sim/engine.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {

struct setting {
    image_set images = analysis::fresh_shape_images(3, 4, 21, 28, 28);
    gust_model m = init_model({}, 5);
    network net = paper_network(m);
    image_batch batch{images.count, 784, images.images.data(), images.indices};
};

std::vector<probe> probes() {
    probe context(paper_populations::context);  // the context some pixels see, every 3rd step from 7
    context.units = {0, 100, 400, 401, 783};
    context.first_step = 7;
    context.end_step = 50;
    context.stride = 3;
    probe spikes(paper_populations::pixels);     // spikes as 0/1, all pixels
    probe refractory(paper_populations::pixels);
    refractory.var = probe::variable::refractory;
    refractory.units = {300, 301, 302, 330, 331};
    probe hidden(paper_populations::hidden);     // a whole graded layer
    hidden.first_step = 55;
    return {context, spikes, refractory, hidden};
}

}  // namespace

TEST_CASE("probes: both backends record the same selected values, whatever the threads and partitions", "[probe]") {
    setting s;
    sim_options opt;
    opt.cycles = 6;
    opt.record = probes();
    const philox_draws draws(4);
    const auto dense = make_engine(backend_kind::dense, s.net)->run(s.batch, draws, opt);
    for (std::size_t partitions : {1, 3}) {
        opt.partitions = partitions;
        opt.threads = partitions == 1 ? 1 : 2;
        const auto event = make_engine(backend_kind::event, s.net, opt)->run(s.batch, draws, opt);
        for (std::size_t i = 0; i < dense.size(); ++i) {
            REQUIRE(event[i].recorded.size() == 4);
            for (std::size_t r = 0; r < 4; ++r) CHECK(event[i].recorded[r] == dense[i].recorded[r]);
        }
    }
    // Sizes: selected units x recorded steps.
    CHECK(dense[0].recorded[0].size() == 5 * 15);  // steps 7, 10, ..., 49
    CHECK(dense[0].recorded[1].size() == 784 * 60);
    CHECK(dense[0].recorded[2].size() == 5 * 60);
    CHECK(dense[0].recorded[3].size() == 400 * 5);
}

TEST_CASE("probes: a demand-driven population whose source is demand-driven too is recorded whole, as the dense backend",
          "[probe]") {
    // On a local sparse network the event backend pulls the context's rows
    // on demand, and the decoder rows they read on demand too: recording the
    // whole context must pull every row, not compute the layer from a
    // source that was never computed whole.
    network_description d = read_network_description(std::string(GUST_SOURCE_DIR) + "/examples/networks/sparse_local_128.toml");
    d.height = d.width = 32;
    for (auto& pop : d.populations)
        if (pop.size == 128 * 128) pop.size = 32 * 32;
    for (auto& pop : d.populations)
        if (pop.name == "hidden") pop.size = 128;
    const network_model m = init_network(d, 3, "t");
    const image_set images = analysis::fresh_shape_images(2, 4, 9, 32, 32);
    const image_batch batch{images.count, 32 * 32, images.images.data(), images.indices};
    sim_options opt;
    opt.cycles = 3;
    probe part(4);
    part.units = {0, 5, 500};
    opt.record = {probe(4), probe(3), part};  // the context whole, the decoder layer whole, a few context rows
    const philox_draws draws(2);
    const auto dense = make_engine(backend_kind::dense, m.net)->run(batch, draws, opt);
    const auto event = make_engine(backend_kind::event, m.net, opt)->run(batch, draws, opt);
    double lit = 0;
    for (std::size_t i = 0; i < dense.size(); ++i) {
        REQUIRE(event[i].recorded.size() == 3);
        for (std::size_t r = 0; r < 3; ++r) CHECK(event[i].recorded[r] == dense[i].recorded[r]);
        for (float v : dense[i].recorded[0]) lit += v;
    }
    CHECK(lit > 0);
}

TEST_CASE("probes: the values are the network's at those steps: spikes, counters and outputs", "[probe]") {
    setting s;
    sim_options opt;
    opt.cycles = 6;
    opt.threads = 1;
    const auto ps = probes();
    opt.record = ps;
    const philox_draws draws(4);
    std::size_t checked = 0, spikes = 0, refractory_nonzero = 0;
    const auto records = make_engine(backend_kind::event, s.net, opt)->run(s.batch, draws, opt);
    sim_options plain;
    plain.cycles = 6;
    plain.threads = 1;
    std::vector<std::size_t> at(4, 0);
    std::size_t image = 0;
    make_engine(backend_kind::dense, s.net)->run(s.batch, draws, plain, [&](const step_view& v) {
        if (v.image != image) {
            image = v.image;
            std::fill(at.begin(), at.end(), 0);
        }
        const auto& rec = records[v.image].recorded;
        for (std::size_t r = 0; r < ps.size(); ++r) {
            if (!ps[r].records_step(v.step)) continue;
            const std::size_t width = ps[r].width(s.net);
            for (std::size_t j = 0; j < width; ++j) {
                const std::uint32_t u = ps[r].units.empty() ? static_cast<std::uint32_t>(j) : ps[r].units[j];
                const float want = ps[r].var == probe::variable::refractory ? static_cast<float>(v.refractory[ps[r].population][u])
                                                                             : v.outputs[ps[r].population][u];
                const float got = rec[r][at[r] * width + j];
                CHECK(got == want);
                ++checked;
                if (r == 1) spikes += got == 1.0f;
                if (r == 2) refractory_nonzero += got != 0.0f;
            }
            ++at[r];
        }
    });
    std::size_t expected_spikes = 0;
    for (const auto& rec : records) expected_spikes += rec.steps.size();
    CHECK(spikes == expected_spikes);
    CHECK(spikes > 0);
    CHECK(refractory_nonzero > 0);
    CHECK(checked > 100000);
}

TEST_CASE("probes: a probe that does not fit the network is refused", "[probe]") {
    setting s;
    sim_options opt;
    opt.cycles = 1;
    auto refused = [&](probe p, const char* why) {
        opt.record = {p};
        for (auto kind : {backend_kind::dense, backend_kind::event})
            CHECK_THROWS_WITH(make_engine(kind, s.net)->run(s.batch, philox_draws(1), opt),
                              Catch::Contains("record") && Catch::Contains(why));
    };
    probe p(paper_populations::hidden);
    p.var = probe::variable::refractory;
    refused(p, "no refractory counters");
    p = probe(paper_populations::hidden);
    p.units = {3, 400};
    refused(p, "unit 400 does not exist");
    p.units = {5, 5};
    refused(p, "ascending and distinct");
    p = probe(paper_populations::hidden);
    p.stride = 0;
    refused(p, "stride");
    p = probe(9);
    refused(p, "does not exist");
}
