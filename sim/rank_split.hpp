#pragma once
// Where each of the processes that simulate every image together begins its
// part of every population (rank_share::split). Only the shapes' pixels
// fire, and a step's work follows the spikes and the rows they reach, so a
// part's work on an image is taken to be its foreground pixels there. The
// processes wait for each other at every step, so an image takes as long
// as its busiest part: the borders are placed to make the sum over the
// run's images of that largest part small (a search row by row). Equal parts of images whose shapes
// crowd into one half would keep the other half's process waiting. The
// parts stay contiguous bands of grid rows, so receptive fields still cross
// few borders; the spikes do not depend on where the borders lie.
#include <cstddef>
#include <vector>

#include "sim/simulation.hpp"

namespace gust {

// ranks + 1 fractions from 0 to 1 of the image's grid rows (so of the
// pixels, in row-major order, `width` to a row). Each part holds at least
// rows / (2 x ranks) rows (rounded down), about half an equal part, so
// that no process holds much more than twice its share of the model.
// Starting from the borders that split the summed foreground evenly, or
// from equal parts where those leave the images' largest parts less, each
// border in turn moves to the row that lowers the sum of the images'
// largest parts most, until none does: never more than equal parts by
// that measure, and for one image on two parts, parts of equal foreground.
// Equal parts when `ranks` is 1, the images have no foreground, or there
// are fewer than 2 x ranks grid rows.
std::vector<double> balanced_split(const image_batch& images, std::size_t width, std::size_t ranks);

}  // namespace gust
