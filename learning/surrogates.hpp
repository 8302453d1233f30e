#pragma once
// The surrogate derivatives of docs/model.md, as the backward passes use them.
// The forward is exact (s = H(m - theta) * 1[r < 1]); only its derivatives are
// replaced:
//   threshold:   ds/dm = 1 where |m - theta| < half_width (0.5), else 0
//   gate:        g = 1[r < 1] as a function of -r, slope 1 exactly at r == 0,
//                so ds/dr = -H(m - theta) where r == 0
//   refractory:  r' = max(0, r - 1 + tau * s) passes gradient where r' > 0
// The random draws (noise, release, corruption, initial line) are constants.
#include <cmath>

#include "neurons/gust_neuron.hpp"

namespace gust::learning {

constexpr float default_surrogate_half_width = 0.5f;

// Whether the membrane m lies inside the threshold box (strict, as published).
inline bool in_threshold_window(float m, float theta, float half_width) {
    return std::fabs(m - theta) < half_width;
}

// d g / d(-r) of the refractory gate g = 1[r < 1].
inline float refractory_gate_slope(refractory_t r_before) { return r_before == 0 ? 1.0f : 0.0f; }

// Whether the max(0, .) of the refractory update lets gradient through.
inline bool refractory_update_passes(refractory_t r_after) { return r_after > 0; }

}  // namespace gust::learning
