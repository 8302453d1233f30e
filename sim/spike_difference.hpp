#pragma once
// The first spike at which two runs of the same images differ: what `gust
// compare` and the Python module's gust.compare report when the backends
// disagree.
#include <algorithm>
#include <cstdint>
#include <optional>

#include "sim/simulation.hpp"

namespace gust {

struct spike_difference {
    std::int64_t step;
    std::uint32_t neuron;
    const char* only_in;  // the name of the run that has this spike
};

// Both lists are sorted by (step, neuron); the earliest spike one has and the other has not.
inline std::optional<spike_difference> first_difference(const image_record& a, const image_record& b,
                                                        const char* a_name, const char* b_name) {
    const std::size_t n = std::min(a.steps.size(), b.steps.size());
    for (std::size_t j = 0; j <= n; ++j) {
        const bool a_end = j == a.steps.size(), b_end = j == b.steps.size();
        if (a_end && b_end) return std::nullopt;
        if (a_end) return spike_difference{b.steps[j], b.neurons[j], b_name};
        if (b_end) return spike_difference{a.steps[j], a.neurons[j], a_name};
        if (a.steps[j] != b.steps[j] || a.neurons[j] != b.neurons[j]) {
            const bool a_first = a.steps[j] < b.steps[j] || (a.steps[j] == b.steps[j] && a.neurons[j] < b.neurons[j]);
            return a_first ? spike_difference{a.steps[j], a.neurons[j], a_name}
                           : spike_difference{b.steps[j], b.neurons[j], b_name};
        }
    }
    return std::nullopt;
}

}  // namespace gust
