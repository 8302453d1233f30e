#include "learning/model_average.hpp"

#include "sim/error.hpp"

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

// acc += x, in double: the mean of many float snapshots should not depend on their order.
void add(std::vector<double>& acc, const std::vector<float>& x) {
    for (std::size_t i = 0; i < x.size(); ++i) acc[i] += x[i];
}

void store_mean(const std::vector<double>& acc, double n, std::vector<float>& out) {
    for (std::size_t i = 0; i < acc.size(); ++i) out[i] = static_cast<float>(acc[i] / n);
}

}  // namespace

gust_model average_models(const std::vector<gust_model>& models, const std::vector<std::string>& origins) {
    if (models.empty()) throw input_error("averaging needs at least one model");
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
    const auto n = static_cast<double>(models.size());
    for (auto layer : layers) {
        std::vector<double> w((first.*layer).weight.size(), 0.0), b((first.*layer).bias.size(), 0.0);
        for (const gust_model& m : models) {
            add(w, (m.*layer).weight);
            add(b, (m.*layer).bias);
        }
        store_mean(w, n, (mean.*layer).weight);
        store_mean(b, n, (mean.*layer).bias);
    }
    return mean;
}

}  // namespace gust::learning
