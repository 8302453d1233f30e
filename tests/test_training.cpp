// The training loop's parts and guarantees: Adam and the learning-rate
// schedule as published, the epoch order, checkpoints that round-trip (and
// corrupt ones refused), a short run that lowers the validation loss, and
// stopping/resuming that ends with the same bits as an uninterrupted run.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli_runner.hpp"
#include "io/model_file.hpp"
#include "learning/adam.hpp"
#include "io/network_file.hpp"
#include "learning/training_loss.hpp"
#include "sim/paper_network.hpp"
#include "learning/batch_horizon.hpp"
#include "learning/checkpoint.hpp"
#include "learning/corruption.hpp"
#include "learning/epoch_order.hpp"
#include "learning/lr_schedule.hpp"
#include "learning/trainer.hpp"
#include "learning/training_draws.hpp"
#include "core/error.hpp"

using namespace gust;
using namespace gust::learning;

namespace {

const std::string fixture_data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";

// A quick configuration on the 200-image fixture: 180 train, 20 validate.
train_config quick_config() {
    train_config c;
    c.data_path = fixture_data;
    c.batch = 32;
    c.epochs = 3;
    c.seed = 4;
    return c;
}

bool same_bits(const tensor_list& x, const tensor_list& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t t = 0; t < x.size(); ++t)
        if (x[t].size() != y[t].size() || std::memcmp(x[t].data(), y[t].data(), x[t].size() * sizeof(float)) != 0)
            return false;
    return true;
}
bool same_bits(const network_model& a, const network_model& b) {
    return same_bits(parameter_values(a), parameter_values(b));
}

// Mean validation loss of a model under the run's fixed validation draws.
double validation_loss(const network_model& m, const train_config& c, const training_data& d) {
    const std::size_t n = d.images.height * d.images.width;
    std::vector<float> input(d.n_val * n);
    std::vector<std::size_t> ids(d.n_val);
    const counter_rng rng(c.seed);
    for (std::size_t j = 0; j < d.n_val; ++j) {
        ids[j] = d.images.indices[d.n_train + j];
        corrupt_image(rng, validation_pass, ids[j], d.images.images.data() + (d.n_train + j) * n, input.data() + j * n, n,
                      static_cast<float>(c.keep_prob));
    }
    const image_inputs in{d.n_val, n, input.data(), d.images.images.data() + d.n_train * n, ids.data()};
    bptt_options opt;
    opt.cycles = c.cycles;
    return training_loss_and_gradient(m, in, training_draws(c.seed, validation_pass), opt, 1, false).loss /
           static_cast<double>(d.n_val);
}

// Trains c from a fresh model in one uninterrupted session on 1 thread.
training_state train_straight(const train_config& c, const training_data& d, const test::temp_dir& dir) {
    training_state s = fresh_training_state(c, d);
    train_session one_thread;
    one_thread.threads = 1;
    REQUIRE(run_training(c, d, s, dir.path().string(), one_thread) == train_outcome::completed);
    return s;
}

// Trains c from a fresh model in sessions that stop after the given numbers
// of batches (0 = run to the end), each continuing from the checkpoint file
// alone, on 2 threads; returns the final state.
training_state train_in_pieces(const train_config& c, const training_data& d, const test::temp_dir& dir,
                               std::initializer_list<std::size_t> stops) {
    training_state s = fresh_training_state(c, d);
    write_checkpoint(dir / "checkpoint.h5", c, s);
    for (std::size_t stop : stops) {
        train_config rc;
        training_state rs;
        read_checkpoint(dir / "checkpoint.h5", rc, rs);
        train_session session;
        session.threads = 2;
        session.stop_after_batches = stop;
        const auto outcome = run_training(rc, d, rs, dir.path().string(), session);
        CHECK(outcome == (stop ? train_outcome::interrupted : train_outcome::completed));
        s = std::move(rs);
    }
    return s;
}

}  // namespace

