#pragma once
// The dense time-stepped backend: every neuron and unit of every population
// is updated every step, exactly as the spec reads. It is the equivalence
// reference for the event backend; parallel over images only, so its results
// do not depend on the thread count.
#include "sim/draw_source.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace gust {

std::vector<image_record> simulate_dense(const network& net, const image_batch& images,
                                         const draw_source& draws, const sim_options& opt,
                                         const step_observer& observe = {});

}  // namespace gust
