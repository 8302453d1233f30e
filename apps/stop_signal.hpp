#pragma once
// SIGINT and SIGTERM turned into a request to stop at the next point where
// the job's state is whole on disk (a training checkpoint, a finished round
// of `gust run`), instead of killing it there and then.
#include <string>

#include "sim/communicator.hpp"

namespace gust::cli {

void install_stop_handlers();

// The signal received (SIGINT or SIGTERM), or 0.
int stop_signal_received();

// Whether the job stops: rank 0's answer, which every rank follows (mpirun
// passes a signal to every rank, but not at the same moment).
bool job_stops(const communicator& job);

// "SIGINT" or "SIGTERM".
std::string stop_signal_name();

}  // namespace gust::cli
