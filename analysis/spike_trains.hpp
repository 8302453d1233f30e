#pragma once
// One image's spikes cut into cycles: for every cycle and pixel, the pixel's
// spike train inside that cycle as a bitmask (bit t = a spike at phase t), the
// form every read-out metric works on (victor_purpura.hpp).
//
// A SONATA timestamp is the global step k = cycle * T + t (dt = 1 ms, see
// docs/formats.md "Spike reports"). Times from another simulator need not be whole
// steps: a spike belongs to step floor(time), so a finer clock is binned into
// 1 ms steps (two spikes of one pixel in one step count as one).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gust::analysis {

struct cycle_trains {
    int T = 10;                         // steps per cycle (<= 16, one bit per step)
    int cycles = 0;
    std::size_t pixels = 0;             // height * width
    std::vector<std::uint16_t> bits;    // cycles x pixels, row-major

    const std::uint16_t* cycle(int c) const { return bits.data() + static_cast<std::size_t>(c) * pixels; }
    std::uint16_t at(int c, std::size_t pixel) const { return cycle(c)[pixel]; }
};

// Builds the trains of one population. Throws input_error, prefixed with
// `what` (e.g. "spikes.h5: /spikes/image_3"), when the lengths differ, a node
// id is not a pixel (>= pixels), a time is negative or not finite, or a spike
// falls after the last cycle (time >= cycles * T).
cycle_trains make_cycle_trains(const std::vector<double>& timestamps,
                               const std::vector<std::uint64_t>& node_ids, std::size_t pixels,
                               int T, int cycles, const std::string& what);

// The cycles a spike list spans when no run metadata says: floor(max time / T) + 1
// (0 for no spikes).
int cycles_spanned(const std::vector<double>& timestamps, int T);

}  // namespace gust::analysis
