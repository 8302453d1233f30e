#pragma once
// A fresh model file written as the model is drawn (gust init): each stored
// sparse set's rows are drawn a block at a time as its datasets are
// written, so that a model of any size takes the memory of its dense sets,
// biases and row offsets and of one block of rows, not of its synapses. The
// file holds the bytes write_network_model writes of the same model drawn
// whole (init_network).
#include <cstdint>
#include <string>

#include "io/h5.hpp"
#include "io/progress.hpp"
#include "sim/network_model.hpp"

namespace gust {

// `unfilled`: init_network_unfilled(d, seed, ...), its stored sparse sets'
// rows empty. Returns the synapses written (of a procedural set, those its
// rule expects).
std::size_t write_fresh_network_model(const std::string& path, const network_model& unfilled, std::uint64_t seed,
                                      const io_progress& progress = {}, const h5::transfer& t = {});

}  // namespace gust
