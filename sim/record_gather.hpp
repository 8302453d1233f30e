#pragma once
// The records of processes that simulated each image together
// (sim_options::ranks), each holding what it recorded of its own rows: the
// read-out's spikes of its partitions, and of each probe its own units.
// Brought to the first process, each image's record holds what one process
// simulating every partition would have recorded, in the same order.
#include <cstdint>
#include <vector>

#include "sim/communicator.hpp"
#include "sim/event_setup.hpp"
#include "sim/probe.hpp"
#include "sim/simulation.hpp"

namespace gust {

// The units of `pr` that process `rank` of s's processes records: those in
// its partitions' rows, ascending.
std::vector<std::uint32_t> own_units(const event_setup& s, const probe& pr, std::size_t rank);

// A collective of `ranks`, whose processes share s's partitions. On the
// first process, every record's spikes and recorded states become those of
// all processes merged; elsewhere they are left as they are.
void gather_records(std::vector<image_record>& records, const event_setup& s, const std::vector<probe>& probes,
                    const communicator& ranks);

}  // namespace gust
