#pragma once
// A batch of images shared out over the processes of a job: each process
// simulates a contiguous, balanced share, and process 0 collects every
// image's record in image order. An image keys its random draws by its own
// index, so its record is the same bits in any share of any job size.
#include <cstddef>
#include <vector>

#include "sim/communicator.hpp"
#include "sim/simulation.hpp"

namespace gust {

struct image_share {
    std::size_t first = 0, count = 0;
};

// This process's share of `images` images (balanced; the first processes get
// the extra ones; a process may get none when there are more processes than
// images).
image_share share_of(std::size_t images, const communicator& comm);
// Share `part` of `parts` (groups of processes that each simulate images).
image_share share_of(std::size_t images, std::size_t part, std::size_t parts);

// Images [s.first, s.first + s.count) of b, pointing into b's pixels.
image_batch sub_batch(const image_batch& b, image_share s);

// Every process's records, concatenated in rank order, on process 0; empty
// on the others.
// Alone, a process's records are returned as they are, not copied.
std::vector<image_record> collect_records(std::vector<image_record> mine, const communicator& comm);

// The byte form collect_records sends (exposed for its tests).
std::vector<char> pack_records(const std::vector<image_record>& records);
std::vector<image_record> unpack_records(const std::vector<char>& bytes);

}  // namespace gust
