#pragma once
// The event-based backward pass: surrogate-gradient BPTT through the whole
// unrolled simulation recorded by train_forward, cycle by cycle in reverse.
//
//   dense (GEMMs over all (image, phase) columns of a cycle):
//     encoder  dA2 = dD' * D'(1-D'),  dW2 += dA2 Z1^T,  dA1 = (W2^T dA2) * [Z1 > 0]
//     decoder  dA3 = (W4^T dA4) * [Z3 > 0],  dW3 += dA3 D^T,  dD = W3^T dA3
//   event-based:
//     first encoder layer: dW1[:, i] += v_i dA1 only for the pixels that
//       delivered a spike or a released copy (v = s + q != 0);
//     spiking layer: only the visited (neuron, step) pairs: ds_k = W1[:,i].dA1_k
//       + b_{k+1,i} W1[:,i].dA1_{k+1} (the copy), the refractory chain, then
//       dm = ds in the window, dc = x dm, dA4 = dc c (1-c) on that row only;
//     decoder output layer: dW4[i, :] += dA4_i z3 on those rows (dense in the
//       last cycle, where the loss reads every pixel).
// Gradients of all images are added to `acc` (shaped by reset()); the order
// of every sum is fixed by the data, not by threads. `ws` is scratch space,
// reused between calls to avoid reallocating (and page-faulting) it.
#include "learning/gradient_accumulator.hpp"
#include "learning/train_forward.hpp"

namespace gust::learning {

// The refractory chain's gradient of each neuron, carried backwards in time:
// d loss / d r_before at the latest visited step (neurons/gust_neuron_backward.hpp).
struct refractory_carry {
    std::vector<float> value;
    std::vector<std::int32_t> step;  // -1: nothing carried
    std::vector<refractory_t> r_before;

    void reset(std::size_t n) {
        value.assign(n, 0.0f);
        step.assign(n, -1);
        r_before.assign(n, 0);
    }

    // d loss / d r_after at step k of neuron i. Between two visited steps the
    // neuron neither spikes nor enters the window, so the gate term is zero
    // and r decreases by one per step: the chain from step k2 back to k
    // survives iff every r_after in (k, k2) is > 0, i.e. iff r_before(k2) > 0
    // (or there is no step in between).
    float after(std::uint32_t i, std::int32_t k) const {
        if (step[i] < 0) return 0.0f;
        return (step[i] == k + 1 || r_before[i] > 0) ? value[i] : 0.0f;
    }
};

struct backward_workspace {
    activation_matrix dH, dA1, dA1_next, dA2, dZ3, dA4;
    std::vector<refractory_carry> carry;
    std::vector<std::size_t> cursor;
    struct sparse_entry {
        Eigen::Index col;
        std::uint32_t row;
        float value;
    };
    std::vector<sparse_entry> dA4_rows;  // d a4 of the visited rows of a cycle
};

void backward_events(const train_weights& w, const forward_tape& tape, const image_inputs& in,
                     const draw_source& draws, const bptt_options& opt, gradient_accumulator& acc,
                     backward_workspace& ws);

}  // namespace gust::learning
