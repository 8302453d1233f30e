#include "learning/context_gain.hpp"

#include <algorithm>
#include <cmath>

#include "learning/model_parameters.hpp"

#include "core/error.hpp"

namespace gust::learning {

network_model with_context_gain(const network_model& m, double gain, double offset) {
    if (!(std::isfinite(gain) && gain > 0)) throw input_error("gain", std::to_string(gain) + " must be a positive finite number");
    if (!std::isfinite(offset)) throw input_error("offset", "must be a finite number");
    require_stored_weights(m, "scale its weights");
    const network_description& d = m.description;
    const std::size_t context = m.net.populations[m.net.readout].context;
    // The population each weight set feeds (a set shared into another population cannot be scaled alone).
    std::vector<std::size_t> target;
    for (const auto& pr : d.projections)
        if (pr.owns_weights()) target.push_back(d.population_index(pr.target));
    for (const auto& pr : d.projections)
        if (!pr.owns_weights()) {
            const std::size_t owner = d.weight_set_owner(pr.shares);
            const std::size_t set = static_cast<std::size_t>(std::count_if(
                d.projections.begin(), d.projections.begin() + static_cast<std::ptrdiff_t>(owner),
                [](const projection_spec& q) { return q.owns_weights(); }));
            if ((target[set] == context) != (d.population_index(pr.target) == context))
                throw input_error("gain", "weight set " + pr.shares + " also feeds another population than the context");
        }
    tensor_list values = parameter_values(m);
    const auto layout = parameter_layout(m);
    // In double, then rounded once: gain 1, offset 0 is the identity.
    bool finite = true;
    for (std::size_t t = 0; t < layout.size(); ++t) {
        const parameter_slot& slot = layout[t];
        if (slot.is_bias && slot.population == context) {
            for (float& b : values[t]) finite &= std::isfinite(b = static_cast<float>(gain * b + offset));
        } else if (!slot.is_bias && target[slot.weight_set] == context) {
            for (float& w : values[t]) finite &= std::isfinite(w = static_cast<float>(gain * w));
        }
    }
    if (!finite) throw input_error("context gain and offset: the context layer would not be finite in float");
    return with_parameter_values(m, std::move(values));
}

}  // namespace gust::learning
