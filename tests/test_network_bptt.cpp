// BPTT over any network (learning/network_bptt): on the paper network it
// reproduces the published implementation's loss and gradients; its forward
// is the simulator's, so it fires the spikes `gust run` fires; sparse weight
// sets get exactly the gradients of their stored synapses; the bits do not
// depend on threads; and following the gradient lowers the loss of a
// user-defined network.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "golden_trace.hpp"
#include "tensor_compare.hpp"
#include "io/dataset_file.hpp"
#include "io/network_toml.hpp"
#include "learning/corruption.hpp"
#include "learning/network_bptt.hpp"
#include "learning/training_draws.hpp"
#include "sim/backend.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

using namespace gust;
using namespace gust::learning;

namespace {

const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";


// Corrupted training images of the reference data set, as training sees them.
struct images {
    image_set clean;
    std::vector<float> input;
    std::vector<std::size_t> ids;
    image_inputs view;
    images(std::size_t count, std::uint64_t seed) {
        clean = read_split(std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5", "train_multi", 0,
                           count);
        const std::size_t n = clean.height * clean.width;
        input.resize(clean.images.size());
        const counter_rng rng(seed);
        for (std::size_t b = 0; b < count; ++b)
            corrupt_image(rng, 1, clean.indices[b], clean.images.data() + b * n, input.data() + b * n, n,
                          default_keep_probability);
        ids = clean.indices;
        view = {count, n, input.data(), clean.images.data(), ids.data()};
    }
};

// A user-defined network on 28x28 images: a local first layer, two decoder layers.
network_model deep_decoder(std::uint64_t seed) {
    return init_network(read_network_description(networks + "deep_decoder.toml"), seed, "deep_decoder.toml");
}

// `steps` steps of sign descent with a fixed step (Adam's early steps move
// every weight by about lr).
network_model descend(network_model m, const images& im, const training_draws& draws, const bptt_options& opt,
                      int steps) {
    for (int step = 0; step < steps; ++step) {
        const network_batch_result r = network_loss_and_gradient(m, im.view, draws, opt, 0);
        network_parameters p = parameters_of(m);
        auto move = [](std::vector<float>& v, const std::vector<float>& g) {
            for (std::size_t i = 0; i < v.size(); ++i) v[i] -= 0.001f * static_cast<float>((g[i] > 0) - (g[i] < 0));
        };
        for (std::size_t t = 0; t < p.weights.size(); ++t) move(p.weights[t].w, r.grad.weights[t]);
        for (std::size_t t = 0; t < p.biases.size(); ++t) move(p.biases[t], r.grad.biases[t]);
        m = assemble(m.description, std::move(p), "step");
    }
    return m;
}

// Two spiking layers (fast: the read-out, slow) feeding one encoder.
network_model two_spiking(std::uint64_t seed) {
    return init_network(read_network_description(networks + "two_spiking.toml"), seed, "two_spiking.toml");
}

}  // namespace

TEST_CASE("network bptt: reproduces the published implementation's loss and gradients on the paper network",
          "[network][gradients][golden]") {
    for (const char* name : {"reference_trace_init_B4_IT3.h5", "reference_trace_trained_B2_IT8.h5"}) {
        INFO(name);
        const test::golden_trace g = test::load_golden(name);
        test::recorded_draws draws(g);
        std::vector<std::size_t> ids(g.B);
        std::iota(ids.begin(), ids.end(), 0);
        const image_inputs in{g.B, g.N, g.x.data(), g.x_clean.data(), ids.data()};
        bptt_options opt;
        opt.cycles = static_cast<int>(g.IT);
        const network_model m = to_network_model(g.model);
        const network_batch_result r = network_loss_and_gradient(m, in, draws, opt, 1);

        h5::file f = h5::open_read(test::golden_path(name));
        const double loss = h5::read<double>(f, "/loss")[0];
        CHECK(std::fabs(r.loss - loss) / loss < 1e-5);
        double spikes = 0;
        for (float s : g.spike) spikes += s;
        CHECK(static_cast<double>(r.spikes) == spikes);
        // Weight sets in file order are the published layers; biases belong to their target populations.
        const char* layers[] = {"/encoder/fc1", "/encoder/fc2", "/decoder/fc1", "/decoder/fc2"};
        const std::size_t targets[] = {paper_populations::enc1, paper_populations::hidden, paper_populations::dec1,
                                       paper_populations::context};
        for (std::size_t l = 0; l < 4; ++l) {
            INFO(layers[l]);
            CHECK(test::relative_to_max(r.grad.weights[l], h5::read<float>(f, std::string("/grad") + layers[l] + "/weight")) < 1e-3);
            CHECK(test::relative_to_max(r.grad.biases[targets[l]], h5::read<float>(f, std::string("/grad") + layers[l] + "/bias")) <
                  1e-3);
        }
    }
}

TEST_CASE("network bptt: the training forward fires the spikes the simulator fires, on every kind of network",
          "[network][gradients][forward]") {
    // The paper network, a sparse receptive-field network, a user-defined one
    // with an extra graded layer and one with two spiking populations.
    model_sizes local{28, 28, 64, 784, 10};
    local.sparse_fan_in = 16;
    local.receptive_field = 3;
    const network_model models[] = {to_network_model(init_model({}, 3)), init_network(paper_description(local), 3, "t"),
                                    deep_decoder(3), two_spiking(3)};
    images im(6, 2);
    const training_draws draws(2, training_pass(0));
    bptt_options opt;
    opt.cycles = 3;
    for (const network_model& m : models) {
        INFO(m.net.populations.size() << " populations");
        const network_batch_result r = network_loss_and_gradient(m, im.view, draws, opt, 1);
        sim_options so;
        so.cycles = 3;
        const image_batch batch{im.view.count, im.view.n, im.view.input, im.ids};
        std::size_t spikes = 0;
        for (const auto& rec : simulate(backend_kind::event, m.net, batch, draws, so)) spikes += rec.steps.size();
        CHECK(spikes > 50);
        CHECK(r.spikes == spikes);
        CHECK(std::isfinite(r.loss));
        // The tape holds less than a dense [steps, units] one would.
        CHECK(r.tape_bytes < r.dense_tape_bytes);
    }
}

