#pragma once
// The read-out's spikes of processes that simulated each image together
// (sim_options::ranks), each holding its own partitions' spikes, brought to
// the first process: there, each image's record holds what one process
// simulating every partition would have recorded, in the same order.
#include <vector>

#include "sim/communicator.hpp"
#include "sim/simulation.hpp"

namespace gust {

// A collective of `ranks`. On the first process, every record's steps and
// neurons become those of all processes merged; elsewhere they are left
// as they are.
void gather_readout_spikes(std::vector<image_record>& records, const communicator& ranks);

}  // namespace gust