TEST_CASE("training: Adam update equals the published formula over three steps", "[training]") {
    const network_model model = to_network_model(init_model({4, 4, 3, 5, 10, 0}, 1));
    tensor_list m = parameter_values(model);
    const tensor_list start = m;
    REQUIRE(m.size() == 8);
    adam_state s = adam_state::zeros_like(model);
    // A different gradient at every step, known in closed form.
    auto grad_at = [](int step, std::size_t t, std::size_t i) {
        return 1e-3 * std::sin(0.7 * static_cast<double>(i) + static_cast<double>(t) + 1.3 * step);
    };
    for (int k = 0; k < 3; ++k) {
        tensor_list g = zeros_like_parameters(model);
        for (std::size_t t = 0; t < g.size(); ++t)
            for (std::size_t i = 0; i < g[t].size(); ++i) g[t][i] = static_cast<float>(grad_at(k, t, i));
        adam_step(m, g, s, 0.01);
    }
    CHECK(s.step == 3);
    // The same recurrences in double (Kingma & Ba, torch.optim.Adam defaults).
    const tensor_list& before = start;
    const tensor_list& after = m;
    double worst = 0;
    for (std::size_t t = 0; t < 8; ++t)
        for (std::size_t i = 0; i < before[t].size(); ++i) {
            double p = before[t][i], mo = 0, v = 0;
            for (int k = 1; k <= 3; ++k) {
                const double g = static_cast<float>(grad_at(k - 1, t, i));
                mo = 0.9 * mo + 0.1 * g;
                v = 0.999 * v + 0.001 * g * g;
                const double mh = mo / (1 - std::pow(0.9, k)), vh = v / (1 - std::pow(0.999, k));
                p -= 0.01 * mh / (std::sqrt(vh) + 1e-8);
            }
            worst = std::max(worst, std::fabs(p - after[t][i]));
        }
    CHECK(worst < 1e-6);
    CHECK_FALSE(same_bits(m, start));
}

TEST_CASE("training: a configuration value out of range is refused naming its field, not a command-line flag",
          "[training][bad-input]") {
    train_config c = quick_config();
    c.min_cycles = c.cycles + 1;
    try {
        validate(c);
        FAIL("accepted min_cycles > cycles");
    } catch (const input_error& e) {
        CHECK(e.field() == "min_cycles");
        CHECK(std::string(e.what()).rfind("min_cycles: must be between 0 and cycles", 0) == 0);
        CHECK(std::string(e.what()).find("--") == std::string::npos);
    }
    CHECK_THROWS_WITH(parse_milestones("60,20"), Catch::StartsWith("lr_milestones: "));
}

TEST_CASE("training: learning rate halves after epochs 60 100 and 200", "[training]") {
    const std::vector<std::size_t> reference = train_config{}.lr_milestones;
    CHECK(scheduled_learning_rate(0.01, 0, reference) == 0.01);
    CHECK(scheduled_learning_rate(0.01, 59, reference) == 0.01);
    CHECK(scheduled_learning_rate(0.01, 60, reference) == 0.005);
    CHECK(scheduled_learning_rate(0.01, 99, reference) == 0.005);
    CHECK(scheduled_learning_rate(0.01, 100, reference) == 0.0025);
    CHECK(scheduled_learning_rate(0.01, 200, reference) == 0.00125);
    CHECK(scheduled_learning_rate(0.01, 399, reference) == 0.00125);
    // Other milestones, or none (a constant rate).
    CHECK(scheduled_learning_rate(0.002, 1000, {}) == 0.002);
    CHECK(scheduled_learning_rate(0.002, 9, {10}) == 0.002);
    CHECK(scheduled_learning_rate(0.002, 10, {10}) == 0.001);
}

TEST_CASE("training: epoch order is a permutation that changes with the epoch only", "[training]") {
    const auto a = epoch_order(7, 0, 1000), b = epoch_order(7, 1, 1000), again = epoch_order(7, 0, 1000);
    CHECK(a == again);
    CHECK(a != b);
    auto sorted = a;
    std::sort(sorted.begin(), sorted.end());
    for (std::uint32_t i = 0; i < 1000; ++i) REQUIRE(sorted[i] == i);
}

