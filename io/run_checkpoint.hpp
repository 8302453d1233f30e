#pragma once
// The records of a `gust run` kept as its images finish, so that a run of
// many images on a large network, interrupted (a signal, a batch system's
// time limit, a machine lost), resumes where it stopped and ends with the
// report an uninterrupted run writes, byte for byte.
//
// A folder beside the report, REPORT.partial/, holds one file per finished
// round of images, each written atomically (io/atomic_file.hpp):
//   round_<k>.h5   root attributes `run` (what defines the records: model,
//                  data, images, cycles, seed, backend, recorded states and
//                  the round size), `first` and `count` (the round's images,
//                  as positions in the run's list); dataset /records
//                  (uint8): the round's image records in the byte form
//                  ranks send them in (sim/image_shares.hpp).
// Round k holds positions [k * per_round, min((k + 1) * per_round, total)).
// The folder is removed once the report is written.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/simulation.hpp"

namespace gust {

std::string run_checkpoint_folder(const std::string& report_path);

void write_run_round(const std::string& folder, std::size_t round, const std::string& run, std::size_t first,
                     const std::vector<image_record>& records);

// What every record of the run holds: spikes of neurons below `neurons` at
// steps below `steps`, by step then neuron, and recorded[p] of
// `recorded[p]` values.
struct record_shape {
    std::size_t neurons = 0;
    std::int64_t steps = 0;
    std::vector<std::size_t> recorded;
};

struct finished_rounds {
    std::size_t rounds = 0;             // rounds 0 .. rounds-1 are done
    std::vector<image_record> records;  // theirs, in image order
};

// The records of the round file at `path`, which holds positions
// [first, first + count) of the run. Throws input_error naming it when
// another run wrote it (its `run` differs), it holds other positions, or
// its records are not `count` records of this run's shape.
std::vector<image_record> read_run_round(const std::string& path, const std::string& run, std::size_t first,
                                         std::size_t count, const record_shape& shape);

// The rounds found in `folder`, from round 0 up to the first missing one.
// Throws input_error naming a round file that another run wrote (its `run`
// differs), that is not where its number puts it, or whose records are not
// records of this run's shape.
finished_rounds read_run_rounds(const std::string& folder, const std::string& run, std::size_t per_round,
                                std::size_t total, const record_shape& shape);

}  // namespace gust
