#include "sim/event_observed_step.hpp"

#include <limits>

namespace gust::event_detail {

event_observed_step::event_observed_step(const event_setup& s)
    : net_(s.net), s_(s), schedule_(s.schedule), updater_(s.net.spiking_places()),
      reader_(s.net.populations.size(), 0), refractory_(s.net.spiking.size()) {
    for (std::size_t j = 0; j < net_.spiking.size(); ++j) reader_[net_.populations[net_.spiking[j]].context] = j;
}

void event_observed_step::notify(const step_observer& observe, std::size_t batch_pos, std::int64_t k,
                                 event_image_state& state, const std::vector<spiking_update>& spiking,
                                 demand_rows& rows) {
    const std::size_t parts = s_.plan.partitions;
    const std::size_t P = net_.populations.size();
    step_view v{batch_pos, k, {}, std::vector<const refractory_t*>(P, nullptr)};
    for (std::size_t j = 0; j < spiking.size(); ++j) {
        const auto& spk = net_.populations[spiking[j].population()];
        refractory_[j].resize(spk.size);
        for (std::size_t i = 0; i < spk.size; ++i)
            refractory_[j][i] = spiking[j].refractory_at(i, k, spk.refractory);
        v.refractory[spiking[j].population()] = refractory_[j].data();
    }
    observed_.resize(P);
    const float* x = state.pixels();
    for (std::size_t p = 0; p < P; ++p) {
        auto& buf = observed_[p];
        if (net_.is_spiking(p)) {
            const spiking_update& spk = spiking[updater_[p]];
            buf.assign(net_.populations[p].size, 0.0f);
            for (std::size_t q = 0; q < parts; ++q)
                for (std::uint32_t i : spk.fired(q)) buf[i] = 1.0f;
            v.outputs.push_back(buf.data());
        } else if (!schedule_.demand_driven(p) || state.at_rest(p, k)) {
            v.outputs.push_back(state.output(p, k));
        } else if (!s_.plan.context_only[p]) {
            // Only the rows some partition pulled this step: NaN elsewhere.
            buf.assign(net_.populations[p].size, std::numeric_limits<float>::quiet_NaN());
            rows.kept_rows(p, k, buf.data());
            v.outputs.push_back(buf.data());
        } else {
            // Only rows of neurons that could fire were computed: NaN elsewhere.
            const spiking_update& spk = spiking[reader_[p]];
            const std::int64_t tau = net_.populations[spk.population()].refractory;
            buf.assign(net_.populations[p].size, std::numeric_limits<float>::quiet_NaN());
            for (std::size_t i = 0; i < buf.size(); ++i) {
                const std::int64_t last = spk.last_fire(i);
                if (x[i] != 0.0f && (k - last >= tau || last == k)) buf[i] = rows.row(p, k, i, 0, state);
            }
            v.outputs.push_back(buf.data());
        }
    }
    observe(v);
}

}  // namespace gust::event_detail