TEST_CASE("training: a random horizon is uniform over [min-cycles, cycles], keyed by seed, epoch and batch", "[training]") {
    train_config c;
    c.cycles = 8;
    for (int min : {0, 8}) {  // off, or a range of one value: always --cycles
        c.min_cycles = min;
        for (std::size_t e = 0; e < 5; ++e)
            for (std::size_t b = 0; b < 20; ++b) REQUIRE(batch_horizon(c, e, b) == 8);
    }
    c.min_cycles = 3;
    c.seed = 21;
    // 6,000 draws over six values: 1,000 expected each, standard deviation
    // about 29; every count within 4.5 of them (130) at this fixed seed.
    std::vector<int> count(9, 0);
    std::size_t differ_by_batch = 0, differ_by_epoch = 0, differ_by_seed = 0;
    train_config other_seed = c;
    other_seed.seed = 22;
    for (std::size_t e = 0; e < 60; ++e)
        for (std::size_t b = 0; b < 100; ++b) {
            const int h = batch_horizon(c, e, b);
            REQUIRE(h >= 3);
            REQUIRE(h <= 8);
            REQUIRE(h == batch_horizon(c, e, b));  // a pure function: a resumed run draws the same
            ++count[static_cast<std::size_t>(h)];
            differ_by_batch += h != batch_horizon(c, e, b + 1);
            differ_by_epoch += h != batch_horizon(c, e + 1, b);
            differ_by_seed += h != batch_horizon(other_seed, e, b);
        }
    for (int h = 3; h <= 8; ++h) {
        INFO("horizon " << h << " drawn " << count[static_cast<std::size_t>(h)] << " times");
        CHECK(std::abs(count[static_cast<std::size_t>(h)] - 1000) < 130);
    }
    // Independent draws agree 1 time in 6: about 1,000 of 6,000.
    CHECK(differ_by_batch > 4700);
    CHECK(differ_by_epoch > 4700);
    CHECK(differ_by_seed > 4700);
}

TEST_CASE("training: corruption keeps about 35 percent of the pixels and only pixels that were on", "[training]") {
    std::vector<float> clean(100000, 1.0f), out(clean.size());
    for (std::size_t i = 0; i < clean.size(); i += 3) clean[i] = 0.0f;
    corrupt_image(counter_rng(3), training_pass(2), 17, clean.data(), out.data(), clean.size(), 0.35f);
    double kept = 0, on = 0;
    std::size_t lit_from_nothing = 0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        lit_from_nothing += out[i] > clean[i];
        kept += out[i];
        on += clean[i];
    }
    CHECK(lit_from_nothing == 0);
    CHECK(std::fabs(kept / on - 0.35) < 0.01);
}

TEST_CASE("training: checkpoint round trip and a corrupt checkpoint is refused", "[training]") {
    test::temp_dir dir;
    train_config c = quick_config();
    const training_data d = load_training_data(c);
    training_state s = fresh_training_state(c, d);
    s.epoch = 2;
    s.batch = 3;
    s.epoch_loss_sum = 1.25;
    s.epoch_images = 96;
    s.best_val = 0.0123;
    s.best_epoch = 2;
    s.epochs_since_best = 0;
    s.adam.step = 17;
    s.adam.m[3][5] = 0.5f;
    s.log = {{1, 0.02, 0.021, 0.01, 1.5}, {2, 0.019, 0.0123, 0.01, 3.0}};
    c.seed = 0xFFFFFFFFFFFFFFF1ull;  // needs all 64 bits
    c.min_cycles = 5;
    write_checkpoint(dir / "c.h5", c, s);
    train_config c2;
    training_state s2;
    read_checkpoint(dir / "c.h5", c2, s2);
    CHECK(c2.seed == c.seed);
    CHECK(c2.min_cycles == 5);
    CHECK(c2.cycles == c.cycles);
    CHECK(c2.batch == c.batch);
    CHECK(c2.data_path == c.data_path);
    CHECK(same_bits(s.model, s2.model));
    CHECK(s2.adam.step == 17);
    CHECK(s2.adam.m[3][5] == 0.5f);
    CHECK(s2.epoch == 2);
    CHECK(s2.batch == 3);
    CHECK(s2.epoch_images == 96);
    CHECK(s2.best_val == 0.0123);
    REQUIRE(s2.log.size() == 2);
    CHECK(s2.log[1].val_loss == 0.0123);

    // Truncated file: refused with a message naming it.
    const std::string bytes = test::slurp(dir / "c.h5");
    {
        std::ofstream f(dir / "bad.h5", std::ios::binary);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    }
    train_config c3;
    training_state s3;
    CHECK_THROWS_AS(read_checkpoint(dir / "bad.h5", c3, s3), input_error);
}

