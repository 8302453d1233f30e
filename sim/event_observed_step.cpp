#include "sim/event_observed_step.hpp"

#include <limits>

namespace gust::event_detail {

void event_observed_step::notify(const step_observer& observe, std::size_t batch_pos, std::int64_t k,
                                 event_image_state& state, const spiking_update& spiking, demand_rows& rows) {
    const auto& spk = net_.populations[net_.spiking];
    const std::size_t parts = s_.plan.partitions;
    refractory_.resize(spk.size);
    const std::int64_t tau = spk.refractory;
    for (std::size_t i = 0; i < spk.size; ++i) refractory_[i] = spiking.refractory_at(i, k, tau);
    step_view v{batch_pos, k, {}, refractory_.data()};
    observed_.resize(net_.populations.size());
    const float* x = state.pixels();
    for (std::size_t p = 0; p < net_.populations.size(); ++p) {
        auto& buf = observed_[p];
        if (p == net_.spiking) {
            buf.assign(spk.size, 0.0f);
            for (std::size_t q = 0; q < parts; ++q)
                for (std::uint32_t i : spiking.fired(q)) buf[i] = 1.0f;
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
            buf.assign(net_.populations[p].size, std::numeric_limits<float>::quiet_NaN());
            for (std::size_t i = 0; i < buf.size(); ++i) {
                const std::int64_t last = spiking.last_fire(i);
                if (x[i] != 0.0f && (k - last >= tau || last == k)) buf[i] = rows.row(p, k, i, 0, state);
            }
            v.outputs.push_back(buf.data());
        }
    }
    observe(v);
}

}  // namespace gust::event_detail
