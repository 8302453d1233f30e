#include "sim/record_gather.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>

namespace gust {

namespace {

template <class T>
void put(std::vector<char>& m, const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    const std::size_t at = m.size();
    m.resize(at + sizeof n + n * sizeof(T));
    std::memcpy(m.data() + at, &n, sizeof n);
    if (n) std::memcpy(m.data() + at + sizeof n, v.data(), n * sizeof(T));
}

template <class T>
void get(const std::vector<char>& m, std::size_t& at, std::vector<T>& v) {
    std::uint64_t n = 0;
    std::memcpy(&n, m.data() + at, sizeof n);
    at += sizeof n;
    const std::size_t old = v.size();
    v.resize(old + n);
    if (n) std::memcpy(v.data() + old, m.data() + at, n * sizeof(T));
    at += n * sizeof(T);
}

}  // namespace

void gather_readout_spikes(std::vector<image_record>& records, const communicator& ranks) {
    if (ranks.size() == 1) return;
    std::vector<char> mine;
    if (!ranks.first())
        for (const auto& r : records) {
            put(mine, r.steps);
            put(mine, r.neurons);
        }
    const auto& all = ranks.gather(mine);
    if (!ranks.first()) return;
    std::vector<std::size_t> at(all.size(), 0);
    std::vector<std::size_t> order;
    std::vector<std::int64_t> steps;
    std::vector<std::uint32_t> neurons;
    for (auto& rec : records) {
        // Appended in rank order, each sorted by step then neuron, and each
        // process's neurons above the previous one's: a stable sort by step
        // gives the order of one process.
        for (std::size_t r = 1; r < all.size(); ++r) {
            get(all[r], at[r], rec.steps);
            get(all[r], at[r], rec.neurons);
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