TEST_CASE("training: a short run lowers the validation loss", "[training][slow]") {
    test::temp_dir dir;
    train_config c = quick_config();
    c.epochs = 4;
    c.batch = 16;
    const training_data d = load_training_data(c);
    REQUIRE(d.n_train == 180);
    REQUIRE(d.n_val == 20);
    training_state s = fresh_training_state(c, d);
    const double before = validation_loss(s.model, c, d);
    train_session session;
    session.threads = 2;
    REQUIRE(run_training(c, d, s, dir.path().string(), session) == train_outcome::completed);
    REQUIRE(s.log.size() == 4);
    INFO("validation loss before " << before << ", best " << s.best_val << ", per epoch " << s.log[0].val_loss << " " << s.log[1].val_loss << " "
                                   << s.log[2].val_loss << " " << s.log[3].val_loss);
    CHECK(s.best_val < 0.97 * before);
    CHECK(s.log[3].val_loss < s.log[0].val_loss);
    // The best model on disk is the one that scored best_val.
    CHECK(validation_loss(read_network_model(dir / "best.h5"), c, d) == Approx(s.best_val).epsilon(1e-12));
    CHECK(std::filesystem::exists(dir / "last.h5"));
    CHECK(std::filesystem::exists(dir / "log.csv"));
}

TEST_CASE("training: stopping and resuming ends with the same bits as an uninterrupted run", "[training][slow]") {
    train_config c = quick_config();
    c.epochs = 2;
    const training_data d = load_training_data(c);  // 6 batches of 32 per epoch

    test::temp_dir straight_dir;
    const training_state straight = train_straight(c, d, straight_dir);

    // Stop inside epoch 1, then inside epoch 2 after crossing the boundary.
    test::temp_dir dir;
    const training_state s = train_in_pieces(c, d, dir, {4, 5, 0});
    CHECK(same_bits(s.model, straight.model));
    CHECK(s.adam.step == straight.adam.step);
    CHECK(s.best_val == straight.best_val);
    CHECK(test::slurp(dir / "last.h5") == test::slurp(straight_dir / "last.h5"));
    CHECK(test::slurp(dir / "best.h5") == test::slurp(straight_dir / "best.h5"));
}

TEST_CASE("training: a random horizon trains differently, validates at --cycles and resumes to the same bits",
          "[training][slow]") {
    train_config c = quick_config();
    c.epochs = 1;
    c.cycles = 4;
    c.min_cycles = 2;
    c.seed = 5;
    const training_data d = load_training_data(c);  // 6 batches of 32
    std::vector<int> horizons;
    for (std::size_t b = 0; b < 6; ++b) horizons.push_back(batch_horizon(c, 0, b));
    INFO("horizons of the six batches: " << horizons[0] << horizons[1] << horizons[2] << horizons[3] << horizons[4]
                                          << horizons[5]);
    // The last batch must draw fewer than 4 cycles, or a validation that
    // kept the last batch's horizon would pass unnoticed.
    REQUIRE(horizons.back() < 4);

    test::temp_dir straight_dir;
    const training_state straight = train_straight(c, d, straight_dir);

    train_config fixed = c;
    fixed.min_cycles = 0;
    test::temp_dir fixed_dir;
    const training_state f = train_straight(fixed, d, fixed_dir);
    CHECK_FALSE(same_bits(straight.model, f.model));
    // Validation unrolls --cycles whatever the batches drew.
    CHECK(straight.log[0].val_loss == Approx(validation_loss(straight.model, c, d)).epsilon(1e-12));

    test::temp_dir dir;
    const training_state s = train_in_pieces(c, d, dir, {2, 0});
    CHECK(same_bits(s.model, straight.model));
    CHECK(test::slurp(dir / "last.h5") == test::slurp(straight_dir / "last.h5"));
}
