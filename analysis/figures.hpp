#pragma once
// The read-out figures of `gust analyze --figures`, drawn on a canvas:
//  - binding picture (as the paper's Fig. 4): ground-truth groups | pixels
//    coloured by their spike phase over the last cycles (ground-truth outline
//    drawn over it) | the clusters of the last cycle, each cluster in the
//    colour of the group it covers most;
//  - spike raster: pixels sorted and coloured by ground-truth group, time on x;
//  - AMI and SynScore versus step: mean line and mean +- std band over images.
// Every figure carries its own titles, axis labels and colour key.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/canvas.hpp"
#include "analysis/image_readout.hpp"
#include "analysis/readout_summary.hpp"
#include "analysis/spike_trains.hpp"

namespace gust::analysis {

// What the per-image figures show of one image.
struct image_view {
    std::size_t index = 0;                     // index in its split
    std::size_t height = 0, width = 0;
    const std::vector<std::int32_t>* labels = nullptr;  // height * width
    const std::vector<float>* input = nullptr;          // height * width, or empty
    const cycle_trains* trains = nullptr;
    const image_readout* readout = nullptr;
};

// Colour of ground-truth group g >= 1 (and of the clusters matched to it).
rgb group_colour(int g);
// Colour of a spike phase in [0, T): hues round the colour wheel.
rgb phase_colour(double phase, int T);

canvas binding_picture(const image_view& v, int last_cycles = 5);
canvas spike_raster(const image_view& v);
canvas metrics_plot(const std::vector<cycle_summary>& summary, std::size_t images, int T);

}  // namespace gust::analysis
