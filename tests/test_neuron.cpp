// The GUST neuron: refractoriness, who can fire, and the firing probability.
#include <catch2/catch.hpp>

#include <cmath>

#include "neurons/gust_neuron.hpp"
#include "core/counter_rng.hpp"

using namespace gust;

TEST_CASE("neuron: a neuron that fired is silent exactly 8 steps and may fire on the 9th", "[neuron]") {
    // c + u = 1.4 > theta: the neuron fires whenever it is not refractory.
    refractory_t r = 0;
    std::vector<int> fired;
    for (int k = 0; k < 30; ++k) {
        const bool s = gust_fires(1.0f, 0.9f, 0.5f, r, 1.0f);
        if (s) fired.push_back(k);
        r = gust_refractory_next(r, s, 9);
    }
    REQUIRE(fired == std::vector<int>{0, 9, 18, 27});
}

TEST_CASE("neuron: the refractory counter is max of 0 and r - 1 + 9 s", "[neuron]") {
    CHECK(gust_refractory_next(0, true, 9) == 8);
    CHECK(gust_refractory_next(8, false, 9) == 7);
    CHECK(gust_refractory_next(1, false, 9) == 0);
    CHECK(gust_refractory_next(0, false, 9) == 0);
    CHECK_FALSE(gust_fires(1.0f, 0.99f, 0.99f, 1, 1.0f));  // refractory blocks a supra-threshold membrane
}

TEST_CASE("neuron: only pixels with input 1 ever fire", "[neuron]") {
    // With x = 0 the membrane is u < 1 = theta, whatever the context.
    const counter_rng rng(7);
    std::vector<float> u(100000);
    rng.fill_uniform(stream_id(purpose::membrane_noise), 0, 0, u.data(), u.size());
    int fired0 = 0, fired1 = 0;
    for (float v : u) {
        fired0 += gust_fires(0.0f, 0.999999f, v, 0, 1.0f);
        fired1 += gust_fires(1.0f, 0.5f, v, 0, 1.0f);
    }
    CHECK(fired0 == 0);
    CHECK(fired1 > 0);
    // The largest possible draw still cannot reach the threshold alone.
    CHECK_FALSE(gust_fires(0.0f, 0.999999f, to_unit_float(0xFFFFFFFFu), 0, 1.0f));
    CHECK_FALSE(gust_can_fire(0.0f, 0));
    CHECK_FALSE(gust_can_fire(1.0f, 3));
    CHECK(gust_can_fire(1.0f, 0));
}

TEST_CASE("neuron: firing probability equals the context within a binomial interval", "[neuron][stat]") {
    // n = 200000 trials per context value; a 5-sigma binomial interval gives a
    // false-alarm rate below 1e-6 per value (fixed seed: the test is repeatable).
    const counter_rng rng(2023);
    const std::size_t n = 200000;
    std::vector<float> u(n);
    int object = 0;
    for (float c : {0.02f, 0.1f, 0.3f, 0.5f, 0.7f, 0.95f}) {
        rng.fill_uniform(stream_id(purpose::membrane_noise, static_cast<std::uint32_t>(object++)), 0, 0, u.data(), n);
        std::size_t fires = 0;
        for (float v : u) fires += gust_fires(1.0f, c, v, 0, 1.0f);
        const double p = static_cast<double>(fires) / static_cast<double>(n);
        const double sigma = std::sqrt(c * (1.0 - c) / static_cast<double>(n));
        INFO("context " << c << " fired with rate " << p);
        CHECK(std::fabs(p - c) < 5.0 * sigma);
    }
}
