#pragma once
// The ranks of one job read the same inputs. Across machines that do not
// share a file system each rank reads its own copy of the model, network
// description, data set or checkpoint; a copy that differs from rank 0's
// (stale, edited, cut short) would make the job compute what no single
// process computes, silently.
#include <string>
#include <vector>

#include "sim/communicator.hpp"

namespace gust::cli {

// Compares each file of `paths` (one list per rank, as long on every rank;
// an empty path is "no file") with rank 0's copy by size and checksum (io/file_identity.hpp); a
// rank whose copy differs fails the job, naming the file, its machine and
// both identities. Nothing is compared in one process, nor read where every
// rank opens rank 0's file on rank 0's machine (io/file_location).
void require_same_files(const communicator& job, const std::vector<std::string>& paths);

}  // namespace gust::cli
