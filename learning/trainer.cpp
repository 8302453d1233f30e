#include "learning/trainer.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>

#include "io/atomic_file.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "learning/training_loss.hpp"
#include "learning/batch_horizon.hpp"
#include "learning/batch_over_ranks.hpp"
#include "learning/checkpoint.hpp"
#include "learning/corruption.hpp"
#include "learning/epoch_order.hpp"
#include "learning/lr_schedule.hpp"
#include "learning/training_draws.hpp"
#include "learning/training_memory.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"
#include "core/error.hpp"

namespace gust::learning {

void validate(const train_config& c) {
    if (c.epochs < 1) throw input_error("epochs", "must be positive");
    if (c.batch < 1) throw input_error("batch", "must be positive");
    if (!(std::isfinite(c.lr) && c.lr > 0)) throw input_error("lr", "must be a positive finite number");
    if (c.cycles < 1) throw input_error("cycles", "must be positive");
    if (c.min_cycles < 0 || c.min_cycles > c.cycles)
        throw input_error("min_cycles", "must be between 0 and cycles (" + std::to_string(c.cycles) + ")");
    if (!(c.keep_prob > 0 && c.keep_prob <= 1)) throw input_error("keep_prob", "must be in (0, 1]");
    if (!(c.val_fraction > 0 && c.val_fraction < 1)) throw input_error("val_fraction", "must be in (0, 1)");
    if (c.hidden < 1) throw input_error("hidden", "must be positive");
    if (c.inner < 1) throw input_error("inner", "must be positive");
}

std::vector<std::size_t> parse_milestones(const std::string& text) {
    std::vector<std::size_t> out;
    if (text.empty() || text == "none") return out;
    const char* p = text.data();
    const char* const end = p + text.size();
    for (;;) {
        std::size_t v = 0;
        const auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc() || next == p)
            throw input_error("lr_milestones", "'" + text + "': expected increasing whole numbers separated by commas, or none");
        if (!out.empty() && v <= out.back()) throw input_error("lr_milestones", "'" + text + "': must increase");
        out.push_back(v);
        p = next;
        if (p == end) return out;
        if (*p != ',' || ++p == end)
            throw input_error("lr_milestones", "'" + text + "': expected increasing whole numbers separated by commas, or none");
    }
}

std::string format_milestones(const std::vector<std::size_t>& milestones) {
    if (milestones.empty()) return "none";
    std::string s;
    for (std::size_t m : milestones) s += (s.empty() ? "" : ",") + std::to_string(m);
    return s;
}

training_data load_training_data(const train_config& c) {
    const std::size_t available = split_size(c.data_path, c.split);
    const std::size_t total = c.train_size > 0 ? c.train_size : available;
    if (total > available)
        throw input_error("train_size", std::to_string(c.train_size) + ": " + c.data_path + " split '" + c.split +
                          "' holds only " + std::to_string(available) + " images");
    training_data d;
    d.n_val = static_cast<std::size_t>(std::floor(static_cast<double>(total) * c.val_fraction));
    d.n_train = total - d.n_val;
    if (d.n_val < 1 || d.n_train < 1)
        throw input_error(c.data_path + ": split '" + c.split + "' (" + std::to_string(total) +
                          " images used) is too small for one training and one validation image");
    d.images = read_split(c.data_path, c.split, 0, total);
    return d;
}

training_state fresh_training_state(const train_config& c, const training_data& d, std::size_t processes_here) {
    network_description desc;
    std::string origin = "the fresh model";
    if (!c.network_path.empty()) {
        desc = read_network_description(c.network_path);
        origin = c.network_path;
    } else {
        model_sizes sizes;
        sizes.height = d.images.height;
        sizes.width = d.images.width;
        sizes.hidden = c.hidden;
        sizes.inner = c.inner;
        desc = paper_description(sizes);
    }
    validate(desc, origin);
    require_training_fits(desc, origin, processes_here);  // before its model is drawn
    return fresh_training_state(c, d, init_network(desc, c.seed, origin), processes_here);
}

