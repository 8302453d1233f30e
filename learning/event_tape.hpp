#pragma once
// What training records of one image's forward pass, event-based: each
// population's output at each step as the entries that differ from its rest
// value (sim/rest_state.hpp; zero for the spiking population, so its steps
// are its spikes). In a sparse network most units sit at rest most of the
// time, and the tape holds only what moved; refractory counters are not
// stored at all but follow from the spike times. The backward pass reads a
// step back as a whole vector.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gust::learning {

class population_tape {
public:
    // Starts an image: `base` (n values, kept by the caller) is what is not stored.
    void reset(const float* base, std::size_t n) {
        base_ = base;
        n_ = n;
        ptr_.assign(1, 0);
        index_.clear();
        value_.clear();
    }
    // Appends the next step's output.
    void record(const float* out) {
        for (std::size_t i = 0; i < n_; ++i)
            if (out[i] != base_[i]) {
                index_.push_back(static_cast<std::uint32_t>(i));
                value_.push_back(out[i]);
            }
        ptr_.push_back(index_.size());
    }
    std::int64_t steps() const { return static_cast<std::int64_t>(ptr_.size()) - 1; }
    // Step k's output into out (n values).
    void read(std::int64_t k, float* out) const {
        std::copy(base_, base_ + n_, out);
        for (std::size_t e = ptr_[static_cast<std::size_t>(k)]; e < ptr_[static_cast<std::size_t>(k) + 1]; ++e)
            out[index_[e]] = value_[e];
    }
    // The entries stored at step k (for the spiking population: its spikes).
    const std::uint32_t* begin(std::int64_t k) const { return index_.data() + ptr_[static_cast<std::size_t>(k)]; }
    const std::uint32_t* end(std::int64_t k) const { return index_.data() + ptr_[static_cast<std::size_t>(k) + 1]; }
    std::size_t bytes() const {
        return index_.size() * sizeof(std::uint32_t) + value_.size() * sizeof(float) + ptr_.size() * sizeof(std::size_t);
    }

private:
    const float* base_ = nullptr;
    std::size_t n_ = 0;
    std::vector<std::size_t> ptr_;
    std::vector<std::uint32_t> index_;
    std::vector<float> value_;
};

// The refractory counter of every spiking neuron before and after each step,
// from the spike times alone: after a spike at step j the counter is
// tau - 1 and falls by one per step, so r_after(k) = max(0, tau - 1 - (k - j))
// with j the neuron's latest spike at or before k (neurons/gust_neuron_backward.hpp).
class refractory_replay {
public:
    void reset(const population_tape& spikes, std::size_t n, int tau) {
        tau_ = tau;
        const std::int64_t K = spikes.steps();
        ptr_.assign(n + 1, 0);
        for (std::int64_t k = 0; k < K; ++k)
            for (const std::uint32_t* i = spikes.begin(k); i != spikes.end(k); ++i) ++ptr_[*i + 1];
        for (std::size_t i = 0; i < n; ++i) ptr_[i + 1] += ptr_[i];
        step_.resize(ptr_[n]);
        std::vector<std::size_t> fill(ptr_.begin(), ptr_.end() - 1);
        for (std::int64_t k = 0; k < K; ++k)
            for (const std::uint32_t* i = spikes.begin(k); i != spikes.end(k); ++i) step_[fill[*i]++] = k;
        cursor_ = ptr_;  // one past each neuron's last spike; moved down as k falls
        cursor_.pop_back();
        for (std::size_t i = 0; i < n; ++i) cursor_[i] = ptr_[i + 1];
    }
    // Called with k descending: positions neuron i at step k.
    void at(std::size_t i, std::int64_t k, std::uint8_t& before, std::uint8_t& after) {
        std::size_t& c = cursor_[i];
        while (c > ptr_[i] && step_[c - 1] > k) --c;
        const bool spiked_now = c > ptr_[i] && step_[c - 1] == k;
        const std::size_t prev = spiked_now ? c - 1 : c;  // spikes strictly before k end at prev
        after = counter(c > ptr_[i] ? step_[c - 1] : -1, k);
        before = counter(prev > ptr_[i] ? step_[prev - 1] : -1, k - 1);
    }

private:
    std::uint8_t counter(std::int64_t last_spike, std::int64_t k) const {
        if (last_spike < 0 || k < 0) return 0;
        const std::int64_t r = tau_ - 1 - (k - last_spike);
        return static_cast<std::uint8_t>(r > 0 ? r : 0);
    }
    int tau_ = 1;
    std::vector<std::size_t> ptr_, cursor_;
    std::vector<std::int64_t> step_;
};

}  // namespace gust::learning
