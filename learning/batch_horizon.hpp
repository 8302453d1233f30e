#pragma once
// How many cycles one training batch unrolls. With a fixed horizon the loss
// judges the state at one cycle only; drawing the horizon per batch from
// [min_cycles, cycles] judges every cycle of that range, so the network is
// trained both to settle and to settle soon. The draw is a pure function of
// (seed, epoch, batch), like every other training draw (docs/rng.md), so a
// resumed run draws the same horizons.
#include <cstddef>
#include <cstdint>

#include "learning/training_state.hpp"
#include "core/counter_rng.hpp"

namespace gust::learning {

// Whether c draws horizons at all (--min-cycles set and below --cycles).
inline bool random_horizon(const train_config& c) { return c.min_cycles > 0 && c.min_cycles < c.cycles; }

inline int batch_horizon(const train_config& c, std::size_t epoch, std::size_t batch) {
    if (!random_horizon(c)) return c.cycles;
    counter_sequence seq(counter_rng(c.seed), stream_id(purpose::train_horizon, 0), epoch,
                         static_cast<std::uint32_t>(batch));
    return c.min_cycles + static_cast<int>(seq.below(static_cast<std::uint32_t>(c.cycles - c.min_cycles + 1)));
}

}  // namespace gust::learning
