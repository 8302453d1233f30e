#pragma once
// The communicator of a gust process: MPI's world when mpirun started it
// (gust built with MPI), else this process alone. Only the CLI links MPI.
#include <memory>

#include <tbb/global_control.h>

#include "sim/communicator.hpp"

namespace gust::cli {

// Starts MPI when the environment says mpirun launched this process, and
// finishes it when the result is destroyed. Throws input_error when it did
// but this gust was built without MPI (every rank would write the same files).
std::unique_ptr<communicator> start_job(int& argc, char**& argv);

// Worker threads of this rank for --threads: 0 shares the machine's cores
// among the ranks running on it.
int threads_per_rank(int threads, const communicator& job);

// Keeps every parallel part of the process (drawing a fresh model, building
// fan-out tables, simulating) to `threads` workers while it lives; 0: no
// limit.
std::unique_ptr<tbb::global_control> limit_workers(int threads);

}  // namespace gust::cli
