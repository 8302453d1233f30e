// Surrogate-gradient BPTT against the published implementation: fed its
// recorded draws, the event-based pass and the dense reference must reproduce
// its loss (1e-5 relative) and every parameter gradient (1e-3 of the tensor's
// largest magnitude), and agree with each other to float rounding.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "golden_trace.hpp"
#include "tensor_compare.hpp"
#include "learning/batch_gradient.hpp"
#include "learning/dense_bptt.hpp"

using namespace gust;
using namespace gust::learning;

namespace {

struct golden_gradients {
    double loss = 0;
    model_gradients grad;
};

golden_gradients load_reference_gradients(const std::string& name, const gust_model& m) {
    h5::file f = h5::open_read(test::golden_path(name));
    golden_gradients g;
    g.loss = h5::read<double>(f, "/loss")[0];
    g.grad = model_gradients::zeros_like(m);
    auto tensors = g.grad.tensors();
    for (std::size_t t = 0; t < tensors.size(); ++t) *tensors[t] = h5::read<float>(f, std::string("/grad") + tensor_names[t]);
    return g;
}


struct golden_case {
    test::golden_trace g;
    std::vector<std::size_t> ids;
    image_inputs in;
    bptt_options opt;
    explicit golden_case(const std::string& name) : g(test::load_golden(name)), ids(g.B) {
        std::iota(ids.begin(), ids.end(), 0);
        in = {g.B, g.N, g.x.data(), g.x_clean.data(), ids.data()};
        opt.cycles = static_cast<int>(g.IT);
    }
};

void check_against_reference(const std::string& name, bool event_based) {
    golden_case c(name);
    test::recorded_draws draws(c.g);
    const golden_gradients ref = load_reference_gradients(name, c.g.model);
    const batch_result r = event_based ? batch_loss_and_gradient(c.g.model, c.in, draws, c.opt, 1)
                                       : dense_bptt(c.g.model, c.in, draws, c.opt);
    double spikes = 0;
    for (float s : c.g.spike) spikes += s;
    CHECK(static_cast<double>(r.spikes) == spikes);
    CHECK(std::fabs(r.loss - ref.loss) / ref.loss < 1e-5);
    const auto mine = r.grad.tensors();
    const auto theirs = ref.grad.tensors();
    for (std::size_t t = 0; t < mine.size(); ++t) {
        INFO(tensor_names[t]);
        CHECK(test::relative_to_max(*mine[t], *theirs[t]) < 1e-3);
    }
}

}  // namespace

TEST_CASE("gradients: event-based BPTT reproduces the fresh-weights reference loss and gradients", "[gradients][golden]") {
    check_against_reference("reference_trace_init_B4_IT3.h5", true);
}

TEST_CASE("gradients: event-based BPTT reproduces the trained reference loss and gradients", "[gradients][golden]") {
    check_against_reference("reference_trace_trained_B2_IT8.h5", true);
}

TEST_CASE("gradients: dense reference BPTT reproduces the fresh-weights reference loss and gradients", "[gradients][golden]") {
    check_against_reference("reference_trace_init_B4_IT3.h5", false);
}

TEST_CASE("gradients: dense reference BPTT reproduces the trained reference loss and gradients", "[gradients][golden]") {
    check_against_reference("reference_trace_trained_B2_IT8.h5", false);
}