training_state fresh_training_state(const train_config& c, const training_data& d, network_model start,
                                    std::size_t processes_here) {
    const std::string from = !c.init_path.empty()      ? c.init_path
                             : !c.network_path.empty() ? c.network_path
                                                       : std::string("the fresh model");
    const network_description& desc = start.description;
    if (desc.height != d.images.height || desc.width != d.images.width)
        throw input_error(from + ": the model is for " + std::to_string(desc.height) + "x" + std::to_string(desc.width) +
                          " images but " + c.data_path + " holds " + std::to_string(d.images.height) + "x" +
                          std::to_string(d.images.width));
    require_trainable(start, from);
    require_training_fits(desc, from, processes_here);
    training_state s;
    s.adam = adam_state::zeros_like(start);
    s.model = std::move(start);
    return s;
}

run_files::run_files(const std::string& dir) {
    namespace fs = std::filesystem;
    checkpoint = (fs::path(dir) / "checkpoint.h5").string();
    log = (fs::path(dir) / "log.csv").string();
    best = (fs::path(dir) / "best.h5").string();
    last = (fs::path(dir) / "last.h5").string();
    snapshots = (fs::path(dir) / "snapshots").string();
}

std::string run_files::snapshot(std::size_t epoch) const {
    return (std::filesystem::path(snapshots) / ("epoch_" + std::to_string(epoch) + ".h5")).string();
}

std::string run_files::snapshot(std::size_t epoch, std::size_t batch) const {
    return (std::filesystem::path(snapshots) / ("epoch_" + std::to_string(epoch) + "_batch_" + std::to_string(batch) + ".h5"))
        .string();
}

std::vector<run_files::kept_snapshot> run_files::kept_snapshots() const {
    namespace fs = std::filesystem;
    std::vector<kept_snapshot> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(snapshots, ec)) {
        const std::string name = e.path().filename().string();
        kept_snapshot k;
        k.path = e.path().string();
        // epoch_<E>.h5 or epoch_<E>_batch_<B>.h5, nothing else (temporaries start with '.').
        if (name.rfind("epoch_", 0) != 0 || name.size() < 10 || name.substr(name.size() - 3) != ".h5") continue;
        const std::string stem = name.substr(6, name.size() - 9);
        const auto sep = stem.find("_batch_");
        const auto whole = [](const std::string& t, std::size_t& v) {
            const auto [p, err] = std::from_chars(t.data(), t.data() + t.size(), v);
            return !t.empty() && err == std::errc() && p == t.data() + t.size();
        };
        if (sep == std::string::npos ? !whole(stem, k.epoch)
                                     : !(whole(stem.substr(0, sep), k.epoch) && whole(stem.substr(sep + 7), k.batch) &&
                                         k.batch > 0))
            continue;
        out.push_back(std::move(k));
    }
    std::sort(out.begin(), out.end(), [](const kept_snapshot& a, const kept_snapshot& b) {
        // Within an epoch its batches come first, its end (batch 0) last.
        const auto rank = [](const kept_snapshot& k) { return k.batch == 0 ? SIZE_MAX : k.batch; };
        return a.epoch != b.epoch ? a.epoch < b.epoch : rank(a) < rank(b);
    });
    return out;
}

bool run_files::any_exist() const {
    std::error_code ec;
    for (const auto* p : {&checkpoint, &log, &best, &last})
        if (std::filesystem::exists(*p, ec)) return true;
    return false;
}

std::size_t run_files::remove_stale_temporaries() const {
    namespace fs = std::filesystem;
    std::size_t removed = 0;
    std::error_code ec;
    const fs::path dir = fs::path(checkpoint).parent_path();
    for (const auto& e : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec)) {
        const std::string name = e.path().filename().string();
        for (const auto* p : {&checkpoint, &log, &best, &last}) {
            const std::string prefix = "." + fs::path(*p).filename().string() + ".tmp.";
            if (name.rfind(prefix, 0) == 0 && fs::remove(e.path(), ec)) ++removed;
        }
    }
    for (const auto& e : fs::directory_iterator(snapshots, ec)) {  // none if the folder does not exist
        const std::string name = e.path().filename().string();
        if (name.rfind(".epoch_", 0) == 0 && name.find(".h5.tmp.") != std::string::npos && fs::remove(e.path(), ec))
            ++removed;
    }
    return removed;
}

