#pragma once
// A discrete event of the event-driven backend: a spike of `unit` travelling
// along `channel` (a projection index) and due at `step`, or, on the
// wake-up channel, a refractory neuron becoming able to fire again.
#include <cstdint>
#include <limits>

namespace gust {

struct spike_event {
    std::int64_t step = 0;
    std::uint32_t channel = 0;
    std::uint32_t unit = 0;

    static constexpr std::uint32_t wake_channel = std::numeric_limits<std::uint32_t>::max();

    // Canonical order: by step, then channel, then unit. Popping in this order
    // is what makes every accumulation independent of how events were pushed.
    friend bool operator<(const spike_event& a, const spike_event& b) {
        if (a.step != b.step) return a.step < b.step;
        if (a.channel != b.channel) return a.channel < b.channel;
        return a.unit < b.unit;
    }
};

}  // namespace gust
