// Counter-based RNG: pure function of its key, uniform, independent streams.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "core/counter_rng.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

namespace {
double correlation(const std::vector<float>& a, const std::vector<float>& b) {
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}
}  // namespace

TEST_CASE("rng: the same key gives the same stream whatever the call pattern", "[rng]") {
    const counter_rng a(42), b(42);
    std::vector<float> x(1001), y(1001);
    a.fill_uniform(stream_id(purpose::release, 3), 5, 17, x.data(), x.size());
    b.fill_uniform(stream_id(purpose::release, 3), 5, 17, y.data(), y.size());
    CHECK(x == y);
    // One draw at a time equals the vector fill (what an event backend does).
    for (std::size_t i = 0; i < x.size(); i += 37) CHECK(a.uniform(stream_id(purpose::release, 3), 5, 17, i) == x[i]);
    // A different seed, step, image or stream changes the stream.
    counter_rng c(43);
    c.fill_uniform(stream_id(purpose::release, 3), 5, 17, y.data(), y.size());
    CHECK(x != y);
    a.fill_uniform(stream_id(purpose::release, 3), 5, 18, y.data(), y.size());
    CHECK(x != y);
    a.fill_uniform(stream_id(purpose::release, 3), 6, 17, y.data(), y.size());
    CHECK(x != y);
    a.fill_uniform(stream_id(purpose::membrane_noise, 3), 5, 17, y.data(), y.size());
    CHECK(x != y);
}

TEST_CASE("rng: draws are uniform on the unit interval by chi-square with a fixed seed", "[rng][stat]") {
    const counter_rng rng(1);
    const std::size_t n = 400000, bins = 20;
    std::vector<float> x(n);
    rng.fill_uniform(stream_id(purpose::membrane_noise), 0, 0, x.data(), n);
    std::vector<double> count(bins, 0);
    for (float v : x) {
        REQUIRE(v >= 0.0f);
        REQUIRE(v < 1.0f);
        count[static_cast<std::size_t>(v * bins)] += 1;
    }
    double chi2 = 0, expected = static_cast<double>(n) / bins;
    for (double c : count) chi2 += (c - expected) * (c - expected) / expected;
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    CHECK(chi2 < 43.8);
}

TEST_CASE("rng: purposes and objects and neighbouring units are uncorrelated", "[rng][stat]") {
    // |r| of independent uniform samples of size n is below 4.5/sqrt(n) with
    // probability > 1 - 1e-5.
    const philox_draws d(9);
    const std::size_t n = 100000;
    std::vector<float> noise(n), release(n), other_pop(n), shifted(n - 1);
    d.membrane_noise(0, 0, 10, noise.data(), n);
    d.release(0, 0, 10, release.data(), n);
    d.membrane_noise(0, 1, 10, other_pop.data(), n);
    const double bound = 4.5 / std::sqrt(static_cast<double>(n));
    CHECK(std::fabs(correlation(noise, release)) < bound);
    CHECK(std::fabs(correlation(noise, other_pop)) < bound);
    std::vector<float> a(noise.begin(), noise.end() - 1), b(noise.begin() + 1, noise.end());
    CHECK(std::fabs(correlation(a, b)) < bound);
    // Neighbouring images and steps of one unit.
    std::vector<float> by_image(n), by_step(n);
    for (std::size_t i = 0; i < n; ++i) {
        by_image[i] = d.rng().uniform(stream_id(purpose::membrane_noise), i, 0, 5);
        by_step[i] = d.rng().uniform(stream_id(purpose::membrane_noise), 0, i, 5);
    }
    std::vector<float> bi(by_image.begin(), by_image.end() - 1), bi1(by_image.begin() + 1, by_image.end());
    std::vector<float> bs(by_step.begin(), by_step.end() - 1), bs1(by_step.begin() + 1, by_step.end());
    CHECK(std::fabs(correlation(bi, bi1)) < bound);
    CHECK(std::fabs(correlation(bs, bs1)) < bound);
}

TEST_CASE("rng: bounded integers are unbiased", "[rng][stat]") {
    counter_sequence seq(counter_rng(5), stream_id(purpose::dataset), 0);
    const std::uint32_t k = 3;
    const std::size_t n = 300000;
    std::vector<double> count(k, 0);
    for (std::size_t i = 0; i < n; ++i) count[seq.below(k)] += 1;
    double chi2 = 0, e = static_cast<double>(n) / k;
    for (double c : count) chi2 += (c - e) * (c - e) / e;
    CHECK(chi2 < 13.8);  // 2 degrees of freedom, P = 0.001
}

TEST_CASE("rng: a sequence continued from word w gives the words drawn after w draws", "[rng]") {
    const counter_rng rng(11);
    counter_sequence whole(rng, stream_id(purpose::weight_init, 3), 2);
    std::vector<std::uint32_t> words(64);
    for (auto& w : words) w = whole.next_u32();
    for (std::uint64_t start : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 13u, 40u}) {
        counter_sequence part(rng, stream_id(purpose::weight_init, 3), 2);
        part.seek(start);
        for (std::size_t i = start; i < words.size(); ++i) {
            INFO("start " << start << ", word " << i);
            REQUIRE(part.next_u32() == words[i]);
        }
    }
}

TEST_CASE("rng: word n of a sequence is word n % 4 of its Philox block n / 4, and its n-th double is words 2n and 2n + 1",
          "[rng]") {
    const counter_rng rng(11);
    const std::uint32_t stream = stream_id(purpose::weight_init, 3);
    counter_sequence seq(rng, stream, 2, 5);
    for (std::uint64_t n = 0; n < 200; ++n) {  // several of the sequence's batches of blocks
        INFO("word " << n);
        REQUIRE(seq.next_u32() == rng.block(stream, 2, 5, n / 4).v[n % 4]);
    }
    // Doubles in bulk, from an even or odd first one, as a sequence gives them.
    for (std::uint64_t first : {0u, 1u, 6u, 37u})
        for (std::size_t n : {0u, 1u, 2u, 3u, 50u}) {
            counter_sequence part(rng, stream, 2, 5);
            part.seek(2 * first);
            std::vector<double> want(n), got(n, -1.0);
            for (double& u : want) u = part.next_double();
            rng.for_each_double(stream, 2, 5, first, n, [&](std::size_t i, double u) { got.at(i) = u; });
            INFO("first " << first << ", " << n << " doubles");
            CHECK(got == want);
        }
}

TEST_CASE("rng: sixteen blocks made at once (in vector lanes where the machine has them) are Random123's, bit for bit",
          "[rng]") {
    // Keys and counters with high bits set, and a first block whose sixteen
    // wrap past 2^32.
    const std::uint64_t seeds[] = {0u, 11u, 0xFFFFFFFFFFFFFFFFull, 0x9E3779B97F4A7C15ull};
    const std::uint32_t firsts[] = {0u, 5u, 0x7FFFFFF9u, 0xFFFFFFF8u};
    for (std::uint64_t seed : seeds)
        for (std::uint32_t first : firsts) {
            const counter_rng rng(seed);
            const std::uint32_t stream = stream_id(purpose::dataset, 0xABCDEF);
            std::uint32_t word[4][16];
            rng.sixteen_blocks(stream, 0xFEDCBA98u, 0x80000001u, first, word);
            for (std::uint32_t i = 0; i < 16; ++i) {
                const auto want = rng.block(stream, 0xFEDCBA98u, 0x80000001u, std::uint32_t(first + i));
                INFO("seed " << seed << ", block " << first << " + " << i);
                for (int k = 0; k < 4; ++k) CHECK(word[k][i] == want.v[k]);
            }
        }
}
