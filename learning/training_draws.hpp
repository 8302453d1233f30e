#pragma once
// The draws of one training or validation pass (docs/rng.md): like
// philox_draws, but each purpose's stream object is the pass number, so the
// same image gets fresh membrane noise, release and initial delay line in
// every epoch without any generator state to save in a checkpoint.
//   pass 0         validation (the same draws after every epoch)
//   pass epoch+1   training epoch `epoch` (0-based)
// The network has one spiking population and one stochastic projection, so
// the population / projection arguments do not enter the key.
#include <cstdint>

#include "core/counter_rng.hpp"
#include "sim/draw_source.hpp"

namespace gust::learning {

constexpr std::uint32_t validation_pass = 0;
inline std::uint32_t training_pass(std::size_t epoch) { return static_cast<std::uint32_t>(epoch + 1); }

class training_draws final : public draw_source {
public:
    training_draws(std::uint64_t seed, std::uint32_t pass)
        : rng_(seed),
          noise_(stream_id(purpose::train_membrane_noise, pass)),
          release_(stream_id(purpose::train_release, pass)),
          initial_(stream_id(purpose::train_initial_state, pass)) {}

    void membrane_noise(std::size_t image, std::size_t, std::int64_t step, float* out,
                        std::size_t n) const override {
        rng_.fill_uniform(noise_, image, static_cast<std::uint64_t>(step), out, n);
    }
    void release(std::size_t image, std::size_t, std::int64_t step, float* out, std::size_t n) const override {
        rng_.fill_uniform(release_, image, static_cast<std::uint64_t>(step), out, n);
    }
    float membrane_noise_at(std::size_t image, std::size_t, std::int64_t step, std::size_t unit) const override {
        return rng_.uniform(noise_, image, static_cast<std::uint64_t>(step), unit);
    }
    float release_at(std::size_t image, std::size_t, std::int64_t step, std::size_t unit) const override {
        return rng_.uniform(release_, image, static_cast<std::uint64_t>(step), unit);
    }
    void initial_history(std::size_t image, std::size_t, std::size_t slot, std::size_t, float* out,
                         std::size_t n) const override {
        rng_.fill_uniform(initial_, image, slot, out, n);
    }

private:
    counter_rng rng_;
    std::uint32_t noise_, release_, initial_;
};

}  // namespace gust::learning
