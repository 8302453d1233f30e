#include "core/procedural_synapses.hpp"

#include <algorithm>
#include <cmath>

namespace gust {

procedural_synapses::procedural_synapses(std::uint64_t seed_, std::uint32_t set_, std::size_t rows, std::size_t cols,
                                         std::size_t radius, double aspect, std::size_t fan_in_, float gain_,
                                         bool zero_)
    : seed(seed_), set(set_), fan_in(fan_in_), bound(1.0f / std::sqrt(static_cast<float>(fan_in_))), gain(gain_),
      zero(zero_), window(rows, cols, radius, aspect), hash(seed_, set_) {}

float procedural_synapses::row_sum(std::size_t r, const float* in, float acc) const {
    const local_window::span f = window.field(r);
    const std::uint32_t t = threshold(f);
    const std::uint32_t kp = synapse_hash::row_key(hash.presence_key, static_cast<std::uint32_t>(r));
    const std::uint32_t kw = synapse_hash::row_key(hash.weight_key, static_cast<std::uint32_t>(r));
    // A chunk of candidates at a time: first every term and whether it
    // counts, in independent lanes that vectorise (the hashes are most of
    // the work); then the terms that count are packed, in order and without
    // a branch (presence and zero inputs fall in no pattern); then one
    // chain of additions over the packed terms only, the canonical order.
    constexpr std::int64_t chunk = 64;
    float term[chunk], weights[chunk], packed[chunk];
    std::uint32_t keep[chunk];
    for (std::int64_t y = f.y0; y <= f.y1; ++y) {
        const std::int64_t base = y * std::int64_t(window.source.cols), end = window.row_end(f, y);
        for (std::int64_t x0 = f.x0; x0 < end; x0 += chunk) {
            const std::int64_t n = std::min(chunk, end - x0);
            const auto s0 = static_cast<std::uint32_t>(base + x0);
            // weight() spelt out as loops with its branches outside them: the same operations, so the same bits.
            for (std::int64_t i = 0; i < n; ++i)
                weights[i] = (2.0f * synapse_hash::uniform(synapse_hash::draw(kw, s0 + std::uint32_t(i))) - 1.0f) * bound;
            if (gain != 1.0f)
                for (std::int64_t i = 0; i < n; ++i) weights[i] *= gain;
            if (zero) std::fill(weights, weights + n, 0.0f);
            for (std::int64_t i = 0; i < n; ++i) {
                const float v = in[s0 + std::uint32_t(i)];
                keep[i] = static_cast<std::uint32_t>(synapse_hash::top24(synapse_hash::draw(kp, s0 + std::uint32_t(i))) < t) &
                          static_cast<std::uint32_t>(v != 0.0f);
                term[i] = v * weights[i];
            }
            std::int64_t m = 0;
            for (std::int64_t i = 0; i < n; ++i) {
                packed[m] = term[i];
                m += keep[i];
            }
            for (std::int64_t i = 0; i < m; ++i) acc += packed[i];
        }
    }
    return acc;
}

std::size_t procedural_synapses::out_degree(std::uint32_t s) const {
    std::size_t n = 0;
    for_each_target(s, 0, rows(), [&](std::size_t) { ++n; });
    return n;
}

double procedural_synapses::expected_synapses() const {
    double n = 0;
    for (std::size_t r = 0; r < rows(); ++r) {
        const local_window::span f = window.field(r);
        n += double(window.count(f)) * double(threshold(f)) * 0x1p-24;
    }
    return n;
}

}  // namespace gust
