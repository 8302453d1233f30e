// Properties of the learning passes on production (Philox) draws: the
// event-based BPTT equals the dense reference, its bits do not depend on the
// thread count nor on which result object a group used, the decoder
// gradients equal finite differences where the loss is differentiable, and
// the surrogate gates switch exactly at their boundaries.
#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <cstring>
#include <numeric>

#include "io/dataset_file.hpp"
#include "learning/batch_gradient.hpp"
#include "learning/corruption.hpp"
#include "learning/dense_bptt.hpp"
#include "neurons/gust_neuron_backward.hpp"
#include "learning/training_draws.hpp"
#include "sim/engine.hpp"
#include "sim/event_backend.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;
using namespace gust::learning;

namespace {

// Corrupted training images of the reference data-set fixture.
struct sample_images {
    image_set clean;
    std::vector<float> input;
    std::vector<std::size_t> ids;
    image_inputs view;

    sample_images(std::size_t first, std::size_t count, std::uint32_t pass, std::uint64_t seed) {
        clean = read_split(std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5", "train_multi",
                           first, count);
        const std::size_t n = clean.height * clean.width;
        input.resize(clean.images.size());
        const counter_rng rng(seed);
        for (std::size_t b = 0; b < count; ++b)
            corrupt_image(rng, pass, clean.indices[b], clean.images.data() + b * n, input.data() + b * n, n,
                          default_keep_probability);
        ids = clean.indices;
        view = {count, n, input.data(), clean.images.data(), ids.data()};
    }
};

double max_abs(const std::vector<float>& v) {
    double m = 0;
    for (float x : v) m = std::max(m, static_cast<double>(std::fabs(x)));
    return m;
}

double relative_to_max(const std::vector<float>& a, const std::vector<float>& b) {
    double diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    return diff / max_abs(b);
}

}  // namespace

TEST_CASE("gradients: event-based BPTT equals the dense reference on Philox draws", "[gradients]") {
    const gust_model m = init_model({}, 11);
    const sample_images s(0, 20, training_pass(0), 5);  // two groups of images
    const training_draws draws(5, training_pass(0));
    bptt_options opt;
    opt.cycles = 8;
    const batch_result ev = batch_loss_and_gradient(m, s.view, draws, opt, 1);
    const batch_result de = dense_bptt(m, s.view, draws, opt);
    CHECK(ev.spikes == de.spikes);
    CHECK(ev.spikes > 0);
    CHECK(std::fabs(ev.loss - de.loss) / de.loss < 1e-6);
    const auto a = ev.grad.tensors();
    const auto b = de.grad.tensors();
    for (std::size_t t = 0; t < a.size(); ++t) {
        INFO(tensor_names[t] << " differs by " << relative_to_max(*a[t], *b[t]));
        CHECK(max_abs(*b[t]) > 0);
        CHECK(relative_to_max(*a[t], *b[t]) < 1e-6);
    }
}

TEST_CASE("gradients: the batch gradient has the same bits for 1 and 2 threads", "[gradients][threads]") {
    const gust_model m = init_model({}, 12);
    const sample_images s(20, 40, training_pass(3), 9);
    const training_draws draws(9, training_pass(3));
    bptt_options opt;
    const batch_result one = batch_loss_and_gradient(m, s.view, draws, opt, 1);
    const batch_result two = batch_loss_and_gradient(m, s.view, draws, opt, 2);
    CHECK(one.loss == two.loss);
    const auto a = one.grad.tensors();
    const auto b = two.grad.tensors();
    for (std::size_t t = 0; t < a.size(); ++t)
    { INFO(tensor_names[t] << " max diff " << relative_to_max(*a[t], *b[t])); CHECK(std::memcmp(a[t]->data(), b[t]->data(), a[t]->size() * sizeof(float)) == 0); }
}

TEST_CASE("gradients: a group's values are the same bits whether its result object is fresh or recycled",
          "[gradients][threads]") {
    // Six groups on 2 threads: at most four results are in flight, so later
    // groups reuse earlier groups' result objects (learning/batch_gradient.cpp).
    // Each must equal the group computed alone, in an object of its own.
    const gust_model m = init_model({}, 12);
    const sample_images s(0, 6 * images_per_group, training_pass(3), 9);
    const training_draws draws(9, training_pass(3));
    bptt_options opt;
    opt.cycles = 4;
    std::vector<group_values> together;
    group_selection all;
    all.each = [&](group_values&& v) { together.push_back(std::move(v)); };
    batch_loss_and_gradient(m, s.view, draws, opt, 2, true, all);
    REQUIRE(together.size() == 6);
    for (std::size_t g = 0; g < 6; ++g) {
        INFO("group " << g);
        group_selection one;
        one.first = g;
        one.last = g + 1;
        std::vector<group_values> alone;
        one.each = [&](group_values&& v) { alone.push_back(std::move(v)); };
        batch_loss_and_gradient(m, s.view, draws, opt, 1, true, one);
        REQUIRE(alone.size() == 1);
        CHECK(alone[0].loss.size() == images_per_group);
        CHECK(together[g].loss == alone[0].loss);
        CHECK(together[g].spikes == alone[0].spikes);
        CHECK(together[g].grad == alone[0].grad);
    }
    // The groups differ, so equal values above are not one value repeated.
    CHECK(together[0].loss != together[5].loss);
    CHECK(together[0].grad != together[5].grad);
}

