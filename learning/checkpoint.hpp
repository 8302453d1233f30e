#pragma once
// A training run's checkpoint, one HDF5 file written atomically (io/atomic_file):
//   /model/<set>/...               the current model, laid out as a model file's
//                                  weight sets and biases (docs/formats.md); root
//                                  attribute `network`: its description
//   /adam/m/<set>/{weight,bias}, /adam/v/...   Adam moments by parameter
//                                  (learning/model_parameters.hpp); attribute /adam step
//   /log                           float64 [epochs, 5]: epoch, train_loss, val_loss, lr, wall_s
//   root attributes                format = "gust-checkpoint", version, the configuration
//                                  (data_path, split, epochs, batch, lr, cycles, seed as a
//                                  decimal string, keep_prob, val_fraction, patience,
//                                  train_size, hidden, inner, lr_milestones as
//                                  "60,100,200" or "none", init = the --init model
//                                  or ""; a file without these two ran the reference
//                                  schedule from a fresh model), network_path = the
//                                  --network description or "", and the state
//                                  (epoch, batch, epoch_loss_sum, epoch_images, best_val,
//                                  best_epoch, epochs_since_best, wall_s, stopped_early).
// Version 1 (no `network`; the paper network at root attributes T, theta,
// refractory, release_p, height, width) is read too. Reading checks every shape and value; any problem is an input_error naming
// the file, and nothing is written.
#include <cstddef>
#include <string>

#include "learning/training_state.hpp"

namespace gust::learning {

void write_checkpoint(const std::string& path, const train_config& c, const training_state& s);
// Refuses a run whose training would not fit in memory, with `processes_here`
// processes on this machine each holding it (learning/training_memory.hpp),
// before its weights and moments are read.
void read_checkpoint(const std::string& path, train_config& c, training_state& s, std::size_t processes_here = 1);

}  // namespace gust::learning
