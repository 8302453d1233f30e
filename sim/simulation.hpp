#pragma once
// What every backend takes and returns: the images to simulate, the options,
// and per image the recorded spikes (and, on request, population outputs).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "neurons/gust_neuron.hpp"
#include "sim/probe.hpp"

namespace gust {

class communicator;

struct image_batch {
    std::size_t count = 0, size = 0;  // images x pixels
    const float* pixels = nullptr;    // count x size, row-major
    // The image's index in its split: keys the random draws, so an image
    // gives the same spikes alone or in any batch.
    std::vector<std::size_t> ids;
};

struct sim_options {
    int cycles = 30;
    int threads = 0;  // 0: every core
    // Event backend: split every population into this many contiguous ranges,
    // processed in parallel within an image. Results never depend on it.
    std::size_t partitions = 1;
    // Event backend: the processes that simulate every image together, each
    // owning `partitions` of them and exchanging what crosses their borders
    // at every step (sim/partition_exchange.hpp); null: this process alone.
    // Every process gets every image's record. Results never depend on it.
    const communicator* ranks = nullptr;
    // Where each of those processes' parts begins (rank_share::split;
    // empty: equal parts). Results never depend on it.
    std::vector<double> rank_split;
    // What is recorded besides spikes (sim/probe.hpp); a population index
    // alone records its whole output at every step.
    std::vector<probe> record;
};

struct image_record {
    // Spikes sorted by step, then neuron: spike j is neuron neurons[j] at steps[j].
    std::vector<std::int64_t> steps;
    std::vector<std::uint32_t> neurons;
    // Parallel to sim_options::record: each probe's recorded steps one after
    // another, its units within a step.
    std::vector<std::vector<float>> recorded;
};

// Read-only view of one step, for observers (tests, tracing).
struct step_view {
    std::size_t image = 0;  // position in the batch
    std::int64_t step = 0;
    std::vector<const float*> outputs;  // per population, this step's output
    std::vector<const refractory_t*> refractory;  // per population: a spiking one's counters after the update, else null
};
using step_observer = std::function<void(const step_view&)>;

}  // namespace gust
