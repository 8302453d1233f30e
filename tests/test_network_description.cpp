// Network descriptions: the shipped files parse to what `gust init`'s sizes
// build, the canonical text parses back to the same description, fresh
// weights are the paper family's bit for bit, and every kind of mistake is
// refused naming the file, the line and the key.
#include <catch2/catch.hpp>

#include <string>

#include <tbb/global_control.h>

#include "io/network_toml.hpp"
#include "sim/backend.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {

const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";

model_sizes sizes(std::size_t side, std::size_t inner, std::size_t hidden, std::size_t fan_in, std::size_t field) {
    model_sizes s{side, side, hidden, inner, 10};
    s.sparse_fan_in = fan_in;
    s.receptive_field = field;
    return s;
}

// The same weights and biases, bit for bit.
void require_same_parameters(const network& a, const network& b) {
    REQUIRE(a.projections.size() == b.projections.size());
    for (std::size_t j = 0; j < a.projections.size(); ++j) {
        const weight_matrix &x = *a.projections[j].weights, &y = *b.projections[j].weights;
        CHECK(x.rows == y.rows);
        CHECK(x.cols == y.cols);
        CHECK(x.w == y.w);
        CHECK(x.indptr == y.indptr);
        CHECK(x.indices.same(y.indices, x.indptr));
    }
    for (std::size_t i = 0; i < a.populations.size(); ++i) CHECK(a.populations[i].bias == b.populations[i].bias);
}

}  // namespace

TEST_CASE("network description: the shipped paper and sparse files are the networks gust init's sizes make",
          "[network][description]") {
    const struct {
        const char* file;
        model_sizes s;
    } cases[] = {{"paper.toml", sizes(28, 512, 400, 0, 0)},
                 {"sparse_local_128.toml", sizes(128, 16384, 2048, 32, 4)},
                 {"sparse_local_256.toml", sizes(256, 65536, 8192, 64, 8)}};
    for (const auto& c : cases) {
        INFO(c.file);
        const network_description d = read_network_description(networks + c.file);
        CHECK(is_paper_shaped(d));
        CHECK(format_network_description(d) == format_network_description(paper_description(c.s)));
    }
    // Fresh weights: the description and init_model (the paper's layers) agree bit for bit.
    const network_model from_file = init_network(read_network_description(networks + "sparse_local_128.toml"), 7, "t");
    require_same_parameters(from_file.net, paper_network(init_model(sizes(128, 16384, 2048, 32, 4), 7)));
    const network_model paper = init_network(read_network_description(networks + "paper.toml"), 3, "t");
    require_same_parameters(paper.net, paper_network(init_model({}, 3)));
    const gust_model back = to_paper_model(paper, "t");
    CHECK(back.enc1.weight == init_model({}, 3).enc1.weight);
    CHECK(back.release_p == 0.5f);
}

TEST_CASE("network description: a fresh sparse model is the same on one thread as on several", "[network][description]") {
    const network_description d = read_network_description(networks + "sparse_local_128.toml");
    const network_model many = init_network(d, 5, "t");
    network_model one;
    {
        tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
        one = init_network(d, 5, "t");
    }
    REQUIRE(one.net.projections.size() == many.net.projections.size());
    for (std::size_t j = 0; j < one.net.projections.size(); ++j) {
        const weight_matrix &a = *one.net.projections[j].weights, &b = *many.net.projections[j].weights;
        CHECK(a.indptr == b.indptr);
        CHECK(a.indices.same(b.indices, a.indptr));
        CHECK(a.w == b.w);
    }
}

TEST_CASE("network description: the canonical text parses back to the same description", "[network][description]") {
    for (const char* f : {"paper.toml", "deep_decoder.toml", "sparse_local_128.toml"}) {
        INFO(f);
        const network_description d = read_network_description(networks + f);
        const std::string text = format_network_description(d);
        const network_description again = parse_network_description(text, "canonical");
        CHECK(format_network_description(again) == text);
        CHECK(again.populations.size() == d.populations.size());
        CHECK(again.projections.size() == d.projections.size());
    }
    // Values that are not round in binary come back exactly.
    network_description d = paper_description({});
    d.populations[0].theta = 1.1f;
    d.projections[1].release_p = 0.3f;
    d.projections[0].gain = 0.7f;
    const network_description again = parse_network_description(format_network_description(d), "canonical");
    CHECK(again.populations[0].theta == 1.1f);
    CHECK(again.projections[1].release_p == 0.3f);
    CHECK(again.projections[0].gain == 0.7f);
}

