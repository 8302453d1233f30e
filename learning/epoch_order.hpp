#pragma once
// The order in which an epoch visits the training images: a Fisher-Yates
// shuffle driven by counter_sequence(stream_id(shuffle, 0), image = epoch),
// a pure function of (seed, epoch), so a resumed run needs no saved state.
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/counter_rng.hpp"

namespace gust::learning {

inline std::vector<std::uint32_t> epoch_order(std::uint64_t seed, std::size_t epoch, std::size_t n) {
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    counter_sequence seq(counter_rng(seed), stream_id(purpose::shuffle, 0), epoch);
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[seq.below(static_cast<std::uint32_t>(i))]);
    return order;
}

}  // namespace gust::learning
