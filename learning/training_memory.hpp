#pragma once
// What training a network holds in memory, known from its description before
// anything is drawn: its weight sets, and for every trainable value Adam's two
// moments, the batch's gradient (as summed, and in the parameters' layout)
// and the updated copy Adam writes, 4 bytes each. A run holds more besides
// (the data, each image's tape), but that part does not grow with the
// synapses. A network whose training would not fit in this machine's memory
// is refused at the start, saying what it needs, rather than killed by the
// kernel after its model is drawn and its first checkpoint written.
#include <cstddef>
#include <string>

#include "sim/network_description.hpp"

namespace gust::learning {

double training_bytes(const network_description& d);

// Throws input_error naming `origin` when `processes_here` processes on this
// machine (ranks of one data-parallel job each hold all of it) would need
// more than its memory.
void require_training_fits(const network_description& d, const std::string& origin, std::size_t processes_here = 1);

}  // namespace gust::learning
