#include "sim/record_gather.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "core/byte_stream.hpp"

namespace gust {

void gather_readout_spikes(std::vector<image_record>& records, const communicator& ranks) {
    if (ranks.size() == 1) return;
    byte_writer mine;
    if (!ranks.first())
        for (const auto& r : records) {
            mine.array(r.steps);
            mine.array(r.neurons);
        }
    const auto& all = ranks.gather(mine.bytes());
    if (!ranks.first()) return;
    std::vector<byte_reader> from;
    for (std::size_t r = 1; r < all.size(); ++r) from.emplace_back(all[r]);
    std::vector<std::size_t> order;
    std::vector<std::int64_t> steps;
    std::vector<std::uint32_t> neurons;
    for (auto& rec : records) {
        // Appended in rank order, each sorted by step then neuron, and each
        // process's neurons above the previous one's: a stable sort by step
        // gives the order of one process.
        for (auto& in : from) {
            const auto steps_of = in.array<std::int64_t>();
            const auto neurons_of = in.array<std::uint32_t>();
            rec.steps.insert(rec.steps.end(), steps_of.begin(), steps_of.end());
            rec.neurons.insert(rec.neurons.end(), neurons_of.begin(), neurons_of.end());
        }
        order.resize(rec.steps.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rec.steps[a] < rec.steps[b]; });
        steps.resize(order.size());
        neurons.resize(order.size());
        for (std::size_t j = 0; j < order.size(); ++j) {
            steps[j] = rec.steps[order[j]];
            neurons[j] = rec.neurons[order[j]];
        }
        rec.steps.swap(steps);
        rec.neurons.swap(neurons);
    }
}

}  // namespace gust
