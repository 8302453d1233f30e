#pragma once
// What `gust run --checkpoint-every` needs besides the simulation: the text
// that says which run a round file belongs to, and the rounds a resumed run
// takes over (io/run_checkpoint.hpp holds the files themselves).
#include <cstddef>
#include <string>
#include <vector>

#include "apps/model_source.hpp"
#include "apps/simulation_inputs.hpp"
#include "io/run_checkpoint.hpp"
#include "sim/probe.hpp"

namespace gust::cli {

// Everything that decides the records of the run's images: the model (or
// description and init seed) and data set as files now (size and time of
// change: one rewritten in between would mix two runs), the split and
// images, cycles, seed, backend, each --record and the round size. Threads,
// partitions and ranks are left out: the records do not depend on them.
std::string records_definition(const model_source& source, const simulation_flags& f, std::size_t first_image,
                               std::size_t images, const std::string& backend, const std::vector<std::string>& record,
                               std::size_t per_round);

// The rounds kept in `folder` that every rank skips: rank 0 reads and checks
// them (their records into `records`), the others learn how many.
std::size_t take_over_rounds(const std::string& folder, const std::string& definition, std::size_t per_round,
                             std::size_t images, const network& net, std::int64_t steps,
                             const std::vector<probe>& probes, const communicator& job,
                             std::vector<image_record>& records);

}  // namespace gust::cli
