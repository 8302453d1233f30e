#pragma once
// What training a network holds in memory, known from its description before
// anything is drawn: its weight sets, and for every trainable value Adam's two
// moments, the batch's gradient (as summed, and in the parameters' layout)
// and the updated copy Adam writes, 4 bytes each. A run holds more besides
// (the data, each image's tape), but that part does not grow with the
// synapses. A network whose training would not fit in this machine's memory
// is refused at the start, saying what it needs, rather than killed by the
// kernel after its model is drawn and its first checkpoint written.
#include <string>

#include "sim/network_description.hpp"

namespace gust::learning {

double training_bytes(const network_description& d);

// Throws input_error naming `origin` when training_bytes(d) exceeds this
// machine's memory.
void require_training_fits(const network_description& d, const std::string& origin);

}  // namespace gust::learning
