#include "learning/checkpoint.hpp"

#include <charconv>
#include <cmath>

#include "io/atomic_file.hpp"
#include "io/h5.hpp"
#include "io/model_file.hpp"
#include "learning/model_gradients.hpp"
#include "sim/error.hpp"

namespace gust::learning {
namespace {

constexpr int format_version = 1;

void write_tensors(const h5::file& f, const std::string& prefix, const gust_model& shape,
                   const std::array<const std::vector<float>*, 8>& t) {
    const linear_layer* layers[4] = {&shape.enc1, &shape.enc2, &shape.dec1, &shape.dec2};
    for (std::size_t i = 0; i < 8; ++i) {
        const linear_layer& l = *layers[i / 2];
        const std::vector<hsize_t> dims = i % 2 == 0 ? std::vector<hsize_t>{l.out, l.in} : std::vector<hsize_t>{l.out};
        h5::write<float>(f, prefix + tensor_names[i], dims, t[i]->data());
    }
}

void read_tensors(const h5::file& f, const std::string& prefix, const gust_model& shape,
                  const std::array<std::vector<float>*, 8>& t) {
    const linear_layer* layers[4] = {&shape.enc1, &shape.enc2, &shape.dec1, &shape.dec2};
    for (std::size_t i = 0; i < 8; ++i) {
        const linear_layer& l = *layers[i / 2];
        const std::vector<hsize_t> dims = i % 2 == 0 ? std::vector<hsize_t>{l.out, l.in} : std::vector<hsize_t>{l.out};
        *t[i] = h5::read<float>(f, prefix + tensor_names[i], dims);
        for (float v : *t[i])
            if (!std::isfinite(v)) throw input_error(f.path + ": " + prefix + tensor_names[i] + " holds NaN or Inf");
    }
}

std::array<const std::vector<float>*, 8> as_const(const std::array<std::vector<float>, 8>& a) {
    std::array<const std::vector<float>*, 8> r;
    for (std::size_t i = 0; i < 8; ++i) r[i] = &a[i];
    return r;
}
std::array<std::vector<float>*, 8> as_mut(std::array<std::vector<float>, 8>& a) {
    std::array<std::vector<float>*, 8> r;
    for (std::size_t i = 0; i < 8; ++i) r[i] = &a[i];
    return r;
}

}  // namespace

void write_checkpoint(const std::string& path, const train_config& c, const training_state& s) {
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        write_tensors(f, "/model", s.model, parameter_tensors(s.model));
        write_tensors(f, "/adam/m", s.model, as_const(s.adam.m));
        write_tensors(f, "/adam/v", s.model, as_const(s.adam.v));
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
        i64("T", s.model.T);
        dbl("theta", s.model.theta);
        i64("refractory", s.model.refractory);
        dbl("release_p", s.model.release_p);
        i64("height", static_cast<std::int64_t>(s.model.height));
        i64("width", static_cast<std::int64_t>(s.model.width));
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

void read_checkpoint(const std::string& path, train_config& c, training_state& s) {
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
    if (num("version") != format_version) bad("unsupported checkpoint version");
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
    try {
        validate(cfg);
    } catch (const input_error& e) {
        bad(std::string("stored configuration: ") + e.what());
    }

    training_state st;
    model_sizes sizes;
    sizes.height = count("height");
    sizes.width = count("width");
    sizes.hidden = cfg.hidden;
    sizes.inner = cfg.inner;
    sizes.T = static_cast<int>(count("T", 1000));
    if (sizes.height == 0 || sizes.width == 0 || sizes.T == 0) bad("model sizes must be positive");
    // Shapes come from the stored sizes; values from /model.
    st.model = init_model(sizes, 0);
    st.model.theta = static_cast<float>(num("theta"));
    st.model.refractory = static_cast<int>(count("refractory", 1000));
    st.model.release_p = static_cast<float>(num("release_p"));
    read_tensors(f, "/model", st.model, parameter_tensors(st.model));
    validate(st.model, path);
    st.adam = adam_state::zeros_like(st.model);
    read_tensors(f, "/adam/m", st.model, as_mut(st.adam.m));
    read_tensors(f, "/adam/v", st.model, as_mut(st.adam.v));
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
