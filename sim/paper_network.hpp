#pragma once
// The published GUST network as a description like any other
// (examples/networks/paper.toml):
//   pixels (spiking) -> enc1 (relu)  delay 0, weight set encoder/fc1
//   pixels           -> enc1         delay 1, the same weights, release p (the copy)
//   enc1 -> hidden (sigmoid) -> [delay T] -> dec1 (relu) -> context (sigmoid)
//   context modulates pixels at the same step.
// gust_model (sim/model.hpp) is this network's parameters under the names of
// the published code; the conversions below are exact both ways.
#include <optional>

#include "sim/model.hpp"
#include "sim/network.hpp"
#include "sim/network_model.hpp"

namespace gust {

struct paper_populations {
    static constexpr std::size_t pixels = 0, enc1 = 1, hidden = 2, dec1 = 3, context = 4;
};
// The stochastic copy pixels -> enc1 is projection 1 (its release draws are keyed by it).
struct paper_projections {
    static constexpr std::size_t spikes = 0, release = 1;
};

// The paper network (and with sparse_fan_in / receptive_field, the sparse
// family of the same shape) at the given sizes.
network_description paper_description(const model_sizes& s, float theta = 1.0f, int refractory = 9,
                                      float release_p = 0.5f);

// Whether d has the paper network's structure (any sizes, connectivity and
// initialisation): the models the paper-only tools and training accept.
bool is_paper_shaped(const network_description& d);

network_model to_network_model(const gust_model& m);
network_model to_network_model(gust_model&& m);  // takes the weights over
// Throws input_error (prefixed with origin) unless m is paper-shaped.
gust_model to_paper_model(const network_model& m, const std::string& origin);
// The same, taking m's weights over instead of copying them.
gust_model to_paper_model(network_model&& m, const std::string& origin);

network paper_network(const gust_model& m);
// The same, taking over the model's weight arrays instead of copying them
// (half the memory for a large network); m keeps its sizes and biases.
network paper_network(gust_model&& m);

}  // namespace gust
