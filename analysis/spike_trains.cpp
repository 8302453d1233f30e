#include "analysis/spike_trains.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gust::analysis {

cycle_trains make_cycle_trains(const std::vector<double>& timestamps,
                               const std::vector<std::uint64_t>& node_ids, std::size_t pixels,
                               int T, int cycles, const std::string& what) {
    if (T < 1 || T > 16)
        throw input_error(what + ": T = " + std::to_string(T) + " steps per cycle; the read-out supports 1..16");
    if (cycles < 1) throw input_error(what + ": needs at least one cycle");
    if (timestamps.size() != node_ids.size())
        throw input_error(what + " has " + std::to_string(timestamps.size()) + " timestamps but " +
                          std::to_string(node_ids.size()) + " node_ids");
    cycle_trains tr;
    tr.T = T;
    tr.cycles = cycles;
    tr.pixels = pixels;
    tr.bits.assign(static_cast<std::size_t>(cycles) * pixels, 0);
    const double end = static_cast<double>(cycles) * T;
    for (std::size_t s = 0; s < timestamps.size(); ++s) {
        const double t = timestamps[s];
        const std::uint64_t id = node_ids[s];
        if (!std::isfinite(t) || t < 0.0)
            throw input_error(what + ": spike " + std::to_string(s) + " has a negative or non-finite time");
        if (t >= end)
            throw input_error(what + ": spike at time " + std::to_string(t) + " ms lies after the last cycle (" +
                              std::to_string(cycles) + " cycles of " + std::to_string(T) + " steps)");
        if (id >= pixels)
            throw input_error(what + ": node id " + std::to_string(id) + " is beyond the image (" +
                              std::to_string(pixels) + " pixels)");
        const auto step = static_cast<std::size_t>(std::floor(t));
        const std::size_t c = step / static_cast<std::size_t>(T), phase = step % static_cast<std::size_t>(T);
        tr.bits[c * pixels + id] |= static_cast<std::uint16_t>(1u << phase);
    }
    return tr;
}

int cycles_spanned(const std::vector<double>& timestamps, int T) {
    double last = -1.0;
    for (double t : timestamps)
        if (std::isfinite(t) && t > last) last = t;
    if (last < 0.0) return 0;
    return static_cast<int>(std::floor(last)) / T + 1;
}

}  // namespace gust::analysis
