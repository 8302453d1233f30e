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
// Gradients of all images are summed into `grad` (which must be shaped like
// the model); the order of every sum is fixed by the data, not by threads.
#include "learning/model_gradients.hpp"
#include "learning/train_forward.hpp"

namespace gust::learning {

void backward_events(const train_weights& w, const forward_tape& tape, const image_inputs& in,
                     const draw_source& draws, const bptt_options& opt, model_gradients& grad);

}  // namespace gust::learning
