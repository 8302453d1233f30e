#pragma once
// What a user writes to define a GUST network (docs/network.md), as values:
// the image grid, the cycle length T, populations and projections, with how
// each projection's synapses and weights are first drawn. A description plus
// a seed determines a fresh model (sim/network_init.hpp); a model file stores
// its description beside the trained weights (io/network_file.hpp).
//
// Order matters and is kept: populations are numbered as listed (the random
// draws are keyed by population and projection numbers), and the weight sets
// are drawn in the order of the projections that own them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/network.hpp"

namespace gust {

struct population_spec {
    std::string name;
    population::kind type = population::kind::graded;
    std::size_t size = 0;       // units (the spiking population: height x width)
    bool image_sized = false;   // `size = "image"`: height x width, written back that way
    // graded
    activation act = activation::sigmoid;
    bool bias = true;
    initial_history history = initial_history::zeros;
    // spiking
    std::string context;
    float theta = 1.0f;
    int refractory = 9;

    int line = 0;  // where it was defined in its file (0: built in code)
};

// How a weight set's synapses are drawn when a model is created.
enum class connectivity {
    dense,   // every source reaches every target
    random,  // each target draws fan_in distinct sources uniformly
    local,   // ... among the sources within `radius` grid cells of it
};

// How a local set's synapses are drawn: exactly fan_in per target row
// (Floyd's sampling, which depends on the whole row), or each candidate on
// its own with probability fan_in / candidates, a pure function of (seed,
// set, row, source) that can be regenerated instead of stored
// (core/procedural_synapses.hpp).
enum class synapse_draw {
    fixed,
    independent,
};

enum class weight_init {
    uniform,  // PyTorch's Linear default: U(-g/sqrt(F), g/sqrt(F)), F the fan-in
    zero,
};

struct projection_spec {
    std::string name;    // its weight set: a model file stores /<name>/weight
    std::string source, target;
    std::string shares;  // instead of a weight set of its own, reuse this one
    int delay = 0;       // steps between emission and delivery
    bool delay_is_cycle = false;  // `delay = "cycle"`: T
    float release_p = 1.0f;
    connectivity conn = connectivity::dense;
    std::size_t fan_in = 0, radius = 0;
    synapse_draw draw = synapse_draw::fixed;
    bool procedural = false;  // synapses regenerated when read, not stored (draw = independent)
    weight_init init = weight_init::uniform;
    float gain = 1.0f;

    int line = 0;
    bool owns_weights() const { return shares.empty(); }
};

struct network_description {
    std::size_t height = 28, width = 28;  // the image, and the grid every population is laid out on
    int cycle = 10;                       // T
    std::string readout;                  // the population whose spikes are reported
    std::vector<population_spec> populations;
    std::vector<projection_spec> projections;

    std::size_t pixels() const { return height * width; }
    // Index of the population or projection weight set named `name`; npos if none.
    std::size_t population_index(const std::string& name) const;
    std::size_t weight_set_owner(const std::string& name) const;
};

// Throws input_error, prefixed with `origin` and the line of the definition at
// fault (`origin:line: ...`), unless the description is complete and
// consistent: names unique, references resolved, sizes positive, delays and
// probabilities in range, receptive fields within their layers, at least one
// spiking population, each with a context of its own that matches it, the
// read-out one of them, and no loop without delay.
void validate(const network_description& d, const std::string& origin);

}  // namespace gust
