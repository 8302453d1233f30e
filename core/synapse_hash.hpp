#pragma once
// The counter-based draw of a synapse drawn source by source (docs/rng.md,
// "Synapses drawn one by one"): whether target row r takes source s, and its
// initial weight, are pure functions of (seed, weight set, r, s), so a
// projection can be stored (sim/network_init.cpp) or regenerated whenever
// it is read (core/procedural_synapses.hpp) and give the same bits either
// way, enumerated by row or by source, in any order and on any thread.
//
// Philox is the generator of every other draw, but it costs ten rounds per
// four words; a regenerated synapse is drawn every time a spike crosses it,
// so these draws use murmur3's 32-bit finaliser (fmix32), a bijection with
// full avalanche: one per (set, purpose) key, one to fold in the row, one to
// fold in the source. Plain 32-bit multiplies, shifts and xors, so the loops
// over a row's candidates vectorise.
#include <cstdint>

namespace gust {

constexpr std::uint32_t fmix32(std::uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

struct synapse_hash {
    std::uint32_t presence_key = 0, weight_key = 0;

    constexpr synapse_hash(std::uint64_t seed, std::uint32_t set) {
        // The purpose constants are "pres" and "weig" in ASCII: any two
        // distinct words would do, they only keep the two draws apart.
        const std::uint32_t k =
            fmix32(fmix32(fmix32(static_cast<std::uint32_t>(seed)) ^ static_cast<std::uint32_t>(seed >> 32)) ^ set);
        presence_key = fmix32(k ^ 0x70726573u);
        weight_key = fmix32(k ^ 0x77656967u);
    }

    // A row's keys: computed once per row, then one fmix32 per candidate.
    static constexpr std::uint32_t row_key(std::uint32_t key, std::uint32_t r) { return fmix32(key ^ r); }
    static constexpr std::uint32_t draw(std::uint32_t row_key, std::uint32_t s) { return fmix32(row_key ^ s); }

    // 24 bits, as every uniform of docs/rng.md: present where the draw's top
    // 24 bits fall below a threshold of p x 2^24 (core/procedural_synapses.hpp).
    static constexpr std::uint32_t top24(std::uint32_t h) { return h >> 8; }
    // The uniform in [0, 1) of a weight draw.
    static constexpr float uniform(std::uint32_t h) { return static_cast<float>(h >> 8) * 0x1p-24f; }
};

}  // namespace gust
