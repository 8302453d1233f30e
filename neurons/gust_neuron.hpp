#pragma once
// The GUST stochastic threshold neuron: plain functions on plain state, so the
// dense and the event backends run exactly the same arithmetic.
//   m = x * c + u         (u ~ Uniform[0,1) fresh per neuron and step)
//   s = m > theta and r < 1
//   r = max(0, r - 1 + tau_r * s)
// Arithmetic is float32 like the reference, so thresholds flip identically.
#include <cstddef>
#include <cstdint>

namespace gust {

struct gust_neuron_params {
    float theta = 1.0f;
    int refractory = 9;
};

// Refractory counters are small integers (0..tau_r-1); one byte each.
using refractory_t = std::uint8_t;

inline bool gust_fires(float x, float c, float u, refractory_t r, float theta) {
    const float m = x * c + u;
    return m > theta && r < 1;
}

inline refractory_t gust_refractory_next(refractory_t r, bool spiked, int tau_r) {
    const int next = static_cast<int>(r) - 1 + (spiked ? tau_r : 0);
    return static_cast<refractory_t>(next > 0 ? next : 0);
}

// Whether neuron can fire at all this step: only pixels with input and no
// refractoriness; the event backend skips every other neuron.
inline bool gust_can_fire(float x, refractory_t r) { return x != 0.0f && r < 1; }

// Steps a whole layer: writes spikes (0/1) and updates r in place.
inline void gust_step_layer(const float* x, const float* c, const float* u, refractory_t* r,
                            float* spikes, std::size_t n, const gust_neuron_params& p) {
    for (std::size_t i = 0; i < n; ++i) {
        const bool s = gust_fires(x[i], c[i], u[i], r[i], p.theta);
        spikes[i] = s ? 1.0f : 0.0f;
        r[i] = gust_refractory_next(r[i], s, p.refractory);
    }
}

}  // namespace gust