TEST_CASE("network bptt: a sparse weight set gets exactly the gradients of its stored synapses",
          "[network][gradients][sparse]") {
    const network_model sparse = deep_decoder(5);
    REQUIRE(sparse.net.projections[0].weights->sparse());
    // The same network with encoder/fc1 stored dense (zeros where there is no synapse).
    network_parameters p = parameters_of(sparse);
    weight_matrix& w = p.weights[0];
    std::vector<float> dense(w.rows * w.cols, 0.0f);
    for (std::size_t r = 0; r < w.rows; ++r)
        for (std::uint32_t s = w.indptr[r]; s < w.indptr[r + 1]; ++s) dense[r * w.cols + w.indices.at(r, s)] = w.w[s];
    const weight_matrix csr = w;
    w = weight_matrix{w.rows, w.cols, dense, {}, {}, nullptr};
    network_description d = sparse.description;
    const network_model as_dense = assemble(d, std::move(p), "dense copy");

    images im(4, 7);
    const training_draws draws(7, training_pass(2));
    bptt_options opt;
    opt.cycles = 3;
    const network_batch_result a = network_loss_and_gradient(sparse, im.view, draws, opt, 1);
    const network_batch_result b = network_loss_and_gradient(as_dense, im.view, draws, opt, 1);
    CHECK(a.spikes == b.spikes);
    CHECK(a.loss == b.loss);
    std::size_t nonzero = 0;
    for (std::size_t r = 0; r < csr.rows; ++r)
        for (std::uint32_t s = csr.indptr[r]; s < csr.indptr[r + 1]; ++s) {
            CHECK(a.grad.weights[0][s] == b.grad.weights[0][r * csr.cols + csr.indices.at(r, s)]);
            nonzero += a.grad.weights[0][s] != 0.0f;
        }
    CHECK(nonzero > 100);
    for (std::size_t t = 1; t < a.grad.weights.size(); ++t) CHECK(a.grad.weights[t] == b.grad.weights[t]);
    CHECK(a.grad.biases == b.grad.biases);
}

TEST_CASE("network bptt: the same bits for 1 and 2 threads", "[network][gradients][threads]") {
    const network_model m = deep_decoder(1);
    images im(20, 3);  // three groups of images
    const training_draws draws(3, training_pass(0));
    bptt_options opt;
    opt.cycles = 2;
    const network_batch_result one = network_loss_and_gradient(m, im.view, draws, opt, 1);
    const network_batch_result two = network_loss_and_gradient(m, im.view, draws, opt, 2);
    CHECK(one.loss == two.loss);
    CHECK(one.grad.weights == two.grad.weights);
    CHECK(one.grad.biases == two.grad.biases);
}

TEST_CASE("network bptt: descending the gradient lowers a user-defined network's loss", "[network][gradients][descent]") {
    network_model m = deep_decoder(11);
    images im(8, 4);  // one group: twenty descent steps are most of the sanitised suites' time
    const training_draws draws(4, training_pass(0));
    bptt_options opt;
    opt.cycles = 2;
    const double first = network_loss_and_gradient(m, im.view, draws, opt, 0, false).loss;
    m = descend(std::move(m), im, draws, opt, 20);
    const double last = network_loss_and_gradient(m, im.view, draws, opt, 0, false).loss;
    INFO("loss " << first << " -> " << last);
    CHECK(last < 0.93 * first);  // 20% lower with these seeds
}

TEST_CASE("network bptt: a network that cannot be trained is refused with the reason", "[network][bad-input]") {
    network_description d = read_network_description(networks + "deep_decoder.toml");
    d.populations[0].theta = 0.5f;
    CHECK_THROWS_WITH(require_trainable(init_network(d, 1, "t"), "net.toml"),
                      Catch::Contains("net.toml") && Catch::Contains("theta >= 1"));
}

TEST_CASE("network bptt: with two spiking populations the gradient reaches the second one's context and lowers the loss",
          "[network][gradients][descent]") {
    network_model m = two_spiking(5);
    images im(16, 6);  // two groups of eight, so that two threads compute them at once
    const training_draws draws(6, training_pass(0));
    bptt_options opt;
    opt.cycles = 2;
    // decoder/slow (weight set 5) reaches the loss only through the slow
    // layer's spikes, the encoder and the delay line.
    const network_batch_result first = network_loss_and_gradient(m, im.view, draws, opt, 0);
    std::size_t reached = 0;
    for (float g : first.grad.weights[5]) reached += g != 0.0f;
    CHECK(reached > 100);
    const network_batch_result two = network_loss_and_gradient(m, im.view, draws, opt, 2);
    CHECK(first.grad.weights == two.grad.weights);
    // The descent on the first group alone, as in the test above.
    const images few(8, 6);
    const double before = network_loss_and_gradient(m, few.view, draws, opt, 0, false).loss;
    m = descend(std::move(m), few, draws, opt, 20);
    const double last = network_loss_and_gradient(m, few.view, draws, opt, 0, false).loss;
    INFO("loss " << before << " -> " << last);
    CHECK(last < 0.95 * before);
}
