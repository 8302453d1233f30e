#pragma once
// `gust run --record SPEC`: what to record besides spikes, written as
//   POPULATION[.refractory][:UNITS][@STEPS]
// UNITS is a comma list of units and inclusive ranges (0-99,200); STEPS is
// FIRST:END[:STRIDE] like a Python slice (END empty: to the end of the run).
// Examples: context   context:0-27@290:300   pixels.refractory@0::10
#include <string>

#include "sim/network_description.hpp"
#include "sim/probe.hpp"

namespace gust::cli {

// Throws input_error naming --record and the spec when it does not parse or
// names no population of d.
probe parse_record_option(const std::string& spec, const network_description& d);

}  // namespace gust::cli