namespace {

void write_log_csv(const std::string& path, const std::vector<log_row>& log) {
    atomic_file out(path);
    {
        std::ofstream f(out.temp_path());
        f << "epoch,train_loss,val_loss,lr,wall_s\n" << std::setprecision(9);
        for (const auto& r : log) f << r.epoch << ',' << r.train_loss << ',' << r.val_loss << ',' << r.lr << ',' << r.wall_s << '\n';
        if (!f) throw input_error(path + ": cannot write");
    }
    out.commit();
}

// Corrupted copies of images `idx` (indices into d.images) for pass `pass`.
struct batch_images {
    std::vector<float> input, clean;
    std::vector<std::size_t> ids;
    image_inputs view(std::size_t n) const { return {ids.size(), n, input.data(), clean.data(), ids.data()}; }
};

template <class Indices>
void fill_batch(const training_data& d, const Indices& idx, std::size_t first, std::size_t count, std::uint64_t seed,
                std::uint32_t pass, double keep_prob, batch_images& b) {
    const std::size_t n = d.images.height * d.images.width;
    b.input.resize(count * n);
    b.clean.resize(count * n);
    b.ids.resize(count);
    const counter_rng rng(seed);
    for (std::size_t j = 0; j < count; ++j) {
        const std::size_t i = idx[first + j];
        const float* y = d.images.images.data() + i * n;
        std::copy(y, y + n, b.clean.begin() + static_cast<std::ptrdiff_t>(j * n));
        b.ids[j] = d.images.indices[i];  // the image's index in its split keys its draws
        corrupt_image(rng, pass, b.ids[j], y, b.input.data() + j * n, n, static_cast<float>(keep_prob));
    }
}

// Snapshots are written before the next checkpoint, like best and last: a
// resumed run redoes the batches after its checkpoint and rewrites the same
// files with the same bits.
void keep_snapshot(const run_files& files, const std::string& path, const network_model& m) {
    std::error_code ec;
    std::filesystem::create_directories(files.snapshots, ec);
    if (ec) throw input_error(files.snapshots + ": cannot create folder: " + ec.message());
    write_network_model(path, m);
}

struct index_range_view {
    std::size_t base;
    std::size_t operator[](std::size_t i) const { return base + i; }
};

}  // namespace

