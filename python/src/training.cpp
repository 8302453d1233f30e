// gust._core.train: a training run in a folder (learning/trainer.hpp), new or
// resumed, exactly as `gust train` runs it (the same bits for the same
// options). The GIL is released while it trains; progress reaches a Python
// callback, and Ctrl-C stops the run at the next batch with its checkpoint
// whole, then raises KeyboardInterrupt.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "learning/checkpoint.hpp"
#include "learning/trainer.hpp"
#include "learning/training_run.hpp"
#include "learning/training_state.hpp"
#include "python/src/bindings.hpp"

namespace gust::python {

namespace {

using learning::train_config;

// The configuration fields, by the names the library gives them.
py::dict config_dict(const train_config& c) {
    py::dict d;
    d["data_path"] = c.data_path;
    d["split"] = c.split;
    d["epochs"] = c.epochs;
    d["batch"] = c.batch;
    d["lr"] = c.lr;
    d["cycles"] = c.cycles;
    d["min_cycles"] = c.min_cycles;
    d["seed"] = c.seed;
    d["keep_prob"] = c.keep_prob;
    d["val_fraction"] = c.val_fraction;
    d["patience"] = c.patience;
    d["train_size"] = c.train_size;
    d["hidden"] = c.hidden;
    d["inner"] = c.inner;
    d["network_path"] = c.network_path;
    d["lr_milestones"] = c.lr_milestones;
    d["init_path"] = c.init_path;
    return d;
}

template <class T>
void set(const py::dict& d, const char* key, T& field) {
    if (!d.contains(key)) return;
    try {
        field = d[key].cast<T>();
    } catch (const py::cast_error&) {
        throw input_error(key, "has the wrong type (" + std::string(py::str(py::type::of(d[key]).attr("__name__"))) + ")");
    }
}

train_config config_of(const py::dict& d) {
    train_config c;
    const py::dict known = config_dict(c);
    for (const auto& [k, v] : d) {
        const std::string key = k.cast<std::string>();
        if (!known.contains(key)) throw input_error(key, "not a training option");
    }
    set(d, "data_path", c.data_path);
    set(d, "split", c.split);
    set(d, "epochs", c.epochs);
    set(d, "batch", c.batch);
    set(d, "lr", c.lr);
    set(d, "cycles", c.cycles);
    set(d, "min_cycles", c.min_cycles);
    set(d, "seed", c.seed);
    set(d, "keep_prob", c.keep_prob);
    set(d, "val_fraction", c.val_fraction);
    set(d, "patience", c.patience);
    set(d, "train_size", c.train_size);
    set(d, "hidden", c.hidden);
    set(d, "inner", c.inner);
    set(d, "network_path", c.network_path);
    set(d, "lr_milestones", c.lr_milestones);
    set(d, "init_path", c.init_path);
    for (const char* count : {"epochs", "batch"})
        if (d.contains(count) && d[count].cast<long long>() <= 0) throw input_error(count, "must be positive");
    learning::validate(c);
    return c;
}

const char* outcome_name(learning::train_outcome o) {
    switch (o) {
        case learning::train_outcome::completed: return "completed";
        case learning::train_outcome::stopped_early: return "stopped_early";
        case learning::train_outcome::interrupted: return "interrupted";
        default: return "already_finished";
    }
}

}  // namespace

void bind_training(py::module_& m) {
    m.def("train_defaults", [] { return config_dict(train_config{}); });
    m.def(
        "train",
        [](const std::string& out, const py::dict& options, bool resume, int threads, std::size_t checkpoint_every,
           std::size_t keep_every, std::size_t stop_after_batches, const py::object& progress) {
            if (threads < 0) throw input_error("threads", "must not be negative (0 = every core)");
            learning::training_run run;
            if (resume) {
                const learning::run_files files(out);
                std::error_code ec;
                if (!std::filesystem::exists(files.checkpoint, ec))
                    throw missing_file_error("resume: " + files.checkpoint + " does not exist (nothing to resume)");
                train_config stored;
                learning::training_state state;
                learning::read_checkpoint(files.checkpoint, stored, state);
                // Options that define the run must agree with it; epochs,
                // patience and a moved data file may change.
                const py::dict have = config_dict(stored);
                for (const auto& [k, v] : options) {
                    const std::string key = k.cast<std::string>();
                    if (key == "epochs" || key == "patience" || key == "data_path") continue;
                    if (!have.contains(key)) throw input_error(key, "not a training option");
                    if (!py::reinterpret_borrow<py::object>(have[key.c_str()]).equal(py::reinterpret_borrow<py::object>(v)))
                        throw input_error(key, std::string(py::str(v)) + " differs from the run being resumed (" +
                                                   std::string(py::str(have[key.c_str()])) + ", stored in " +
                                                   files.checkpoint + ")");
                }
                set(options, "epochs", stored.epochs);
                set(options, "patience", stored.patience);
                set(options, "data_path", stored.data_path);
                learning::validate(stored);
                if (learning::run_finished(stored, state)) return std::string("already_finished");
                py::gil_scoped_release free;
                run = learning::continue_training_run(stored, std::move(state), out);
            } else {
                const train_config c = config_of(options);
                if (c.data_path.empty()) throw input_error("data", "a data set file is required");
                py::gil_scoped_release free;
                run = learning::begin_training_run(c, out);
            }
            learning::train_session session;
            session.threads = threads;
            session.checkpoint_every_batches = checkpoint_every;
            session.keep_every_epochs = keep_every;
            session.stop_after_batches = stop_after_batches;
            // The run trains on a thread of its own while this (Python's
            // main) thread waits with the GIL released, looking at signals
            // every 50 ms: Ctrl-C sets `cancel`, which stops the run inside
            // its batch, at its start, with the checkpoint whole.
            std::atomic<bool> cancel{false};
            session.cancel = &cancel;
            session.stop_requested = [&] { return cancel.load(); };
            std::optional<py::error_already_set> callback_error, interrupt;
            if (!progress.is_none())
                session.on_progress = [&](const learning::train_progress& p) {
                    py::gil_scoped_acquire hold;
                    if (callback_error) return;
                    try {
                        progress(py::dict(py::arg("epoch") = p.epoch, py::arg("epochs") = p.epochs,
                                          py::arg("batch") = p.batch, py::arg("batches") = p.batches,
                                          py::arg("train_loss") = p.train_loss, py::arg("images_per_s") = p.images_per_s,
                                          py::arg("eta_s") = p.eta_s, py::arg("epoch_done") = p.epoch_done,
                                          py::arg("val_loss") = p.val_loss, py::arg("improved") = p.improved));
                    } catch (py::error_already_set& e) {
                        callback_error.emplace(std::move(e));
                        cancel = true;
                    }
                };
            learning::train_outcome outcome = learning::train_outcome::completed;
            std::exception_ptr failure;
            std::mutex m;
            std::condition_variable finished;
            bool done = false;
            std::thread worker([&] {
                try {
                    outcome = learning::run_training(run.config, run.data, run.state, out, session);
                } catch (...) {
                    failure = std::current_exception();
                }
                std::lock_guard<std::mutex> lock(m);
                done = true;
                finished.notify_all();
            });
            for (;;) {
                {
                    py::gil_scoped_release free;
                    std::unique_lock<std::mutex> lock(m);
                    if (finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) break;
                }
                if (!interrupt && PyErr_CheckSignals() != 0) {
                    interrupt.emplace();  // the KeyboardInterrupt (or the handler's error), raised once the run stops
                    cancel = true;
                }
            }
            {
                py::gil_scoped_release free;
                worker.join();
            }
            if (failure) std::rethrow_exception(failure);
            if (interrupt) throw std::move(*interrupt);
            if (callback_error) throw std::move(*callback_error);
            return std::string(outcome_name(outcome));
        },
        py::arg("out"), py::arg("options"), py::arg("resume"), py::arg("threads"), py::arg("checkpoint_every"),
        py::arg("keep_every"), py::arg("stop_after_batches"), py::arg("progress"));
}

}  // namespace gust::python
