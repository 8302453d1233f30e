#pragma once
// The parameter-wise mean of several models of one architecture (weight
// averaging of a run's snapshots, or of runs from one starting point, "model
// soups"): every weight and bias is the mean of the models' values; or their
// weighted mean, to interpolate between models or extrapolate a step.
#include <string>
#include <vector>

#include "sim/network_model.hpp"

namespace gust::learning {

// Any network. Throws input_error naming models[k]'s origin (origins[k])
// when fewer than one model is given, or a model's network (its
// description: sizes, constants, projections) or sparse connectivity
// differs from the first one's.
network_model average_models(const std::vector<network_model>& models, const std::vector<std::string>& origins);

// The weighted mean sum_k w_k m_k / sum_k w_k (equal weights give
// average_models' result, bit for bit). Weights may be negative: (2, -1) is
// the step from models[1] to models[0] taken once more (extrapolation), (1, 3)
// the point a quarter of the way from models[1] to models[0]. Throws
// input_error when the weights are not one per model, not finite, or sum to 0.
network_model weighted_models(const std::vector<network_model>& models, const std::vector<double>& weights,
                              const std::vector<std::string>& origins);

}  // namespace gust::learning
