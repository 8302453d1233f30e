#pragma once
// A training batch's loss and gradient shared among the ranks of a job
// (data parallel). Each rank computes a contiguous range of the batch's
// image groups and hands each group's values, unsummed, to rank 0, which
// folds them in group order from zero, as one process folds them, and sends
// the sum back to every rank. So every rank takes the same Adam step and
// holds the same model, and the bits equal one process's for any rank count.
// Traffic per batch: every group's gradient into rank 0 (the groups of
// ranks 1..R-1, one parameter vector each), one gradient out to each rank.
#include "learning/training_loss.hpp"
#include "sim/communicator.hpp"

namespace gust::learning {

training_result training_loss_and_gradient(const network_model& m, const image_inputs& in, const draw_source& draws,
                                           const bptt_options& opt, int threads, bool with_gradient,
                                           const communicator& job);

}  // namespace gust::learning
