#pragma once
// The published GUST network as an instance of the generic description:
//   pixels (spiking) -> enc1 (relu)  delay 0, weight W1
//   pixels           -> enc1         delay 1, W1, release p   (the copy)
//   enc1 -> hidden (sigmoid) -> [delay T] -> dec1 (relu) -> context (sigmoid)
//   context modulates pixels at the same step.
#include "sim/model.hpp"
#include "sim/network.hpp"

namespace gust {

struct paper_populations {
    static constexpr std::size_t pixels = 0, enc1 = 1, hidden = 2, dec1 = 3, context = 4;
};

network paper_network(const gust_model& m);
// The same, taking over the model's weight arrays instead of copying them
// (half the memory for a large network); m keeps its sizes and biases.
network paper_network(gust_model&& m);

}  // namespace gust
