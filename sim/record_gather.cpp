#include "sim/record_gather.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "core/byte_stream.hpp"

namespace gust {

namespace {

// Appended in rank order, each sorted by step then neuron, and each
// process's neurons above the previous one's: a stable sort by step gives
// the order of one process.
void merge_spikes(image_record& rec, std::vector<byte_reader>& from) {
    for (auto& in : from) {
        const auto steps_of = in.array<std::int64_t>();
        const auto neurons_of = in.array<std::uint32_t>();
        rec.steps.insert(rec.steps.end(), steps_of.begin(), steps_of.end());
        rec.neurons.insert(rec.neurons.end(), neurons_of.begin(), neurons_of.end());
    }
    std::vector<std::size_t> order(rec.steps.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rec.steps[a] < rec.steps[b]; });
    std::vector<std::int64_t> steps(order.size());
    std::vector<std::uint32_t> neurons(order.size());
    for (std::size_t j = 0; j < order.size(); ++j) {
        steps[j] = rec.steps[order[j]];
        neurons[j] = rec.neurons[order[j]];
    }
    rec.steps.swap(steps);
    rec.neurons.swap(neurons);
}

// Each process recorded, step after step, its own units of the probe: the
// processes own ascending rows, so a step's units are theirs in rank order.
void merge_probe(std::vector<float>& values, const std::vector<std::size_t>& width, std::vector<byte_reader>& from) {
    std::vector<std::vector<float>> part{std::move(values)};
    for (auto& in : from) part.push_back(in.array<float>());
    const std::size_t all = std::accumulate(width.begin(), width.end(), std::size_t{0});
    const std::size_t some = static_cast<std::size_t>(std::find_if(width.begin(), width.end(), [](std::size_t w) { return w > 0; }) - width.begin());
    if (some == width.size()) throw std::logic_error("gather_records: a probe of no unit");
    const std::size_t steps = part[some].size() / width[some];
    values.assign(steps * all, 0.0f);
    float* out = values.data();
    for (std::size_t k = 0; k < steps; ++k)
        for (std::size_t r = 0; r < part.size(); ++r) {
            if (part[r].size() != steps * width[r]) throw std::logic_error("gather_records: a process recorded other steps");
            out = std::copy_n(part[r].data() + k * width[r], width[r], out);
        }
}

}  // namespace

std::vector<std::uint32_t> own_units(const event_setup& s, const probe& pr, std::size_t rank) {
    const std::size_t per_rank = s.plan.end_owned - s.plan.first_owned;
    const auto& b = s.plan.bounds[pr.population];
    const auto lo = static_cast<std::uint32_t>(b[rank * per_rank]), hi = static_cast<std::uint32_t>(b[(rank + 1) * per_rank]);
    std::vector<std::uint32_t> units;
    if (pr.units.empty()) {
        units.resize(hi - lo);
        std::iota(units.begin(), units.end(), lo);
    } else {
        std::copy(std::lower_bound(pr.units.begin(), pr.units.end(), lo), std::lower_bound(pr.units.begin(), pr.units.end(), hi),
                  std::back_inserter(units));
    }
    return units;
}

void gather_records(std::vector<image_record>& records, const event_setup& s, const std::vector<probe>& probes,
                    const communicator& ranks) {
    if (ranks.size() == 1) return;
    byte_writer mine;
    if (!ranks.first())
        for (const auto& r : records) {
            mine.array(r.steps);
            mine.array(r.neurons);
            for (const auto& values : r.recorded) mine.array(values);
        }
    const auto& all = ranks.gather(mine.bytes());
    if (!ranks.first()) return;
    std::vector<byte_reader> from;
    for (std::size_t r = 1; r < all.size(); ++r) from.emplace_back(all[r]);
    std::vector<std::vector<std::size_t>> width(probes.size());  // [probe][process]
    for (std::size_t j = 0; j < probes.size(); ++j)
        for (std::size_t r = 0; r < ranks.size(); ++r) width[j].push_back(own_units(s, probes[j], r).size());
    for (auto& rec : records) {
        merge_spikes(rec, from);
        for (std::size_t j = 0; j < probes.size(); ++j) merge_probe(rec.recorded[j], width[j], from);
    }
}

}  // namespace gust