train_outcome run_training(const train_config& c, const training_data& d, training_state& s,
                           const std::string& run_dir, const train_session& session) {
    const run_files files(run_dir);
    const single_process alone;
    const communicator& job = session.job ? *session.job : alone;
    const bool writes = job.first();
    if (run_finished(c, s)) return train_outcome::already_finished;
    const std::size_t n = d.images.height * d.images.width;
    const std::size_t batches = (d.n_train + c.batch - 1) / c.batch;
    if (s.batch > batches)
        throw input_error(files.checkpoint + ": the run is at batch " + std::to_string(s.batch) + " of an epoch of " +
                          std::to_string(batches) + " batches (a checkpoint of another data set?)");
    // Validation always unrolls --cycles; each training batch its own horizon.
    bptt_options validation_opt;
    validation_opt.cycles = c.cycles;
    validation_opt.cancel = session.cancel;
    bptt_options batch_opt = validation_opt;

    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const double wall_before = s.wall_s;
    auto wall = [&] { return wall_before + std::chrono::duration<double>(clock::now() - t0).count(); };
    std::size_t session_images = 0, session_batches = 0;
    batch_images b;

    while (s.epoch < c.epochs) {
        const double lr = scheduled_learning_rate(c.lr, s.epoch, c.lr_milestones);
        const std::vector<std::uint32_t> order = epoch_order(c.seed, s.epoch, d.n_train);
        const std::uint32_t pass = training_pass(s.epoch);
        const training_draws draws(c.seed, pass, &s.model.net);
        for (; s.batch < batches; ) {
            const std::size_t first = s.batch * c.batch, count = std::min(c.batch, d.n_train - first);
            fill_batch(d, order, first, count, c.seed, pass, c.keep_prob, b);
            batch_opt.cycles = batch_horizon(c, s.epoch, s.batch);
            const training_result r = training_loss_and_gradient(s.model, b.view(n), draws, batch_opt, session.threads, true, job);
            if (r.cancelled) {  // an interrupt inside the batch: the state is the batch's start
                s.wall_s = wall();
                if (writes) write_checkpoint(files.checkpoint, c, s);
                return train_outcome::interrupted;
            }
            if (!std::isfinite(r.loss))
                throw input_error("training diverged: the loss became " + std::to_string(r.loss) + " in epoch " +
                                  std::to_string(s.epoch + 1) + ", batch " + std::to_string(s.batch + 1) +
                                  "; lower the learning rate, or check the initial weights");
            tensor_list params = parameter_values(s.model);
            adam_step(params, r.grad, s.adam, lr);
            s.model = with_parameter_values(s.model, std::move(params));
            ++s.batch;
            // The epoch's last batch is left to the epoch-end snapshot.
            if (session.keep_every_batches > 0 && s.batch % session.keep_every_batches == 0 && s.batch < batches)
                if (writes) keep_snapshot(files, files.snapshot(s.epoch + 1, s.batch), s.model);
            s.epoch_loss_sum += r.loss;
            s.epoch_images += count;
            session_images += count;
            ++session_batches;
            if (session.on_progress) {
                train_progress p;
                p.epoch = s.epoch;
                p.epochs = c.epochs;
                p.batch = s.batch;
                p.batches = batches;
                p.train_loss = s.epoch_loss_sum / static_cast<double>(s.epoch_images);
                const double secs = std::chrono::duration<double>(clock::now() - t0).count();
                p.images_per_s = static_cast<double>(session_images) / secs;
                const double left = static_cast<double>((c.epochs - s.epoch) * d.n_train - s.epoch_images);
                p.eta_s = left / p.images_per_s;
                session.on_progress(p);
            }
            const bool stop = (session.stop_after_batches > 0 && session_batches >= session.stop_after_batches) ||
                              (session.stop_requested && session.stop_requested());
            if (stop || (session.checkpoint_every_batches > 0 && session_batches % session.checkpoint_every_batches == 0 &&
                         s.batch < batches)) {
                s.wall_s = wall();
                if (writes) write_checkpoint(files.checkpoint, c, s);
            }
            if (stop) return train_outcome::interrupted;
        }

        // Validation: the same corruption, draws and horizon after every epoch (pass 0).
        fill_batch(d, index_range_view{d.n_train}, 0, d.n_val, c.seed, validation_pass, c.keep_prob, b);
        const training_result v = training_loss_and_gradient(s.model, b.view(n), training_draws(c.seed, validation_pass, &s.model.net),
                                                             validation_opt, session.threads, false, job);
        if (v.cancelled) {  // interrupted while validating: resuming validates again
            s.wall_s = wall();
            if (writes) write_checkpoint(files.checkpoint, c, s);
            return train_outcome::interrupted;
        }
        const double val_loss = v.loss / static_cast<double>(d.n_val);
        const double train_loss = s.epoch_loss_sum / static_cast<double>(s.epoch_images);
        const bool improved = val_loss < s.best_val;
        s.log.push_back({static_cast<std::int64_t>(s.epoch + 1), train_loss, val_loss, lr, wall()});
        if (improved) {
            s.best_val = val_loss;
            s.best_epoch = static_cast<std::int64_t>(s.epoch + 1);
            s.epochs_since_best = 0;
            if (writes) write_network_model(files.best, s.model);
        } else {
            ++s.epochs_since_best;
        }
        if (writes) {
            write_network_model(files.last, s.model);
            if (session.keep_every_epochs > 0 && (s.epoch + 1) % session.keep_every_epochs == 0)
                keep_snapshot(files, files.snapshot(s.epoch + 1), s.model);
            write_log_csv(files.log, s.log);
        }
        ++s.epoch;
        s.batch = 0;
        s.epoch_loss_sum = 0;
        s.epoch_images = 0;
        const bool early = out_of_patience(c, s);
        s.stopped_early = early;
        s.wall_s = wall();
        if (writes) write_checkpoint(files.checkpoint, c, s);
        if (session.on_progress) {
            train_progress p;
            p.epoch = s.epoch - 1;
            p.epochs = c.epochs;
            p.batch = p.batches = batches;
            p.train_loss = train_loss;
            const double secs = std::chrono::duration<double>(clock::now() - t0).count();
            p.images_per_s = static_cast<double>(session_images) / secs;
            p.eta_s = static_cast<double>((c.epochs - s.epoch) * d.n_train) / p.images_per_s;
            p.epoch_done = true;
            p.val_loss = val_loss;
            p.improved = improved;
            session.on_progress(p);
        }
        if (early) return train_outcome::stopped_early;
        if (session.stop_requested && session.stop_requested()) return train_outcome::interrupted;
    }
    return train_outcome::completed;
}

}  // namespace gust::learning
