#pragma once
// Per-population ring buffers of past outputs, deep enough for the longest
// delay leaving each population: a delayed projection reads the slot of step
// k - delay. Before step 0 the history is zero or drawn (initial_history).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/draw_source.hpp"
#include "sim/network.hpp"

namespace gust {

class population_history {
public:
    explicit population_history(const network& net) : net_(net) {
        for (std::size_t p = 0; p < net.populations.size(); ++p) {
            depth_.push_back(net.max_delay_from(p) + 1);
            data_.emplace_back(static_cast<std::size_t>(depth_.back()) * net.populations[p].size);
        }
    }

    // Output of population p at step k (k may be negative, down to -max delay).
    float* at(std::size_t p, std::int64_t k) {
        const std::int64_t d = depth_[p];
        const std::int64_t slot = ((k % d) + d) % d;
        return data_[p].data() + static_cast<std::size_t>(slot) * net_.populations[p].size;
    }

    // Fills the steps before 0: zeros, or the draws of the population's
    // initial history (slot j of depth D holds step j - D).
    void reset(std::size_t image, const draw_source& draws) {
        for (std::size_t p = 0; p < data_.size(); ++p) {
            std::fill(data_[p].begin(), data_[p].end(), 0.0f);
            if (net_.populations[p].history != initial_history::uniform) continue;
            const std::size_t depth = static_cast<std::size_t>(depth_[p] - 1);
            for (std::size_t j = 0; j < depth; ++j)
                draws.initial_history(image, p, j, depth, at(p, static_cast<std::int64_t>(j) - static_cast<std::int64_t>(depth)),
                                      net_.populations[p].size);
        }
    }

private:
    const network& net_;
    std::vector<int> depth_;
    std::vector<std::vector<float>> data_;
};

}  // namespace gust