// With the threshold window closed (half-width 0) no gradient flows through
// spikes, so the gradient is the true derivative of the loss wherever small
// changes of the weights flip no spike: finite differences must agree.
TEST_CASE("gradients: decoder output layer gradient matches finite differences with draws fixed", "[gradients][fd]") {
    gust_model m = init_model({}, 21);
    const sample_images s(60, 4, training_pass(1), 3);
    const training_draws draws(3, training_pass(1));
    bptt_options opt;
    opt.cycles = 3;
    opt.surrogate_half_width = 0.0f;
    const batch_result r = batch_loss_and_gradient(m, s.view, draws, opt, 1);
    const std::vector<float> g_w = r.grad.dec2.weight, g_b = r.grad.dec2.bias;
    REQUIRE(max_abs(g_w) > 0);

    // Loss (and spike count) at W4 + eps * direction, in double from the forward.
    const std::vector<float> w0 = m.dec2.weight, b0 = m.dec2.bias;
    auto loss_at = [&](const std::vector<float>& dw, const std::vector<float>& db, double eps, std::size_t& spikes) {
        for (std::size_t i = 0; i < w0.size(); ++i) m.dec2.weight[i] = w0[i] + static_cast<float>(eps * dw[i]);
        for (std::size_t i = 0; i < b0.size(); ++i) m.dec2.bias[i] = b0[i] + static_cast<float>(eps * db[i]);
        const batch_result x = batch_loss_and_gradient(m, s.view, draws, opt, 1, false);
        spikes = x.spikes;
        return x.loss;
    };
    // Direction: the gradient itself (normalised), and a fixed +-1 pattern.
    const double gnorm = std::sqrt(std::inner_product(g_w.begin(), g_w.end(), g_w.begin(), 0.0) +
                                   std::inner_product(g_b.begin(), g_b.end(), g_b.begin(), 0.0));
    std::vector<float> dir_w(g_w.size()), dir_b(g_b.size()), sign_w(g_w.size()), sign_b(g_b.size());
    for (std::size_t i = 0; i < g_w.size(); ++i) {
        dir_w[i] = static_cast<float>(g_w[i] / gnorm);
        sign_w[i] = ((i * 2654435761u) >> 7) % 2 ? 1.0f : -1.0f;
    }
    for (std::size_t i = 0; i < g_b.size(); ++i) {
        dir_b[i] = static_cast<float>(g_b[i] / gnorm);
        sign_b[i] = ((i * 40503u) >> 3) % 2 ? 1.0f : -1.0f;
    }
    struct probe {
        const std::vector<float>& dw;
        const std::vector<float>& db;
        double eps;
    };
    for (const probe& p : {probe{dir_w, dir_b, 1e-2}, probe{sign_w, sign_b, 2e-5}}) {
        std::size_t s_plus = 0, s_minus = 0, s0 = r.spikes;
        const double fd = (loss_at(p.dw, p.db, p.eps, s_plus) - loss_at(p.dw, p.db, -p.eps, s_minus)) / (2 * p.eps);
        double analytic = 0;
        for (std::size_t i = 0; i < g_w.size(); ++i) analytic += static_cast<double>(g_w[i]) * p.dw[i];
        for (std::size_t i = 0; i < g_b.size(); ++i) analytic += static_cast<double>(g_b[i]) * p.db[i];
        INFO("finite difference " << fd << ", analytic " << analytic);
        REQUIRE(s_plus == s0);  // no spike flipped: the loss is smooth along the probe
        REQUIRE(s_minus == s0);
        CHECK(std::fabs(fd - analytic) < 1e-2 * std::fabs(analytic));
    }
    m.dec2.weight = w0;
    m.dec2.bias = b0;
}

// With one cycle the loss reads only the decoder of the random initial line,
// so spikes cannot affect it: with the default surrogate the gradient of both
// decoder layers must be the true derivative.
TEST_CASE("gradients: one-cycle decoder gradients match finite differences with the default surrogate", "[gradients][fd]") {
    gust_model m = init_model({}, 22);
    const sample_images s(70, 3, training_pass(2), 8);
    const training_draws draws(8, training_pass(2));
    bptt_options opt;
    opt.cycles = 1;
    const batch_result r = batch_loss_and_gradient(m, s.view, draws, opt, 1);
    for (linear_layer* layer : {&m.dec1, &m.dec2}) {
        const std::vector<float>& g = layer == &m.dec1 ? r.grad.dec1.weight : r.grad.dec2.weight;
        const std::vector<float> w0 = layer->weight;
        std::vector<float> dir(w0.size());
        for (std::size_t i = 0; i < dir.size(); ++i) dir[i] = ((i * 2246822519u) >> 11) % 2 ? 1.0f : -1.0f;
        const double eps = 2e-5;
        auto loss_at = [&](double e) {
            for (std::size_t i = 0; i < w0.size(); ++i) layer->weight[i] = w0[i] + static_cast<float>(e * dir[i]);
            return batch_loss_and_gradient(m, s.view, draws, opt, 1, false).loss;
        };
        const double fd = (loss_at(eps) - loss_at(-eps)) / (2 * eps);
        layer->weight = w0;
        double analytic = 0;
        for (std::size_t i = 0; i < g.size(); ++i) analytic += static_cast<double>(g[i]) * dir[i];
        INFO("finite difference " << fd << ", analytic " << analytic);
        CHECK(std::fabs(fd - analytic) < 1e-2 * std::fabs(analytic));
    }
}

