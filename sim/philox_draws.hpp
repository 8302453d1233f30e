#pragma once
// The production draw source: each draw a pure function of
// (seed, purpose, object, image, step, unit); see docs/rng.md.
#include "core/counter_rng.hpp"
#include "sim/draw_source.hpp"

namespace gust {

class philox_draws final : public draw_source {
public:
    explicit philox_draws(std::uint64_t seed) : rng_(seed) {}

    void membrane_noise(std::size_t image, std::size_t pop, std::int64_t step, float* out,
                        std::size_t n) const override {
        rng_.fill_uniform(stream_id(purpose::membrane_noise, static_cast<std::uint32_t>(pop)), image,
                          static_cast<std::uint64_t>(step), out, n);
    }
    void release(std::size_t image, std::size_t proj, std::int64_t step, float* out,
                 std::size_t n) const override {
        rng_.fill_uniform(stream_id(purpose::release, static_cast<std::uint32_t>(proj)), image,
                          static_cast<std::uint64_t>(step), out, n);
    }
    float membrane_noise_at(std::size_t image, std::size_t pop, std::int64_t step,
                            std::size_t unit) const override {
        return rng_.uniform(stream_id(purpose::membrane_noise, static_cast<std::uint32_t>(pop)), image,
                            static_cast<std::uint64_t>(step), unit);
    }
    float release_at(std::size_t image, std::size_t proj, std::int64_t step, std::size_t unit) const override {
        return rng_.uniform(stream_id(purpose::release, static_cast<std::uint32_t>(proj)), image,
                            static_cast<std::uint64_t>(step), unit);
    }
    void initial_history(std::size_t image, std::size_t pop, std::size_t slot, std::size_t,
                         float* out, std::size_t n) const override {
        rng_.fill_uniform(stream_id(purpose::initial_state, static_cast<std::uint32_t>(pop)), image,
                          slot, out, n);
    }
    const counter_rng& rng() const { return rng_; }

private:
    counter_rng rng_;
};

}  // namespace gust
