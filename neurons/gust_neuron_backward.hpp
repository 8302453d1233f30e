#pragma once
// The backward of the GUST neuron's step (neurons/gust_neuron.hpp), with the
// surrogate derivatives of docs/model.md. The forward is exact
// (s = H(m - theta) * 1[r < 1]); only its derivatives are replaced:
//   threshold:   ds/dm = 1 where |m - theta| < half_width (0.5), else 0
//   gate:        g = 1[r < 1] as a function of -r, slope 1 exactly at r == 0,
//                so ds/dr = -H(m - theta) where r == 0
//   refractory:  r' = max(0, r - 1 + tau * s) passes gradient where r' > 0
// The random draws (noise, release, corruption, initial line) are constants.
// Both training passes take every neuron's step back through this.
#include <cmath>

#include "neurons/gust_neuron.hpp"

namespace gust {

constexpr float default_surrogate_half_width = 0.5f;

// Whether the membrane m lies inside the threshold box (strict, as published).
inline bool in_threshold_window(float m, float theta, float half_width) {
    return std::fabs(m - theta) < half_width;
}

// d g / d(-r) of the refractory gate g = 1[r < 1].
inline float refractory_gate_slope(refractory_t r_before) { return r_before == 0 ? 1.0f : 0.0f; }

// Whether the max(0, .) of the refractory update lets gradient through.
inline bool refractory_update_passes(refractory_t r_after) { return r_after > 0; }

// One neuron's step taken back: from the gradient of the loss with respect
// to its spike s (everything downstream that read it) and to its counter
// after the step, the gradients with respect to its membrane m and to its
// counter before the step.
struct gust_step_gradient {
    float membrane;
    float refractory_before;
};

inline gust_step_gradient gust_step_backward(float d_spike, float d_refractory_after, float m,
                                             refractory_t r_before, refractory_t r_after, float theta,
                                             int tau_r, float half_width) {
    const bool passes = refractory_update_passes(r_after);
    const float ds = passes ? d_spike + static_cast<float>(tau_r) * d_refractory_after : d_spike;
    const float gate = r_before < 1 ? 1.0f : 0.0f;
    const float dm = in_threshold_window(m, theta, half_width) ? ds * gate : 0.0f;
    // s = H(m - theta) g(-r): ds/dr = -H(m - theta) g'(-r).
    const float fired_slope = m > theta ? refractory_gate_slope(r_before) : 0.0f;
    return {dm, (passes ? d_refractory_after : 0.0f) - fired_slope * ds};
}

}  // namespace gust
