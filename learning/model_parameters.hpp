#pragma once
// A model's trainable parameters as one flat list of tensors, the order and
// names training, Adam and checkpoints share: for each weight set in file
// order, its weights (`/<set>/weight`, dense [rows, cols] or one value per
// stored synapse) and then the bias stored with it (`/<set>/bias`, the
// target population's, when that set is the first to target it). For the
// paper network this is encoder/fc1 weight, bias, encoder/fc2 ..., the
// published code's order. The synapses of a sparse set are structure, not
// parameters: only their values train.
#include <string>
#include <vector>

#include "learning/network_bptt.hpp"
#include "sim/network_model.hpp"

namespace gust::learning {

using tensor_list = std::vector<std::vector<float>>;

struct parameter_slot {
    std::string name;         // e.g. "/encoder/fc1/weight"
    std::size_t weight_set;   // index among the weight sets
    bool is_bias = false;
    std::size_t population = 0;  // for a bias: whose it is
    std::vector<std::size_t> shape;
};

std::vector<parameter_slot> parameter_layout(const network_model& m);

// Copies of the parameters, in layout order.
tensor_list parameter_values(const network_model& m);

// m with its parameters replaced by `values` (layout order), taken over.
network_model with_parameter_values(const network_model& m, tensor_list&& values);

// A gradient in layout order.
tensor_list gradient_values(const network_model& m, network_gradient&& g);

// Zeros shaped like the parameters.
tensor_list zeros_like_parameters(const network_model& m);

}  // namespace gust::learning