TEST_CASE("gradients: surrogate gates switch exactly at their boundaries", "[gradients][surrogate]") {
    const float theta = 1.0f, hw = default_surrogate_half_width;
    CHECK_FALSE(in_threshold_window(theta - hw, theta, hw));
    CHECK_FALSE(in_threshold_window(theta + hw, theta, hw));
    CHECK(in_threshold_window(std::nextafter(theta - hw, 2.0f), theta, hw));
    CHECK(in_threshold_window(std::nextafter(theta + hw, 0.0f), theta, hw));
    CHECK(in_threshold_window(theta, theta, hw));
    CHECK_FALSE(in_threshold_window(theta, theta, 0.0f));
    CHECK(refractory_gate_slope(0) == 1.0f);
    CHECK(refractory_gate_slope(1) == 0.0f);
    CHECK(refractory_gate_slope(8) == 0.0f);
    CHECK_FALSE(refractory_update_passes(0));
    CHECK(refractory_update_passes(1));
}

// The training forward is the simulator's model: fed the same draws, every
// layer it computes holds the dense backend's bits at that step (the same
// kernels in the same order), so it fires the event backend's spikes.
TEST_CASE("gradients: the training forward computes the backends' values and fires their spikes", "[gradients][forward]") {
    const gust_model m = init_model({}, 31);
    const sample_images s(100, 12, training_pass(0), 6);
    const philox_draws draws(13);
    bptt_options opt;
    opt.cycles = 8;
    const train_weights w(m);
    forward_tape tape;
    train_forward(w, s.view, draws, opt, tape);

    image_batch batch{s.view.count, s.view.n, s.view.input, s.ids};
    sim_options so;
    so.cycles = opt.cycles;
    so.threads = 1;
    const network net = paper_network(m);
    const auto records = simulate_event(net, batch, draws, so);
    std::size_t total = 0;
    for (std::size_t b = 0; b < s.view.count; ++b) {
        std::vector<std::pair<std::int64_t, std::uint32_t>> mine, theirs;
        for (const auto& v : tape.visits[b])
            if (v.spiked) mine.emplace_back(v.step, v.neuron);
        for (std::size_t j = 0; j < records[b].steps.size(); ++j) theirs.emplace_back(records[b].steps[j], records[b].neurons[j]);
        std::sort(mine.begin(), mine.end());
        CHECK(mine == theirs);
        total += theirs.size();
    }
    CHECK(total == tape.spikes);
    CHECK(total > 0);

    // Layer by layer against the dense backend, bit for bit: the decoder, the
    // hidden layer (every cycle but the last), the last cycle's context, and
    // the context of every visited (neuron, step).
    const auto T = static_cast<std::size_t>(m.T);
    std::size_t differing = 0, compared = 0, visited = 0;
    auto same = [&](const float* a, const float* b, std::size_t n) {
        compared += n;
        differing += std::memcmp(a, b, n * sizeof(float)) != 0;
    };
    std::vector<std::size_t> next_visit(s.view.count, 0);
    make_engine(backend_kind::dense, net)->run(batch, draws, so, [&](const step_view& v) {
        const std::size_t it = static_cast<std::size_t>(v.step) / T, col = v.image * T + static_cast<std::size_t>(v.step) % T;
        const auto c = static_cast<Eigen::Index>(col);
        same(v.outputs[paper_populations::dec1], tape.dec1_out[it].col(c).data(), w.Md);
        if (it + 1 < static_cast<std::size_t>(opt.cycles))
            same(v.outputs[paper_populations::hidden], tape.hidden[it].col(c).data(), w.H);
        else
            same(v.outputs[paper_populations::context], tape.context_last.col(c).data(), w.N);
        const auto& visits = tape.visits[v.image];
        for (std::size_t& j = next_visit[v.image]; j < visits.size() && visits[j].step == v.step; ++j, ++visited)
            differing += visits[j].context != v.outputs[paper_populations::context][visits[j].neuron];
    });
    CHECK(differing == 0);
    CHECK(compared > 0);
    CHECK(visited == [&] { std::size_t n = 0; for (const auto& v : tape.visits) n += v.size(); return n; }());
}
