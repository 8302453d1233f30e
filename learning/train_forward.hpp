#pragma once
// The forward pass of training: the paper network unrolled over `cycles`
// cycles for a group of images, recording what the backward pass needs.
//
// Within a cycle nothing depends on the same cycle's hidden vectors (the
// decoder reads the delay line written T steps earlier), so the dense hidden
// layers run once per cycle over all (image, phase) columns:
//   decoder:  Z3 = relu(W3 D + b3)                  [Md x images*T]
//   spikes:   step by step, per image, sparse       (only pixels with input)
//   encoder:  Z1 = relu(W1 (s + q) + b1)            sparse columns of W1
//             D' = sigmoid(W2 Z1 + b2)              [H x images*T]
// The context c_i = sigmoid(W4[i] . z3 + b4_i) is computed only for pixels
// with input that are not refractory (the only ones that can fire); in the
// last cycle the loss needs it for every pixel.
//
// Every layer is computed by the kernels and from the weight layout of the
// simulator's dense layers (neurons/panel_layer.hpp), in its canonical order,
// so each value is the bit the dense and event backends compute at that step:
// training fires exactly the spikes `gust run` fires, by construction.
//
// The spiking layer records only the (neuron, step) pairs the backward must
// visit: those whose membrane fell inside the surrogate window while the gate
// was open, and the spikes (for the refractory chain). A pixel without input
// has dm/dc = x = 0 and never appears.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "neurons/gust_neuron_backward.hpp"
#include "learning/train_weights.hpp"
#include "neurons/graded_layer.hpp"
#include "neurons/panel_layer.hpp"
#include "sim/draw_source.hpp"
#include "sim/paper_network.hpp"

namespace gust::learning {

// Images to train or validate on.
struct image_inputs {
    std::size_t count = 0, n = 0;
    const float* input = nullptr;      // count x n: what the network sees (the corrupted copy)
    const float* clean = nullptr;      // count x n: the loss target
    const std::size_t* ids = nullptr;  // each image's key for the draws (its index in the split)
};

struct bptt_options {
    int cycles = 8;
    float surrogate_half_width = default_surrogate_half_width;
    // Set (from any thread) to abandon the batch: groups of images not yet
    // started are skipped and the result is marked cancelled, to be thrown
    // away. Lets an interrupt stop a long batch within a group's time.
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

// Population and projection numbers the draws are keyed by: the paper
// network's (sim/paper_network.hpp).
constexpr std::size_t pixels_population = paper_populations::pixels, hidden_population = paper_populations::hidden,
                      release_projection = paper_projections::release;

// One (neuron, step) of the spiking layer that the backward pass visits.
struct visited_step {
    std::int32_t step;
    std::uint32_t neuron;
    float context, membrane;
    refractory_t r_before, r_after;
    bool spiked;
};

struct forward_tape {
    std::size_t images = 0;
    int cycles = 0, T = 0;
    activation_matrix initial_hidden;              // H x images*T: the random delay line
    std::vector<activation_matrix> dec1_out;       // per cycle: Md x images*T
    std::vector<activation_matrix> enc1_out;       // per cycle but the last: M x images*T
    std::vector<activation_matrix> hidden;         // per cycle but the last: H x images*T
    activation_matrix context_last;                // N x images*T
    std::vector<std::vector<visited_step>> visits; // per image, ascending step
    // Encoder input s + q of column (cycle, image, phase) = inputs[input_ptr[c] .. input_ptr[c+1]).
    std::vector<std::uint32_t> input_ptr;
    std::vector<column_input> inputs;
    std::vector<double> loss;                      // per image
    std::vector<float> d_context;                  // per image, n: d loss / d C_last[t] (any t)
    std::size_t spikes = 0;

    std::size_t column(int cycle, std::size_t image, int phase) const {
        return (static_cast<std::size_t>(cycle) * images + image) * static_cast<std::size_t>(T) +
               static_cast<std::size_t>(phase);
    }
};

// Buffers train_forward reuses from call to call; their contents never
// carry from one call into the next.
struct forward_scratch {
    panel_scratch layer;
    std::vector<panel_matrix> candidate_weights;  // per image: its candidates' rows of W4, packed
    std::vector<float> candidate_context;         // candidates x T
    std::vector<std::uint32_t> spikes_now;
    std::vector<column_input> column;
};

void train_forward(const train_weights& w, const image_inputs& in, const draw_source& draws,
                   const bptt_options& opt, forward_tape& tape, forward_scratch& scratch);
// The same with scratch of its own.
void train_forward(const train_weights& w, const image_inputs& in, const draw_source& draws,
                   const bptt_options& opt, forward_tape& tape);

}  // namespace gust::learning