TEST_CASE("network description: a user-defined network with an extra graded layer simulates, event equal to dense",
          "[network][description][event]") {
    const network_description d = read_network_description(networks + "deep_decoder.toml");
    CHECK_FALSE(is_paper_shaped(d));
    const network_model m = init_network(d, 2, "t");
    REQUIRE(m.net.populations.size() == 6);
    CHECK(m.net.projections[0].weights->sparse());   // the local first encoder layer
    CHECK(m.net.projections[1].weights == m.net.projections[0].weights);  // the released copy shares it
    // Images with a few lit pixels, so that the spiking layer and every graded layer work.
    std::vector<float> images(3 * 784, 0.0f);
    for (std::size_t i = 0; i < images.size(); i += 7) images[i] = 1.0f;
    const std::vector<std::size_t> ids{0, 1, 2};
    const image_batch batch{3, 784, images.data(), ids};
    sim_options opt;
    opt.cycles = 4;
    const auto dense = simulate(backend_kind::dense, m.net, batch, philox_draws(5), opt);
    const auto event = simulate(backend_kind::event, m.net, batch, philox_draws(5), opt);
    std::size_t spikes = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(dense[i].steps == event[i].steps);
        CHECK(dense[i].neurons == event[i].neurons);
        spikes += dense[i].steps.size();
    }
    CHECK(spikes > 100);
}

TEST_CASE("network description: mistakes are refused naming the file, the line and the key",
          "[network][description][bad-input]") {
    const std::string base = R"(cycle = 10
[image]
height = 4
width = 4
[[population]]
name = "pixels"
kind = "spiking"
context = "context"
[[population]]
name = "h"
kind = "graded"
size = 8
activation = "relu"
[[population]]
name = "context"
kind = "graded"
size = "image"
[[projection]]
name = "in"
from = "pixels"
to = "h"
[[projection]]
name = "out"
from = "h"
to = "context"
delay = 2
)";
    REQUIRE_NOTHROW(parse_network_description(base, "net.toml"));
    auto refused = [&](const std::string& text, const std::string& a, const std::string& b) {
        INFO(text);
        CHECK_THROWS_WITH(parse_network_description(text, "net.toml"), Catch::Contains(a) && Catch::Contains(b));
    };
    auto replace = [&](const std::string& from, const std::string& to) {
        std::string s = base;
        const auto at = s.find(from);
        REQUIRE(at != std::string::npos);
        s.replace(at, from.size(), to);
        return s;
    };
    refused(replace("activation = \"relu\"", "activaton = \"relu\""), "net.toml:13:", "unknown key 'activaton'");
    refused(replace("activation = \"relu\"", "activation = \"tanh\""), "net.toml:13:", "'activation' must be one of");
    refused(replace("to = \"h\"", "to = \"hidden\""), "net.toml:18:", "target 'hidden' is not a population");
    refused(replace("size = 8", "size = 0"), "net.toml:12:", "'size' = 0 is outside");
    refused(replace("size = 8", "size = 8.5"), "net.toml:12:", "'size' must be an integer");
    refused(replace("delay = 2", "delay = -1"), "net.toml:26:", "'delay' = -1 is outside");
    refused(replace("delay = 2", "delay = 0"), "net.toml:18:", "key 'delay' = 0 closes a loop of projections with no delay");
    refused(replace("delay = 2", "release_p = 1.5"), "net.toml:26:", "'release_p' = 1.5 is outside [0, 1]");
    refused(replace("delay = 2", "delay = 2\nconnectivity = \"local\"\nfan_in = 4\nradius = 9"), "net.toml:22:",
            "radius 9 covers the whole source grid");
    refused(replace("delay = 2", "delay = 2\nconnectivity = \"random\""), "net.toml:22:", "needs fan_in >= 1");
    refused(replace("delay = 2", "delay = 2\nradius = 3"), "net.toml:27:", "'radius' applies to random and local");
    refused(replace("delay = 2", "delay = 2\nconnectivity = \"random\"\nfan_in = 2\nradius = 3"), "net.toml:29:", "'radius' applies to local projections only");
    refused(replace("context = \"context\"", "context = \"h\""), "net.toml:5:", "same size");
    refused(replace("context = \"context\"\n", ""), "net.toml:5:", "key 'context' is required");
    refused(replace("name = \"h\"", "name = \"context\""), "net.toml:14:", "defined twice");
    refused(replace("name = \"out\"", "name = \"in\""), "net.toml:22:", "weight set 'in' is defined twice");
    refused(replace("name = \"out\"", "name = \"a b\""), "net.toml:22:", "name 'a b' must be");
    refused(replace("kind = \"graded\"\nsize = 8", "kind = \"graded\"\nsize = 8\ntheta = 2"), "net.toml:13:",
            "'theta' applies to the spiking population only");
    refused(replace("cycle = 10", "cycle = 10\nfrobnicate = 1"), "net.toml:2:", "unknown key 'frobnicate'");
    refused(replace("cycle = 10", "cycle = 0"), "net.toml:1:", "'cycle' = 0 is outside");
    refused(replace("height = 4", "height = \"four\""), "net.toml:3:", "'height' must be an integer");
    refused(replace("[[population]]\nname = \"h\"", "[[population]]\nname = \"h\"\nname = \"g\""), "net.toml:11:",
            "redefin");
    refused(replace("kind = \"graded\"\nsize = \"image\"", "kind = \"spiking\"\ncontext = \"context\""), "net.toml",
            "context 'context' must be a graded population of the same size");
    refused(base + "[[population]]\nname = \"second\"\nkind = \"spiking\"\ncontext = \"context\"\n", "net.toml:27:",
            "context 'context' is already another spiking population's context");
    refused(replace("kind = \"spiking\"\ncontext = \"context\"", "kind = \"graded\"\nsize = \"image\""), "net.toml",
            "no spiking population");
    refused(replace("[[projection]]\nname = \"out\"", "[[projection]]\nname = \"out\"\nshares = \"in\""), "net.toml:23:",
            "'name' does not apply to a projection that shares");
    refused(base + "[[projection]]\nfrom = \"h\"\nto = \"context\"\nshares = \"in\"\n", "net.toml:27:",
            "which connects other populations");
    refused(base + "readout = \"h\"\n", "net.toml:27:", "unknown key 'readout'");  // TOML: keys after a table belong to it
    refused("readout = \"h\"\n" + base, "net.toml", "readout 'h' must be a spiking population");
    refused("", "net.toml", "no population is defined");
}

