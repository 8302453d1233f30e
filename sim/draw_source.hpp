#pragma once
// Where a simulation's random numbers come from. Backends ask for whole
// vectors per (image, step), so the interface costs one call per step, not
// per draw. The production source is counter-based (philox_draws); tests
// inject the draws recorded from the reference implementation instead.
#include <cstddef>
#include <cstdint>

namespace gust {

class draw_source {
public:
    virtual ~draw_source() = default;
    // u in m = x*c + u for every neuron of spiking population `pop`.
    virtual void membrane_noise(std::size_t image, std::size_t pop, std::int64_t step, float* out,
                                std::size_t n) const = 0;
    // Uniform draws of projection `proj`'s release at delivery step `step`,
    // one per source unit; the unit's spike is released where draw < p.
    virtual void release(std::size_t image, std::size_t proj, std::int64_t step, float* out,
                         std::size_t n) const = 0;
    // Single draws, for backends that visit only some units; they equal the
    // corresponding element of the vector calls above.
    virtual float membrane_noise_at(std::size_t image, std::size_t pop, std::int64_t step,
                                    std::size_t unit) const = 0;
    virtual float release_at(std::size_t image, std::size_t proj, std::int64_t step,
                             std::size_t unit) const = 0;
    // Uniform[0,1) history of population `pop` at step -(depth - slot), for a
    // population whose initial history is uniform.
    virtual void initial_history(std::size_t image, std::size_t pop, std::size_t slot,
                                 std::size_t depth, float* out, std::size_t n) const = 0;
};

}  // namespace gust
