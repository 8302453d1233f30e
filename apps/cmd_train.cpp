// gust train: surrogate-gradient training of a fresh paper-architecture model
// on a shapes data set (learning/trainer.hpp), into a run folder that can be
// resumed after any interruption with the same final bits. Under mpirun the
// ranks share every batch (learning/batch_over_ranks.hpp) and rank 0 writes
// the run folder: the same model bits as one process.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "apps/mpi_communicator.hpp"
#include "apps/stop_signal.hpp"
#include "apps/progress.hpp"
#include "apps/same_files.hpp"
#include "sim/paper_network.hpp"
#include "learning/batch_horizon.hpp"
#include "learning/checkpoint.hpp"
#include "learning/trainer.hpp"
#include "learning/training_run.hpp"
#include "learning/train_weights.hpp"
#include "core/error.hpp"

namespace gust::cli {
namespace {

std::string duration(double s) {
    if (!std::isfinite(s) || s < 0) return "?";
    const long t = std::lround(s);
    std::ostringstream o;
    if (t >= 3600) o << t / 3600 << "h" << (t % 3600) / 60 << "m";
    else if (t >= 60) o << t / 60 << "m" << t % 60 << "s";
    else o << t << "s";
    return o.str();
}

// On --resume, options that define the run must agree with the checkpoint.
template <class T>
void require_same(const po::variables_map& vm, const char* option, const T& stored, const std::string& ckpt) {
    if (!vm.count(option) || vm[option].defaulted()) return;
    if (vm[option].as<T>() == stored) return;
    std::ostringstream o;
    o << "--" << option << " " << vm[option].as<T>() << " differs from the run being resumed (" << stored << ", stored in "
      << ckpt << ")";
    throw input_error(o.str());
}

}  // namespace

int cmd_train(const args& a, const communicator& job) {
    po::options_description desc("gust train options");
    learning::train_config c;
    std::string out, milestones;
    int threads = 0;
    // Counts are read as signed numbers so that a negative value is refused
    // instead of wrapping around to a huge unsigned one.
    // Defaults are the library's (learning::train_config), written nowhere else.
    const learning::train_config defaults;
    const auto as_count = [](std::size_t v) { return static_cast<long long>(v); };
    long long epochs = as_count(defaults.epochs), batch = as_count(defaults.batch), patience = as_count(defaults.patience),
              train_size = as_count(defaults.train_size), hidden = as_count(defaults.hidden), inner = as_count(defaults.inner),
              checkpoint_every = 0, keep_every = 0, keep_every_batches = 0, stop_after = 0;
    desc.add_options()
        ("data", po::value<std::string>(&c.data_path), "shapes data set (HDF5, reference layout); required unless --resume")
        ("out", po::value<std::string>(&out)->required(), "run folder: checkpoint.h5, log.csv, best.h5, last.h5")
        ("split", po::value<std::string>(&c.split)->default_value(defaults.split), "split to train on (its last part validates)")
        ("epochs", in_range<long long>(&epochs, 1, 100000)->default_value(epochs), "maximum number of epochs")
        ("batch", in_range<long long>(&batch, 1, 1000000)->default_value(batch), "images per Adam step")
        ("lr", in_interval<double>(&c.lr, 0, 1000, true, false)->default_value(defaults.lr), "base learning rate (halved after each --lr-milestones epoch)")
        ("lr-milestones", po::value<std::string>(&milestones)->default_value(learning::format_milestones(defaults.lr_milestones)), "epochs after which the learning rate halves (comma-separated), or none for a constant rate")
        ("cycles", in_range<int>(&c.cycles, 1, 10000)->default_value(defaults.cycles), "cycles of T steps simulated per image")
        ("min-cycles", in_range<int>(&c.min_cycles, 0, 10000)->default_value(defaults.min_cycles), "random horizon: each batch simulates a number of cycles drawn uniformly from [min-cycles, cycles] (0 = always --cycles; validation uses --cycles)")
        ("seed", at_least<std::uint64_t>(&c.seed, 0)->default_value(defaults.seed), "random seed (initial weights and every draw)")
        ("keep-prob", in_interval<double>(&c.keep_prob, 0, 1, true, false)->default_value(defaults.keep_prob), "corruption: probability that a pixel is kept")
        ("val-fraction", in_interval<double>(&c.val_fraction, 0, 1, true, true)->default_value(defaults.val_fraction), "fraction of the images (the last ones) that validates")
        ("patience", in_range<long long>(&patience, 0, 100000)->default_value(patience), "stop after more than this many epochs without a better validation loss")
        ("train-size", in_range<long long>(&train_size, 0, 10000000)->default_value(train_size), "use only the first N images of the split (0 = all)")
        ("init", po::value<std::string>(&c.init_path), "start from this model file's weights instead of a fresh model (Adam state and epochs start at zero: fine-tuning)")
        ("network", po::value<std::string>(&c.network_path), "train a fresh model of this network description (TOML, docs/network.md) instead of the paper network")
        ("hidden", in_range<long long>(&hidden, 1, 16777216)->default_value(hidden), "hidden units H of a fresh model")
        ("inner", in_range<long long>(&inner, 1, 16777216)->default_value(inner), "width M of the inner ANN layers of a fresh model")
        ("threads", in_range<int>(&threads, 0, max_threads)->default_value(0), "worker threads (0 = all cores); results never depend on it")
        ("resume", "continue the run in --out from its checkpoint")
        ("checkpoint-every", in_range<long long>(&checkpoint_every, 0, 1000000)->default_value(0), "also checkpoint every N batches inside an epoch (0 = at epoch ends only)")
        ("keep-every", in_range<long long>(&keep_every, 0, 100000)->default_value(0), "also keep the model after every N-th epoch as RUNDIR/snapshots/epoch_<N>.h5 (0 = none); for gust learning-curve")
        ("keep-every-batches", in_range<long long>(&keep_every_batches, 0, 1000000)->default_value(0), "also keep the model after every N-th batch inside an epoch as RUNDIR/snapshots/epoch_<E>_batch_<B>.h5 (0 = none); for gust select")
        ("stop-after-batches", in_range<long long>(&stop_after, 0, 1000000)->default_value(0), "testing: checkpoint and stop after N batches of this session");
    po::variables_map vm;
    if (!parse("train", "--data D.h5 --out RUNDIR [options] | --out RUNDIR --resume", desc, a, vm)) return exit_ok;
    install_stop_handlers();
    require_nonnegative(vm, "threads");
    const int workers = threads_per_rank(threads, job);
    const auto limit = limit_workers(workers);  // a fresh model's draws included
    require_positive(vm, "cycles");
    auto count = [](const char* option, long long v, bool zero_ok) {
        if (v < 0 || (!zero_ok && v == 0))
            throw input_error(std::string("--") + option + (zero_ok ? " must not be negative" : " must be positive"));
        return static_cast<std::size_t>(v);
    };
    c.epochs = count("epochs", epochs, false);
    c.batch = count("batch", batch, false);
    c.patience = count("patience", patience, true);
    c.train_size = count("train-size", train_size, true);
    c.hidden = count("hidden", hidden, false);
    c.inner = count("inner", inner, false);
    const std::size_t checkpoint_every_n = count("checkpoint-every", checkpoint_every, true);
    const std::size_t keep_every_n = count("keep-every", keep_every, true);
    const std::size_t keep_every_batches_n = count("keep-every-batches", keep_every_batches, true);
    const std::size_t stop_after_n = count("stop-after-batches", stop_after, true);
    c.lr_milestones = learning::parse_milestones(milestones);
    learning::validate(c);  // NaN or negative --lr, probabilities out of range
    const bool resume = vm.count("resume") > 0;
    const learning::run_files files(out);
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec)) throw input_error("--out " + out + ": exists and is not a folder");

    learning::training_run run;
    if (resume) {
        if (!fs::exists(files.checkpoint, ec))
            throw input_error("--resume: " + files.checkpoint + " does not exist (nothing to resume)");
        learning::train_config stored;
        learning::training_state state;
        learning::read_checkpoint(files.checkpoint, stored, state, job.local_size());
        require_same(vm, "split", stored.split, files.checkpoint);
        require_same(vm, "batch", static_cast<long long>(stored.batch), files.checkpoint);
        require_same(vm, "lr", stored.lr, files.checkpoint);
        require_same(vm, "cycles", stored.cycles, files.checkpoint);
        require_same(vm, "min-cycles", stored.min_cycles, files.checkpoint);
        require_same(vm, "seed", stored.seed, files.checkpoint);
        require_same(vm, "keep-prob", stored.keep_prob, files.checkpoint);
        require_same(vm, "val-fraction", stored.val_fraction, files.checkpoint);
        require_same(vm, "train-size", static_cast<long long>(stored.train_size), files.checkpoint);
        require_same(vm, "hidden", static_cast<long long>(stored.hidden), files.checkpoint);
        require_same(vm, "inner", static_cast<long long>(stored.inner), files.checkpoint);
        if (!vm["lr-milestones"].defaulted() && c.lr_milestones != stored.lr_milestones)
            throw input_error("--lr-milestones " + milestones + " differs from the run being resumed (" +
                              learning::format_milestones(stored.lr_milestones) + ", stored in " + files.checkpoint + ")");
        for (const char* o : {"init", "network"})
            if (vm.count(o))
                throw input_error(std::string("--") + o + " starts a new run; a resumed run continues from " + files.checkpoint);
        // --epochs and --patience may change (extend or shorten the run); a
        // moved data file may be named again with --data.
        if (!vm["epochs"].defaulted()) stored.epochs = c.epochs;
        if (!vm["patience"].defaulted()) stored.patience = c.patience;
        if (vm.count("data")) stored.data_path = c.data_path;
        if (learning::run_finished(stored, state)) {
            if (job.first()) std::cout << out << ": the run is already finished (" << state.epoch << " epochs"
                      << (learning::out_of_patience(stored, state) ? ", stopped early" : "") << "; best validation loss "
                      << state.best_val << " at epoch " << state.best_epoch << ")\n";
            return exit_ok;
        }
        run = learning::continue_training_run(stored, std::move(state), out, job.first());
    } else {
        if (!vm.count("data")) throw input_error("--data is required (unless --resume)");
        if (fs::is_directory(out, ec) && files.any_exist())
            throw input_error("--out " + out + ": holds a training run; pass --resume to continue it, or choose another folder");
        if (vm.count("init") && vm.count("network"))
            throw input_error("--network: not with --init (the model file holds its network)");
        if (vm.count("network"))
            for (const char* o : {"hidden", "inner"})
                if (!vm[o].defaulted())
                    throw input_error(std::string("--") + o + ": the network description sets the sizes; not with --network");
        if (!c.init_path.empty() && (!vm["hidden"].defaulted() || !vm["inner"].defaulted())) {
            // The architecture is the model's; --hidden / --inner, if given, must agree.
            const network_description d = read_model_file(c.init_path).description;
            const bool paper = is_paper_shaped(d);
            const std::size_t h = paper ? d.populations[paper_populations::hidden].size : 0,
                              m = paper ? d.populations[paper_populations::enc1].size : 0;
            for (const char* o : {"hidden", "inner"})
                if (!vm[o].defaulted() && (!paper || (std::string(o) == "hidden" ? c.hidden != h : c.inner != m)))
                    throw input_error(std::string("--") + o + " " + std::to_string(std::string(o) == "hidden" ? c.hidden : c.inner) +
                                      ": the --init model " + c.init_path + " has " +
                                      (paper ? std::string(o) + " " + std::to_string(std::string(o) == "hidden" ? h : m)
                                             : std::string("a network of its own")));
        }
        byte_progress shown("reading " + c.init_path);  // the --init model, if any
        run = learning::plan_training_run(c, out, shown.callback(), job.local_size());
    }
    // Every rank has read what it needs, from its own copies: the same
    // bytes as rank 0's. Only now does rank 0 write.
    // (A resumed run reads no --init or --network file; a fresh one no checkpoint.)
    require_same_files(job, {run.config.data_path, resume ? std::string() : run.config.init_path,
                             resume ? std::string() : run.config.network_path, resume ? files.checkpoint : std::string()});
    job.barrier();
    if (!resume && job.first()) learning::start_training_run(run, out);
    c = run.config;
    learning::training_data& data = run.data;
    learning::training_state& state = run.state;

    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    // Only rank 0 speaks; the others' output would repeat it.
    std::ostream muted(nullptr);  // no buffer: discards
    std::ostream& say = job.first() ? std::cout : muted;
    std::ostream& warn = job.first() ? std::cerr : muted;
    say << (resume ? "resuming " : "training ") << out << ": " << data.n_train << " training and " << data.n_val
              << " validation images of " << c.data_path << " (" << c.split << "), batch " << c.batch << ", "
              << (learning::random_horizon(c) ? std::to_string(c.min_cycles) + "-" : "") << c.cycles
              << " cycles, lr " << c.lr
              << (c.lr_milestones.empty() ? " (constant)" : " (halved after epochs " + learning::format_milestones(c.lr_milestones) + ")")
              << (c.init_path.empty() ? "" : ", from the weights of " + c.init_path) << ", from epoch " << state.epoch + 1 << "/" << c.epochs << std::endl;
    if (data.n_train < c.batch)
        warn << "warning: " << data.n_train << " training images and batch " << c.batch
                  << ": one Adam step per epoch (lower --batch or raise --train-size)\n";
    if (c.split == "test")
        warn << "warning: training on the test split: grouping measured on those images afterwards is no test\n";
    learning::train_session session;
    session.stop_requested = [&job] { return job_stops(job); };
    session.threads = workers;
    session.job = &job;
    session.checkpoint_every_batches = checkpoint_every_n;
    session.keep_every_epochs = keep_every_n;
    session.keep_every_batches = keep_every_batches_n;
    session.stop_after_batches = stop_after_n;
    session.on_progress = [&](const learning::train_progress& p) {
        char line[256];
        if (!p.epoch_done) {
            if (!tty) return;
            std::snprintf(line, sizeof line, "\repoch %zu/%zu  batch %zu/%zu  loss %.6f  %.0f img/s  ETA %s   ", p.epoch + 1,
                          p.epochs, p.batch, p.batches, p.train_loss, p.images_per_s, duration(p.eta_s).c_str());
            say << line << std::flush;
            return;
        }
        std::snprintf(line, sizeof line, "%sepoch %zu/%zu  train %.6f  val %.6f%s  %.0f img/s  ETA %s", tty ? "\r" : "",
                      p.epoch + 1, p.epochs, p.train_loss, p.val_loss, p.improved ? " (best)" : "", p.images_per_s,
                      duration(p.eta_s).c_str());
        say << line << (tty ? "          \n" : "\n") << std::flush;
    };
    const auto outcome = learning::run_training(c, data, state, out, session);
    switch (outcome) {
        case learning::train_outcome::already_finished:
            say << out << ": the run is already finished (epoch " << state.epoch << ")\n";
            break;
        case learning::train_outcome::interrupted:
            if (stop_signal_received() != 0) {
                if (tty) say << "\n";
                warn << "gust train: interrupted by " << stop_signal_name()
                          << " after epoch " << state.epoch << ", batch " << state.batch << "; checkpoint "
                          << files.checkpoint << " is whole: resume with gust train --out " << out << " --resume\n";
                return 128 + stop_signal_received();
            }
            say << "stopped after " << stop_after_n << " batches; checkpoint " << files.checkpoint << "\n";
            break;
        case learning::train_outcome::stopped_early:
        case learning::train_outcome::completed:
            say << (outcome == learning::train_outcome::stopped_early ? "stopped early" : "done") << " after epoch "
                      << state.epoch << ": best validation loss " << state.best_val << " (epoch " << state.best_epoch
                      << ") -> " << files.best << "\n";
            break;
    }
    return exit_ok;
}

}  // namespace gust::cli
