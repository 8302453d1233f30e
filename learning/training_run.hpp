#pragma once
// A training run in its folder, ready to train (learning/trainer.hpp): a new
// one (its starting model, its data and its first checkpoint, so that it is
// resumable from the first moment), or one continued from its checkpoint.
// What the CLI's `gust train` and the Python module's `gust.train` both do
// before run_training; errors about one configuration value name its field
// ("out", "data_path", ...).
#include <string>

#include "io/progress.hpp"
#include "learning/trainer.hpp"
#include "learning/training_state.hpp"

namespace gust::learning {

struct training_run {
    train_config config;
    training_data data;
    training_state state;
};

// A new run of c in folder dir (created if missing; refused if it is a file
// or already holds a run). The starting model: c.init_path's weights (when
// that model has the paper network's shape, c.hidden and c.inner become its
// sizes), else a fresh model of c.network_path's description, else of the
// paper network sized by the images and c.hidden, c.inner. On any error no
// folder made here is left behind.
training_run begin_training_run(train_config c, const std::string& dir);

// begin_training_run in two halves, for ranks of one job: every rank plans
// (checks dir, reads the data, builds the starting state: no writes), then
// one rank starts it (creates dir, writes the first checkpoint). `progress`
// hears the reading of the init model, if there is one; `processes_here`
// ranks on this machine each hold the run (refused if they cannot).
training_run plan_training_run(train_config c, const std::string& dir, const io_progress& progress = {},
                               std::size_t processes_here = 1);
void start_training_run(const training_run& run, const std::string& dir);

// The run whose checkpoint holds `stored` and `state`, continued under
// `stored` (whose epochs, patience and data_path the caller may have
// changed): its data read and checked against its model, and temporaries
// left by a killed process removed (unless tidy is false: a rank that does
// not write the run's files leaves that to the one that does).
training_run continue_training_run(const train_config& stored, training_state state, const std::string& dir,
                                   bool tidy = true);

}  // namespace gust::learning
