#include "sim/spiking_update.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include "neurons/gust_neuron.hpp"
#include "sim/for_partitions.hpp"

namespace gust::event_detail {

spiking_update::spiking_update(const event_setup& s, const draw_source& draws, std::size_t population)
    : s_(s), net_(s.net), draws_(draws), p_(population), part_(s.plan.partitions) {}

void spiking_update::reset(const float* x) {
    const std::size_t p = p_;
    last_fire_.assign(net_.populations[p].size, std::numeric_limits<std::int64_t>::min() / 2);
    for (std::size_t q = 0; q < part_.size(); ++q) {
        auto& part = part_[q];
        part.candidates.clear();
        part.fired.clear();
        part.spikes = part.context_rows = 0;
        if (q < s_.plan.first_owned || q >= s_.plan.end_owned) continue;  // another process's
        for (std::size_t i = s_.plan.bounds[p][q]; i < s_.plan.bounds[p][q + 1]; ++i)
            if (x[i] != 0.0f) part.candidates.push_back(static_cast<std::uint32_t>(i));
    }
}

bool spiking_update::update(std::int64_t k, event_image_state& state, spike_router& router, demand_rows& context) {
    const std::size_t p = p_;
    const auto& pop = net_.populations[p];
    const float* x = state.pixels();
    const std::size_t image = state.image();
    for_partitions(s_.plan.first_owned, s_.plan.end_owned, [&](std::size_t q) {
        auto& part = part_[q];
        // Neurons whose refractoriness ends now rejoin the candidates.
        part.woken.clear();
        router.pop_woken(p, q, k, part.woken);
        if (!part.woken.empty()) {
            part.merged.clear();
            std::merge(part.candidates.begin(), part.candidates.end(), part.woken.begin(), part.woken.end(),
                       std::back_inserter(part.merged));
            part.candidates.swap(part.merged);
        }
        part.fired.clear();
        context.rows(pop.context, k, part.candidates, part.context, q, state);
        std::size_t keep = 0;
        for (std::size_t j = 0; j < part.candidates.size(); ++j) {
            const std::uint32_t i = part.candidates[j];
            const float c = part.context[j];
            const float u = draws_.membrane_noise_at(image, p, k, i);
            if (gust_fires(x[i], c, u, 0, pop.theta)) {
                part.fired.push_back(i);
                last_fire_[i] = k;
                router.wake_at(p, q, k + pop.refractory, i);
            } else {
                part.candidates[keep++] = i;
            }
        }
        part.context_rows += part.candidates.size() + part.fired.size();
        part.spikes += part.fired.size();
        part.candidates.resize(keep);
        router.send(p, q, k, part.fired);
    });
    bool silent = true;
    for (const auto& part : part_) silent &= part.fired.empty();
    return silent;
}

void spiking_update::take_fired(std::size_t q, std::int64_t k, const std::vector<std::uint32_t>& fired,
                                spike_router& router) {
    part_[q].fired = fired;
    for (std::uint32_t i : fired) last_fire_[i] = k;
    router.send(p_, q, k, fired);
}

void spiking_update::add_counts(event_stats& st) const {
    for (const auto& part : part_) {
        st.spikes += part.spikes;
        st.context_rows += part.context_rows;
    }
}

}  // namespace gust::event_detail
