#pragma once
// The salt-and-pepper corruption of training inputs (docs/model.md): every
// pixel of the clean image is kept with probability keep_p (0.35) and zeroed
// otherwise. Pixel i of image `image` in pass `pass` is kept where
// uniform(stream_id(corruption, pass), image, step 0, unit i) < keep_p, a pure
// function of the seed (docs/rng.md), so a resumed run corrupts identically.
#include <cstddef>
#include <cstdint>

#include "core/counter_rng.hpp"

namespace gust::learning {

constexpr double default_keep_probability = 0.35;

void corrupt_image(const counter_rng& rng, std::uint32_t pass, std::size_t image, const float* clean,
                   float* out, std::size_t n, float keep_p);

}  // namespace gust::learning
