#pragma once
// The network description every backend schedules: populations (spiking
// GUST layers, each driven by the image, and graded ANN layers) and projections between them, each with its
// weights, its delay in steps and its release probability. Backends must not
// hard-code the paper network; sim/paper_network.hpp builds it as one instance.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/activation.hpp"
#include "core/local_window.hpp"
#include "core/weight_matrix.hpp"

namespace gust {

// What a population's output was before step 0 (the history that delayed
// projections read during the first steps).
enum class initial_history { zeros, uniform };

struct population {
    enum class kind { spiking, graded };

    std::string name;
    kind type = kind::graded;
    std::size_t size = 0;

    // graded: out = act(bias + sum of afferent W * source)
    activation act = activation::sigmoid;
    std::vector<float> bias;  // size entries (empty = zero)

    // spiking (GUST neuron): membrane m = x * c + u with c the output of the
    // context population at the same step, x the external image input.
    std::size_t context = 0;
    float theta = 1.0f;
    int refractory = 9;

    initial_history history = initial_history::zeros;
};

struct projection {
    std::size_t source = 0, target = 0;
    // Shared between projections that use the same matrix (the paper's spike
    // and its delayed copy).
    std::shared_ptr<const weight_matrix> weights;
    int delay = 0;          // delivered `delay` steps after the source emits
    float release_p = 1.0f; // per presynaptic unit and delivery step
    // A local projection's receptive fields, as its description gives them
    // (null otherwise). A claim about the weights, not a check: a reader
    // that relies on it checks the stored synapses first (sim/grid_reach.hpp).
    std::shared_ptr<const local_window> fields;
};

struct network {
    std::vector<population> populations;
    std::vector<projection> projections;
    std::vector<std::size_t> spiking;  // the spiking populations, ascending; the image drives each
    std::size_t readout = 0;           // the spiking population whose spikes a run reports
    int cycle = 10;                    // steps per cycle, for read-out (T)

    bool is_spiking(std::size_t p) const { return populations[p].type == population::kind::spiking; }

    // Populations in an order where every zero-delay source precedes its target.
    std::vector<std::size_t> evaluation_order() const;
    // [population]: a spiking population's place in `spiking` (0 for the others).
    std::vector<std::size_t> spiking_places() const;
    // Longest delay of any projection leaving population p.
    int max_delay_from(std::size_t p) const;
    // Throws input_error when the description is inconsistent: the
    // populations, the projections and (unless check_weights is false, for a
    // caller that has just validated every weight set itself) their weights.
    void validate(bool check_weights = true) const;
    // Throws input_error unless images of `pixels` pixels fit the spiking populations.
    void check_image_size(std::size_t pixels) const;
};

}  // namespace gust
