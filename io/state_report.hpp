#pragma once
// State reports (docs/formats.md, "State reports"): what a run's probes
// (sim/probe.hpp) recorded, one group per probe, laid out as SONATA lays out
// a report (data [steps, elements] with a mapping), with a leading image axis:
//   /report/<name>/data               float32 [images, steps, units]
//   /report/<name>/mapping/node_ids   uint64 [units]: the recorded units
//   /report/<name>/mapping/time       float64 [3]: first step, end step
//                                     (exclusive), stride; dt = 1 ms
//   /report/<name>/mapping/images     uint64 [images]: each image's index
//   attributes of /report/<name>: population, variable ("output" or "refractory")
// <name> is the population's name for its output, <population>.refractory
// for its counters, with _2, _3 ... for further probes of the same kind.
#include <string>
#include <vector>

#include "io/dataset_file.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace gust {

// The name each probe's group gets, in order.
std::vector<std::string> state_report_names(const std::vector<probe>& probes, const network& net);

// Writes atomically. records[i] holds images' i-th image's recorded values
// (sim_options::record = probes), for a run of `steps` steps.
void write_state_report(const std::string& path, const std::vector<probe>& probes, const network& net,
                        const std::vector<image_record>& records, const image_set& images, std::int64_t steps);

}  // namespace gust
