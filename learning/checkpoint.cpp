#include "learning/checkpoint.hpp"

#include <charconv>
#include <cmath>

#include "io/atomic_file.hpp"
#include "io/h5.hpp"
#include "io/model_file.hpp"
#include "io/network_file.hpp"
#include "learning/model_parameters.hpp"
#include "learning/training_memory.hpp"
#include "sim/paper_network.hpp"
#include "core/error.hpp"

namespace gust::learning {
namespace {

// 1: the paper network, its sizes in root attributes; 2: the network's
// description as root attribute `network`, the model as a model file's
// datasets under /model.
constexpr int format_version = 2;

void write_tensors(const h5::file& f, const std::string& prefix, const std::vector<parameter_slot>& layout,
                   const tensor_list& t) {
    for (std::size_t i = 0; i < layout.size(); ++i) {
        const std::vector<hsize_t> dims(layout[i].shape.begin(), layout[i].shape.end());
        h5::write<float>(f, prefix + layout[i].name, dims, t[i].data());
    }
}

void read_tensors(const h5::file& f, const std::string& prefix, const std::vector<parameter_slot>& layout,
                  tensor_list& t) {
    t.resize(layout.size());
    for (std::size_t i = 0; i < layout.size(); ++i) {
        const std::vector<hsize_t> dims(layout[i].shape.begin(), layout[i].shape.end());
        t[i] = h5::read<float>(f, prefix + layout[i].name, dims);
        for (float v : t[i])
            if (!std::isfinite(v)) throw input_error(f.path + ": " + prefix + layout[i].name + " holds NaN or Inf");
    }
}

// The model of a version-1 checkpoint: the paper network at the stored sizes.
network_model read_paper_checkpoint_model(const h5::file& f, const train_config& cfg) {
    auto count = [&](const char* k, std::int64_t hi) {
        return static_cast<std::size_t>(h5::read_attr_integer(f, "/", k, 0, hi));
    };
    model_sizes sizes;
    sizes.height = count("height", 65536);
    sizes.width = count("width", 65536);
    sizes.hidden = cfg.hidden;
    sizes.inner = cfg.inner;
    sizes.T = static_cast<int>(count("T", 1000));
    if (sizes.height == 0 || sizes.width == 0 || sizes.T == 0) throw input_error(f.path + ": model sizes must be positive");
    // Shapes come from the stored sizes; values from /model.
    gust_model m = init_model(sizes, 0);
    m.theta = static_cast<float>(h5::read_attr_number(f, "/", "theta"));
    m.refractory = static_cast<int>(count("refractory", 255));
    m.release_p = static_cast<float>(h5::read_attr_number(f, "/", "release_p"));
    read_model_weights(f, "/model", m);
    validate(m, f.path);
    return to_network_model(std::move(m));
}

}  // namespace

void write_checkpoint(const std::string& path, const train_config& c, const training_state& s) {
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        write_parameters(f, "/model", s.model);
        const auto layout = parameter_layout(s.model);
        write_tensors(f, "/adam/m", layout, s.adam.m);
        write_tensors(f, "/adam/v", layout, s.adam.v);
        h5::write_attr<std::int64_t>(f, "/adam", "step", s.adam.step);
        std::vector<double> log;
        for (const auto& r : s.log)
            log.insert(log.end(), {static_cast<double>(r.epoch), r.train_loss, r.val_loss, r.lr, r.wall_s});
        h5::write<double>(f, "/log", {s.log.size(), 5}, log.data());

        auto str = [&](const char* k, const std::string& v) { h5::write_attr_string(f, "/", k, v); };
        auto i64 = [&](const char* k, std::int64_t v) { h5::write_attr<std::int64_t>(f, "/", k, v); };
        auto dbl = [&](const char* k, double v) { h5::write_attr<double>(f, "/", k, v); };
        str("format", "gust-checkpoint");
        i64("version", format_version);
        str("gust_version", GUST_VERSION);
        str("data_path", c.data_path);
        str("split", c.split);
        i64("epochs", static_cast<std::int64_t>(c.epochs));
        i64("batch", static_cast<std::int64_t>(c.batch));
        dbl("lr", c.lr);
        i64("cycles", c.cycles);
        i64("min_cycles", c.min_cycles);
        str("seed", std::to_string(c.seed));
        dbl("keep_prob", c.keep_prob);
        dbl("val_fraction", c.val_fraction);
        i64("patience", static_cast<std::int64_t>(c.patience));
        i64("train_size", static_cast<std::int64_t>(c.train_size));
        i64("hidden", static_cast<std::int64_t>(c.hidden));
        i64("inner", static_cast<std::int64_t>(c.inner));
        str("lr_milestones", format_milestones(c.lr_milestones));
        str("init", c.init_path);
        str("network_path", c.network_path);
        i64("epoch", static_cast<std::int64_t>(s.epoch));
        i64("batch_in_epoch", static_cast<std::int64_t>(s.batch));
        dbl("epoch_loss_sum", s.epoch_loss_sum);
        i64("epoch_images", static_cast<std::int64_t>(s.epoch_images));
        dbl("best_val", s.best_val);
        i64("best_epoch", s.best_epoch);
        i64("epochs_since_best", static_cast<std::int64_t>(s.epochs_since_best));
        dbl("wall_s", s.wall_s);
        i64("stopped_early", s.stopped_early ? 1 : 0);
        h5::close(f);
    }
    out.commit();
}

