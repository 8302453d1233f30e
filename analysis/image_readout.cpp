#include "analysis/image_readout.hpp"

#include <algorithm>

#include "analysis/cycle_metrics.hpp"
#include "core/error.hpp"

namespace gust::analysis {

int count_objects(const std::vector<std::int32_t>& labels) {
    std::int32_t most = 0;
    for (std::int32_t l : labels) most = std::max(most, l);
    return most;
}

std::uint64_t readout_sequence(std::size_t image_index, int cycle) {
    constexpr std::uint64_t block = 30;  // the spec's read-out length
    const auto c = static_cast<std::uint64_t>(cycle);
    const std::uint64_t low = (static_cast<std::uint64_t>(image_index) * block + c % block) & 0xFFFFFFFFu;
    return ((c / block) << 32) | low;
}

image_readout read_out_image(const cycle_trains& trains, const std::vector<std::int32_t>& labels,
                             std::size_t image_index, const readout_options& opt) {
    if (labels.size() != trains.pixels)
        throw input_error("read-out: " + std::to_string(labels.size()) + " labels for " +
                          std::to_string(trains.pixels) + " pixels");
    image_readout r;
    r.K = count_objects(labels) + 1;
    r.clusters.resize(trains.bits.size());
    r.ami.resize(static_cast<std::size_t>(trains.cycles));
    r.synscore.resize(static_cast<std::size_t>(trains.cycles));
    r.active_synscore.resize(static_cast<std::size_t>(trains.cycles));
    cycle_options co;
    co.q_cluster = opt.q;
    co.q_syn = opt.syn_q;
    co.seed = opt.seed;
    co.restarts = opt.restarts;
    for (int c = 0; c < trains.cycles; ++c) {
        co.sequence = readout_sequence(image_index, c);
        const cycle_metrics m = analyze_cycle(trains.cycle(c), labels.data(), trains.pixels, r.K, co);
        const auto cc = static_cast<std::size_t>(c);
        std::copy(m.assignment.begin(), m.assignment.end(), r.clusters.begin() + static_cast<std::ptrdiff_t>(cc * trains.pixels));
        r.ami[cc] = m.ami;
        r.synscore[cc] = m.synscore;
        r.active_synscore[cc] = m.active_synscore;
    }
    return r;
}

}  // namespace gust::analysis
