#include "learning/context_gain.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gust::learning {

gust_model with_context_gain(gust_model m, double gain, double offset) {
    if (!(std::isfinite(gain) && gain > 0)) throw input_error("gain", std::to_string(gain) + " must be a positive finite number");
    if (!std::isfinite(offset)) throw input_error("offset", "must be a finite number");
    // In double, then rounded once: gain 1, offset 0 is the identity.
    bool finite = true;
    for (float& w : m.dec2.weight) finite &= std::isfinite(w = static_cast<float>(gain * w));
    for (float& b : m.dec2.bias) finite &= std::isfinite(b = static_cast<float>(gain * b + offset));
    if (!finite) throw input_error("context gain and offset: the decoder's output layer would not be finite in float");
    return m;
}

}  // namespace gust::learning
