#pragma once
// A training batch's loss and gradient shared among the ranks of a job
// (data parallel). Each rank computes a contiguous range of the batch's
// image groups. A running sum, starting from zero on rank 0, then passes
// from rank to rank, each adding its own groups' values in group order: the
// fold one process makes, so the bits equal one process's for any rank
// count. Rank 0 sends the sum to every rank, which all take the same Adam
// step and hold the same model. Traffic per batch: one parameter vector per
// hop (R hops) and the broadcast of one.
#include "learning/training_loss.hpp"
#include "sim/communicator.hpp"

namespace gust::learning {

training_result training_loss_and_gradient(const network_model& m, const image_inputs& in, const draw_source& draws,
                                           const bptt_options& opt, int threads, bool with_gradient,
                                           const communicator& job);

}  // namespace gust::learning
