#include "learning/model_average.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gust::learning {
namespace {

void require_same_shape(const linear_layer& a, const linear_layer& b, const std::string& what, const std::string& origin) {
    if (a.out != b.out || a.in != b.in || a.weight.size() != b.weight.size() || a.bias.size() != b.bias.size())
        throw input_error(origin + ": " + what + " is " + std::to_string(b.out) + " x " + std::to_string(b.in) +
                          ", the first model's " + std::to_string(a.out) + " x " + std::to_string(a.in));
    // Averaging values of different synapses would be meaningless.
    if (a.indptr != b.indptr || a.indices != b.indices)
        throw input_error(origin + ": " + what + " connects other inputs than the first model's");
}

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

}  // namespace

gust_model average_models(const std::vector<gust_model>& models, const std::vector<std::string>& origins) {
    return weighted_models(models, std::vector<double>(models.size(), 1.0), origins);
}

gust_model weighted_models(const std::vector<gust_model>& models, const std::vector<double>& weights,
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
    const gust_model& first = models.front();
    gust_model mean = first;
    linear_layer gust_model::*layers[] = {&gust_model::enc1, &gust_model::enc2, &gust_model::dec1, &gust_model::dec2};
    const char* names[] = {"encoder fc1", "encoder fc2", "decoder fc1", "decoder fc2"};
    for (std::size_t k = 1; k < models.size(); ++k) {
        const gust_model& m = models[k];
        const std::string& origin = origins.at(k);
        if (m.height != first.height || m.width != first.width)
            throw input_error(origin + ": " + std::to_string(m.height) + "x" + std::to_string(m.width) +
                              " pixels, the first model " + std::to_string(first.height) + "x" + std::to_string(first.width));
        if (m.T != first.T || m.theta != first.theta || m.refractory != first.refractory || m.release_p != first.release_p)
            throw input_error(origin + ": T, theta, refractory period or release probability differ from the first model's");
        for (std::size_t l = 0; l < 4; ++l) require_same_shape(first.*layers[l], m.*layers[l], names[l], origin);
    }
    for (auto layer : layers) {
        std::vector<double> w((first.*layer).weight.size(), 0.0), b((first.*layer).bias.size(), 0.0);
        for (std::size_t k = 0; k < models.size(); ++k) {
            add(w, weights[k], (models[k].*layer).weight);
            add(b, weights[k], (models[k].*layer).bias);
        }
        store_mean(w, total, (mean.*layer).weight);
        store_mean(b, total, (mean.*layer).bias);
    }
    return mean;
}

}  // namespace gust::learning