TEST_CASE("network description: files that are missing, special or huge are refused by name", "[network][bad-input]") {
    CHECK_THROWS_WITH(read_network_description("/nonexistent/net.toml"), Catch::Contains("/nonexistent/net.toml"));
    CHECK_THROWS_WITH(read_network_description("/tmp"), Catch::Contains("/tmp: not a regular file"));
}

TEST_CASE("network description: two spiking populations simulate, event equal to dense, both layers' spikes and counters",
          "[network][description][event]") {
    const network_description d = read_network_description(networks + "two_spiking.toml");
    const network_model m = init_network(d, 4, "t");
    REQUIRE(m.net.spiking == std::vector<std::size_t>{0, 1});
    REQUIRE(m.net.readout == 0);
    std::vector<float> images(3 * 784, 0.0f);
    for (std::size_t i = 0; i < images.size(); i += 5) images[i] = 1.0f;
    const std::vector<std::size_t> ids{0, 1, 2};
    const image_batch batch{3, 784, images.data(), ids};
    sim_options opt;
    opt.cycles = 4;
    // The slow layer's spikes and both layers' refractory counters, every step.
    auto refractory_of = [](std::size_t p) {
        probe r(p);
        r.var = probe::variable::refractory;
        return r;
    };
    opt.record = {probe{1}, refractory_of(0), refractory_of(1)};
    const auto dense = simulate(backend_kind::dense, m.net, batch, philox_draws(5), opt);
    double slow_spikes = 0, slow_refractory = 0;
    for (std::size_t partitions : {1u, 3u}) {
        opt.partitions = partitions;
        const auto event = simulate(backend_kind::event, m.net, batch, philox_draws(5), opt);
        for (std::size_t i = 0; i < 3; ++i) {
            INFO("partitions " << partitions << " image " << i);
            CHECK(dense[i].steps == event[i].steps);
            CHECK(dense[i].neurons == event[i].neurons);
            CHECK(dense[i].recorded == event[i].recorded);
        }
    }
    for (const auto& rec : dense) {
        for (float v : rec.recorded[0]) slow_spikes += v;
        for (float v : rec.recorded[2]) slow_refractory += v;
    }
    CHECK(slow_spikes > 100);
    // The slow layer's counters run for 15 steps after a spike.
    CHECK(slow_refractory > 10 * slow_spikes);
    // The read-out is the fast layer: its spikes are not the slow layer's.
    std::size_t fast_spikes = 0;
    for (const auto& rec : dense) fast_spikes += rec.steps.size();
    CHECK(fast_spikes > 100);
    CHECK(static_cast<double>(fast_spikes) != slow_spikes);
}
