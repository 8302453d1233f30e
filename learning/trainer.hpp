#pragma once
// The training loop of docs/model.md: per epoch, shuffle the training
// images, corrupt each one (salt and pepper), and for each batch take the
// loss and the surrogate gradient (batch_gradient) and one Adam step at the
// scheduled learning rate; then the validation loss (fixed corruption and
// draws), best-model keeping and early stopping.
//
// A run lives in a folder:
//   checkpoint.h5   everything needed to continue (learning/checkpoint.hpp),
//                   rewritten atomically after every epoch
//   log.csv         epoch,train_loss,val_loss,lr,wall_s (losses per image)
//   best.h5         the model with the lowest validation loss (model file)
//   last.h5         the model after the latest epoch (model file)
//   snapshots/epoch_N.h5  with keep_every_epochs = k: the model after every
//                   k-th epoch N (to measure grouping over training)
//   snapshots/epoch_N_batch_B.h5  with keep_every_batches = k: the model
//                   after batch B of epoch N, every k-th batch inside an
//                   epoch (a finer choice of model along one run)
// A run stopped at any moment (even SIGKILL) and continued from its
// checkpoint ends with the same bits as an uninterrupted one: the checkpoint
// holds the weights, the Adam moments and the counters, and every random draw
// is a pure function of (seed, epoch, image) (docs/rng.md).
#include <cstddef>
#include <atomic>
#include <functional>
#include <string>

#include "io/dataset_file.hpp"
#include "sim/communicator.hpp"
#include "learning/training_state.hpp"

namespace gust::learning {

struct training_data {
    image_set images;         // the first n_train + n_val images of the split
    std::size_t n_train = 0;  // images [0, n_train) train
    std::size_t n_val = 0;    // images [n_train, n_train + n_val) validate
};

// Reads the split; throws input_error naming the file (or the option) when
// the split is missing or too small to hold one training and one validation image.
training_data load_training_data(const train_config& c);

// A fresh model (seeded by c.seed: of c.network_path's description, or the
// paper network sized by the images and c.hidden, c.inner) and zero Adam moments.
// Refused (input_error) when `processes_here` processes on this machine
// could not each hold its training (learning/training_memory.hpp).
training_state fresh_training_state(const train_config& c, const training_data& d, std::size_t processes_here = 1);
// The same from given weights (fine-tuning); throws input_error when they do
// not fit the images or cannot be trained.
training_state fresh_training_state(const train_config& c, const training_data& d, network_model start,
                                    std::size_t processes_here = 1);

struct run_files {
    std::string checkpoint, log, best, last;
    std::string snapshots;  // folder of epoch_N.h5
    explicit run_files(const std::string& dir);
    std::string snapshot(std::size_t epoch) const;
    std::string snapshot(std::size_t epoch, std::size_t batch) const;  // epoch_N_batch_B.h5
    // The snapshots kept so far, in training order: epoch_N_batch_B.h5 by
    // batch, then epoch_N.h5 (the end of epoch N), epoch by epoch.
    struct kept_snapshot {
        std::size_t epoch = 0, batch = 0;  // batch 0: the end of the epoch
        std::string path;
    };
    std::vector<kept_snapshot> kept_snapshots() const;
    // Whether the folder already holds any file of a run.
    bool any_exist() const;
    // Removes temporaries of these files (and of snapshots) left by a killed
    // process (io/atomic_file names them ".<name>.tmp.<pid>"); returns how many.
    std::size_t remove_stale_temporaries() const;
};

struct train_progress {
    std::size_t epoch = 0, epochs = 0;    // 0-based epoch in progress
    std::size_t batch = 0, batches = 0;   // batches done in it / per epoch
    double train_loss = 0;                // mean per image over the epoch so far
    double images_per_s = 0, eta_s = 0;   // this session's rate; time left at that rate (all epochs)
    bool epoch_done = false;              // set once per epoch, with:
    double val_loss = 0;
    bool improved = false;
};

struct train_session {
    int threads = 0;                          // 0: every core; results do not depend on it
    std::size_t stop_after_batches = 0;       // test hook: checkpoint and return after N batches
    std::size_t checkpoint_every_batches = 0; // also checkpoint inside epochs (0: at epoch ends)
    std::size_t keep_every_epochs = 0;        // also keep snapshots/epoch_N.h5 every k epochs (0: none)
    std::size_t keep_every_batches = 0;       // also keep snapshots/epoch_N_batch_B.h5 every k batches (0: none)
    std::function<void(const train_progress&)> on_progress;
    // Asked after every batch and epoch: when it says true, the run writes
    // its checkpoint and returns interrupted (an interrupt, a signal).
    std::function<bool()> stop_requested;
    // Set from any thread to stop inside a batch: the batch is abandoned and
    // the run returns interrupted with its checkpoint at the batch's start.
    const std::atomic<bool>* cancel = nullptr;
    // The ranks sharing every batch (learning/batch_over_ranks.hpp); null:
    // this process alone. Every rank trains the same model; only the first
    // writes the run's files. stop_requested must give every rank the same
    // answer (the CLI asks rank 0 and broadcasts).
    const communicator* job = nullptr;
};

enum class train_outcome { completed, stopped_early, interrupted, already_finished };

// Trains from `state` (fresh or read from a checkpoint) until the epochs are
// done, early stopping triggers, or the stop hook fires; writes the run files
// in run_dir (which must exist).
train_outcome run_training(const train_config& c, const training_data& d, training_state& state,
                           const std::string& run_dir, const train_session& session);

}  // namespace gust::learning
