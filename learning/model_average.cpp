#include "learning/model_average.hpp"

#include "io/network_toml.hpp"
#include "learning/model_parameters.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gust::learning {
namespace {

// acc += w x, in double: the mean of many float snapshots should not depend on their order.
void add(std::vector<double>& acc, double w, const std::vector<float>& x) {
    for (std::size_t i = 0; i < x.size(); ++i) acc[i] += w * x[i];
}

void store_mean(const std::vector<double>& acc, double n, std::vector<float>& out) {
    for (std::size_t i = 0; i < acc.size(); ++i) {
        out[i] = static_cast<float>(acc[i] / n);
        if (!std::isfinite(out[i]))
            throw input_error("weights", "the weighted mean is not finite in float; use smaller weights");
    }
}

// Averaging values of different networks or synapses would be meaningless.
void require_same_network(const network_model& first, const network_model& m, const std::string& origin) {
    const network_description &a = first.description, &b = m.description;
    if (a.height != b.height || a.width != b.width)
        throw input_error(origin + ": " + std::to_string(b.height) + "x" + std::to_string(b.width) +
                          " pixels, the first model " + std::to_string(a.height) + "x" + std::to_string(a.width));
    if (format_network_description(a) != format_network_description(b))
        throw input_error(origin + ": its network (sizes, constants such as T, theta, refractory period or release "
                                   "probability, or projections) differs from the first model's");
    for (std::size_t j = 0; j < a.projections.size(); ++j) {
        if (!a.projections[j].owns_weights()) continue;
        const weight_matrix &x = *first.net.projections[j].weights, &y = *m.net.projections[j].weights;
        if (x.indptr != y.indptr || !x.indices.same(y.indices, x.indptr))
            throw input_error(origin + ": " + a.projections[j].name + " connects other inputs than the first model's");
    }
}

}  // namespace

network_model average_models(const std::vector<network_model>& models, const std::vector<std::string>& origins) {
    return weighted_models(models, std::vector<double>(models.size(), 1.0), origins);
}

network_model weighted_models(const std::vector<network_model>& models, const std::vector<double>& weights,
                              const std::vector<std::string>& origins) {
    if (models.empty()) throw input_error("averaging needs at least one model");
    if (weights.size() != models.size())
        throw input_error("weights", std::to_string(weights.size()) + " weights for " + std::to_string(models.size()) + " models");
    double total = 0;
    for (double w : weights) {
        if (!std::isfinite(w)) throw input_error("weights", std::to_string(w) + " is not a finite number");
        total += w;
    }
    if (total == 0) throw input_error("weights", "they sum to 0, so they do not weigh a mean");
    if (!std::isfinite(total)) throw input_error("weights", "their sum overflows; scale them down");
    const network_model& first = models.front();
    for (std::size_t k = 0; k < models.size(); ++k) {
        try {
            require_stored_weights(models[k], "average it");
        } catch (const input_error& e) {
            throw input_error(origins.at(k) + ": " + e.what());
        }
    }
    for (std::size_t k = 1; k < models.size(); ++k) require_same_network(first, models[k], origins.at(k));
    std::vector<tensor_list> values;
    for (const auto& m : models) values.push_back(parameter_values(m));
    tensor_list mean = values.front();
    for (std::size_t t = 0; t < mean.size(); ++t) {
        std::vector<double> acc(mean[t].size(), 0.0);
        for (std::size_t k = 0; k < models.size(); ++k) add(acc, weights[k], values[k][t]);
        store_mean(acc, total, mean[t]);
    }
    return with_parameter_values(first, std::move(mean));
}

}  // namespace gust::learning
