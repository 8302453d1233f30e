#pragma once
// The draws of one training or validation pass (docs/rng.md): like
// philox_draws, but each purpose's stream object is the pass number, so the
// same image gets fresh membrane noise, release and initial delay line in
// every epoch without any generator state to save in a checkpoint.
//   pass 0         validation (the same draws after every epoch)
//   pass epoch+1   training epoch `epoch` (0-based)
// A network with several stochastic projections or several populations with
// a uniform initial history gives each its own stream: object = pass | (r << 20)
// with r its rank among them in network order (0 for the first, so the
// paper network, with one of each, keeps its draws).
#include <cstdint>
#include <vector>

#include "core/counter_rng.hpp"
#include "sim/draw_source.hpp"
#include "sim/network.hpp"

namespace gust::learning {

constexpr std::uint32_t validation_pass = 0;
inline std::uint32_t training_pass(std::size_t epoch) { return static_cast<std::uint32_t>(epoch + 1); }

class training_draws final : public draw_source {
public:
    // net: the network drawn for (ranks of its stochastic projections and
    // uniform-history populations); without it every rank is 0.
    training_draws(std::uint64_t seed, std::uint32_t pass, const network* net = nullptr)
        : rng_(seed), noise_(stream_id(purpose::train_membrane_noise, pass)) {
        if (!net) {
            release_.assign(1, stream_id(purpose::train_release, pass));
            initial_.assign(1, stream_id(purpose::train_initial_state, pass));
            return;
        }
        std::uint32_t r = 0;
        for (const auto& p : net->projections)
            release_.push_back(stream_id(purpose::train_release, pass | (p.release_p < 1.0f ? r++ : 0) << 20));
        r = 0;
        for (const auto& p : net->populations)
            initial_.push_back(stream_id(purpose::train_initial_state,
                                         pass | (p.history == initial_history::uniform ? r++ : 0) << 20));
    }

    void membrane_noise(std::size_t image, std::size_t, std::int64_t step, float* out,
                        std::size_t n) const override {
        rng_.fill_uniform(noise_, image, static_cast<std::uint64_t>(step), out, n);
    }
    void release(std::size_t image, std::size_t proj, std::int64_t step, float* out, std::size_t n) const override {
        rng_.fill_uniform(of(release_, proj), image, static_cast<std::uint64_t>(step), out, n);
    }
    float membrane_noise_at(std::size_t image, std::size_t, std::int64_t step, std::size_t unit) const override {
        return rng_.uniform(noise_, image, static_cast<std::uint64_t>(step), unit);
    }
    float release_at(std::size_t image, std::size_t proj, std::int64_t step, std::size_t unit) const override {
        return rng_.uniform(of(release_, proj), image, static_cast<std::uint64_t>(step), unit);
    }
    void initial_history(std::size_t image, std::size_t pop, std::size_t slot, std::size_t, float* out,
                         std::size_t n) const override {
        rng_.fill_uniform(of(initial_, pop), image, slot, out, n);
    }

private:
    static std::uint32_t of(const std::vector<std::uint32_t>& streams, std::size_t i) {
        return i < streams.size() ? streams[i] : streams[0];
    }
    counter_rng rng_;
    std::uint32_t noise_;
    std::vector<std::uint32_t> release_, initial_;
};

}  // namespace gust::learning
