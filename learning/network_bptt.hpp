#pragma once
// Surrogate-gradient BPTT for any network a model file can hold: dense and
// CSR weight sets (gradients only on stored synapses), any graded layers,
// delays and release probabilities, around the one spiking population.
//
// The forward pass is the dense simulation backend itself, observed step by
// step (sim/dense_backend.hpp): training fires exactly the spikes `gust run`
// fires for the same draws, by construction, on every network. The tape is
// what the observer records, event-based (learning/event_tape.hpp): what
// moved away from rest, step by step; refractory counters follow from the
// spike times; release masks, membrane noise and initial histories are
// recomputed from the counter-based draws.
// The backward pass walks steps and populations in reverse (docs/learning.md):
//   graded:   d a = d out * act'(out);  d W += d a x input (stored synapses);
//             d input = W^T d a, sent back through each projection's delay
//             and release mask;
//   spiking:  the surrogate of neurons/gust_neuron_backward.hpp and the refractory
//             chain, d c = x d m into the context population.
// The loss is learning/loss.hpp's on the context of the last cycle.
#include <cstddef>
#include <vector>

#include "learning/group_selection.hpp"
#include "learning/train_forward.hpp"
#include "sim/network_model.hpp"

namespace gust::learning {

// d loss / d parameters in the parameters' own layout: one vector per weight
// set (dense rows x cols, or one value per stored synapse), one per
// population's bias (empty where there is none).
struct network_gradient {
    std::vector<std::vector<float>> weights, biases;

    static network_gradient zeros_like(const network_model& m);
    void add(const network_gradient& o);  // element by element
};

struct network_batch_result {
    double loss = 0;         // summed over the images
    std::size_t spikes = 0;
    std::size_t tape_bytes = 0;  // the largest tape of one image
    // A tape of [steps, units] floats per population, for comparison.
    std::size_t dense_tape_bytes = 0;
    network_gradient grad;   // empty without gradient
    bool cancelled = false;  // opt.cancel was set: the figures are incomplete
};

// Images are split into fixed groups run in parallel (threads: 0 = every
// core) and summed in group order: the same bits for any thread count.
// Images that run together on one worker, a group of the batch; fixed by
// the batch, never by the thread count.
constexpr std::size_t network_group_size = 8;

network_batch_result network_loss_and_gradient(const network_model& m, const image_inputs& in,
                                               const draw_source& draws, const bptt_options& opt, int threads,
                                               bool with_gradient = true, const group_selection& groups = {});

// Throws input_error (prefixed with origin) unless m can be trained:
// theta >= 1, so that a pixel without input (membrane u < 1) never fires.
void require_trainable(const network_model& m, const std::string& origin);

}  // namespace gust::learning
