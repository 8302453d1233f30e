#pragma once
// Adam (Kingma & Ba), as torch.optim.Adam computes it with its defaults:
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// with b1 = 0.9, b2 = 0.999, eps = 1e-8. Element-wise in float, so the
// update has the same bits whatever the thread count.
#include <cstdint>
#include <vector>

#include "learning/model_parameters.hpp"

namespace gust::learning {

struct adam_params {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
};

struct adam_state {
    tensor_list m, v;       // in parameter_layout() order
    std::int64_t step = 0;  // updates done so far

    static adam_state zeros_like(const network_model& model);
};

// One update of every parameter tensor with gradient g at learning rate lr.
void adam_step(tensor_list& params, const tensor_list& g, adam_state& s, double lr, const adam_params& p = {});

}  // namespace gust::learning
