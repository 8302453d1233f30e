#pragma once
// A model: a network description and the parameters it holds now (weights of
// every weight set, biases of every graded population), assembled into the
// network the backends schedule. This is what a model file stores.
#include <vector>

#include "sim/network.hpp"
#include "sim/network_description.hpp"
#include "core/weight_matrix.hpp"

namespace gust {

struct network_parameters {
    // One per weight set, in the order of the projections that own them.
    std::vector<weight_matrix> weights;
    // One per population: a graded population's bias (size entries, or empty
    // for none); empty for the spiking population.
    std::vector<std::vector<float>> biases;
};

struct network_model {
    network_description description;
    network net;
};

// Builds the network of a validated description from its parameters, taking
// them over. Throws input_error (prefixed with origin) if a weight set or a
// bias does not have the shape the description implies.
network_model assemble(network_description d, network_parameters&& p, const std::string& origin);

// Throws input_error unless every weight set of m is stored: a procedural
// set (core/procedural_synapses.hpp) has no values to train, average or
// scale. `to_do` completes "set procedural = false to ...".
void require_stored_weights(const network_model& m, const std::string& to_do);

// The parameters of m in the order assemble() takes them (copies).
network_parameters parameters_of(const network_model& m);

}  // namespace gust