void read_checkpoint(const std::string& path, train_config& c, training_state& s, std::size_t processes_here) {
    h5::file f = h5::open_read(path);
    auto bad = [&](const std::string& why) { throw input_error(path + ": " + why); };
    if (!h5::has_attr(f, "/", "format") || h5::read_attr_string(f, "/", "format") != "gust-checkpoint")
        bad("not a gust checkpoint (root attribute format != gust-checkpoint)");
    auto num = [&](const char* k) { return h5::read_attr_number(f, "/", k); };
    // Counters and sizes are integers within what gust itself accepts: a
    // cycle count of 2^32 + 2 is refused, not wrapped to 2.
    auto count = [&](const char* k, std::int64_t hi = std::int64_t{1} << 40) {
        return static_cast<std::size_t>(h5::read_attr_integer(f, "/", k, 0, hi));
    };
    const auto version = h5::read_attr_integer(f, "/", "version", 0, 1000);
    if (version != 1 && version != format_version) bad("unsupported checkpoint version " + std::to_string(version));
    train_config cfg;
    cfg.data_path = h5::read_attr_string(f, "/", "data_path");
    cfg.split = h5::read_attr_string(f, "/", "split");
    cfg.epochs = count("epochs");
    cfg.batch = count("batch");
    cfg.lr = num("lr");
    cfg.cycles = static_cast<int>(count("cycles", 10000));
    const std::string seed = h5::read_attr_string(f, "/", "seed");
    auto [p, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), cfg.seed);
    if (ec != std::errc() || p != seed.data() + seed.size()) bad("attribute 'seed' is not an integer");
    cfg.keep_prob = num("keep_prob");
    cfg.val_fraction = num("val_fraction");
    cfg.patience = count("patience");
    cfg.train_size = count("train_size");
    cfg.hidden = count("hidden");
    cfg.inner = count("inner");
    // Checkpoints written before these options existed ran the reference
    // schedule from a fresh model.
    if (h5::has_attr(f, "/", "lr_milestones")) {
        try {
            cfg.lr_milestones = parse_milestones(h5::read_attr_string(f, "/", "lr_milestones"));
        } catch (const input_error& e) {
            bad(std::string("attribute 'lr_milestones': ") + e.what());
        }
    }
    if (h5::has_attr(f, "/", "min_cycles")) cfg.min_cycles = static_cast<int>(count("min_cycles", 10000));
    if (h5::has_attr(f, "/", "init")) cfg.init_path = h5::read_attr_string(f, "/", "init");
    if (h5::has_attr(f, "/", "network_path")) cfg.network_path = h5::read_attr_string(f, "/", "network_path");
    try {
        validate(cfg);
    } catch (const input_error& e) {
        bad(std::string("stored configuration: ") + e.what());
    }

    training_state st;
    if (version == 1) {
        st.model = read_paper_checkpoint_model(f, cfg);
    } else {
        network_description d = read_description_attribute(f);
        require_training_fits(d, path, processes_here);
        network_parameters p = read_parameters(f, "/model", d);
        st.model = assemble(std::move(d), std::move(p), path);
    }
    const auto layout = parameter_layout(st.model);
    read_tensors(f, "/adam/m", layout, st.adam.m);
    read_tensors(f, "/adam/v", layout, st.adam.v);
    st.adam.step = h5::read_attr_integer(f, "/adam", "step", 0, std::int64_t{1} << 40);

    const auto d = h5::dims(f, "/log");
    if (d.size() != 2 || d[1] != 5) bad("/log must be [epochs, 5]");
    if (d[0] > 0) {
        const auto log = h5::read<double>(f, "/log", d);
        for (std::size_t r = 0; r < d[0]; ++r)
            st.log.push_back({static_cast<std::int64_t>(log[r * 5]), log[r * 5 + 1], log[r * 5 + 2], log[r * 5 + 3],
                              log[r * 5 + 4]});
    }
    st.epoch = count("epoch");
    st.batch = count("batch_in_epoch");
    st.epoch_loss_sum = num("epoch_loss_sum");
    st.epoch_images = count("epoch_images");
    st.best_val = num("best_val");
    st.best_epoch = static_cast<std::int64_t>(count("best_epoch"));
    st.epochs_since_best = count("epochs_since_best");
    st.wall_s = num("wall_s");
    st.stopped_early = count("stopped_early") != 0;
    // The position must lie inside the run: a batch counter beyond the epoch
    // would silently skip the rest of it.
    const std::size_t n_train = cfg.train_size;  // 0: the whole split, checked against the data on resume
    if (st.epoch > cfg.epochs) bad("attribute 'epoch' is beyond the run's " + std::to_string(cfg.epochs) + " epochs");
    if (n_train > 0 && st.batch > (n_train + cfg.batch - 1) / cfg.batch)
        bad("attribute 'batch_in_epoch' is beyond the epoch's batches");
    if (st.log.size() != st.epoch) bad("/log has " + std::to_string(st.log.size()) + " rows but the run is at epoch " + std::to_string(st.epoch));
    c = std::move(cfg);
    s = std::move(st);
}

}  // namespace gust::learning
