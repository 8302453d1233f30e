#pragma once
// Everything that defines a training run (its configuration) and everything
// that changes while it runs (its state). The state at an epoch or batch
// boundary is all a resumed run needs: randomness is counter-based (corruption,
// shuffle, noise are pure functions of seed, epoch and image), so there is no
// generator state to save beyond the epoch and batch counters.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "learning/adam.hpp"
#include "learning/corruption.hpp"
#include "sim/network_model.hpp"

namespace gust::learning {

struct train_config {
    std::string data_path;
    std::string split = "train_multi";
    std::size_t epochs = 400;
    std::size_t batch = 1024;
    double lr = 0.01;
    int cycles = 8;
    // Random horizon: each training batch unrolls a number of cycles drawn
    // uniformly from [min_cycles, cycles] (learning/batch_horizon.hpp);
    // 0 = always `cycles`. Validation always unrolls `cycles`.
    int min_cycles = 0;
    std::uint64_t seed = 1;
    double keep_prob = default_keep_probability;  // salt-and-pepper: pixel kept with this probability
    double val_fraction = 0.1;    // the last fraction of the images validates
    std::size_t patience = 40;    // stop after more than this many epochs without improvement
    std::size_t train_size = 0;   // use only the first N images of the split (0 = all)
    std::size_t hidden = 400, inner = 512;  // a fresh paper-architecture model's widths
    // A network description to draw a fresh model of instead (docs/network.md); empty = the paper network.
    std::string network_path;
    // Epochs after which the learning rate halves (the reference: 60, 100,
    // 200); empty keeps it constant.
    std::vector<std::size_t> lr_milestones{60, 100, 200};
    // A model file to start from instead of a fresh initialisation (weights
    // only: the Adam moments and the counters start at zero); empty = fresh.
    std::string init_path;
};

// Throws input_error naming the option when a value is out of range.
void validate(const train_config& c);

// Learning-rate milestones as written on the command line and in a
// checkpoint: increasing whole numbers separated by commas ("60,100,200"),
// or "none" (and "") for a constant rate. parse_milestones throws
// input_error naming --lr-milestones.
std::vector<std::size_t> parse_milestones(const std::string& text);
std::string format_milestones(const std::vector<std::size_t>& milestones);

struct log_row {
    std::int64_t epoch;  // 1-based
    double train_loss, val_loss, lr, wall_s;
};

struct training_state {
    network_model model;
    adam_state adam;
    std::size_t epoch = 0;           // the epoch in progress, 0-based
    std::size_t batch = 0;           // its next batch
    double epoch_loss_sum = 0;       // training loss of its batches so far
    std::size_t epoch_images = 0;
    double best_val = std::numeric_limits<double>::infinity();
    std::int64_t best_epoch = 0;     // 1-based; 0 = none yet
    std::size_t epochs_since_best = 0;
    double wall_s = 0;               // training time so far, over all sessions
    bool stopped_early = false;      // early stopping ended the run (as of the last epoch; recorded)
    std::vector<log_row> log;
};

// Whether more than c.patience epochs passed without a better validation loss.
// Taken from the counters under the current configuration, not from the
// recorded flag, so a run resumed with a larger --patience goes on.
inline bool out_of_patience(const train_config& c, const training_state& s) {
    return s.epochs_since_best > c.patience;
}

// Whether the run has nothing left to do under c.
inline bool run_finished(const train_config& c, const training_state& s) {
    return s.epoch >= c.epochs || out_of_patience(c, s);
}

}  // namespace gust::learning
