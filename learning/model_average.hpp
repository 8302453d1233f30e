#pragma once
// The parameter-wise mean of several models of one architecture (weight
// averaging of a run's snapshots, or of runs from one starting point, "model
// soups"): every weight and bias is the mean of the models' values.
#include <string>
#include <vector>

#include "sim/model.hpp"

namespace gust::learning {

// Throws input_error naming models[k]'s origin (origins[k]) when fewer than
// one model is given, or a model's sizes, constants (T, theta, refractory,
// release probability) or sparse connectivity differ from the first one's.
gust_model average_models(const std::vector<gust_model>& models, const std::vector<std::string>& origins);

}  // namespace gust::learning
