#pragma once
// Where each of the processes that simulate every image together begins its
// part of every population (rank_share::split), so that each gets as many
// of the run's foreground pixels as it can: only they fire, and a step's
// work follows the spikes and the rows they reach. Equal parts of images
// whose shapes crowd into one half keep the other half's process waiting
// at every step. The parts stay contiguous, so receptive fields still
// cross few borders; the spikes do not depend on where the borders lie.
#include <cstddef>
#include <vector>

#include "sim/simulation.hpp"

namespace gust {

// ranks + 1 fractions from 0 to 1 of the pixels in row-major order: part r
// holds about an r-th share of the pixels that are not zero in any of
// `images`, and at least half an equal part (so that no process holds much
// more than twice its share of the model). Equal parts when no pixel is
// foreground or `ranks` is 1.
std::vector<double> balanced_split(const image_batch& images, std::size_t ranks);

}  // namespace gust
