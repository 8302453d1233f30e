// gust train as a user runs it: a run folder usable by gust run, bad input
// refused with one line and no output, and a run killed with SIGKILL at an
// arbitrary moment that, resumed, ends with the same model file bytes as an
// uninterrupted run.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>


#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "io/h5.hpp"
#include "io/model_file.hpp"

using namespace gust;
using test::expect_refused;
using test::run_gust;

namespace {

const std::string fixture_data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";
// Small and quick: 180 training and 20 validation images, batches of 32.
const std::string quick = " --batch 32 --seed 3 --threads 1 ";

}  // namespace

TEST_CASE("cli train: a run folder holds log best and last models and gust run reads best", "[cli][train]") {
    test::temp_dir dir;
    const std::string run = dir / "run";
    const auto r = run_gust("train --data " + fixture_data + " --out " + run + quick + "--epochs 2", dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("epoch 2/2") != std::string::npos);
    CHECK(r.out.find('\r') == std::string::npos);  // not a terminal: plain lines
    const std::string log = test::slurp(run + "/log.csv");
    CHECK(log.rfind("epoch,train_loss,val_loss,lr,wall_s\n1,", 0) == 0);
    CHECK(std::count(log.begin(), log.end(), '\n') == 3);
    const auto sim = run_gust("run --model " + run + "/best.h5 --data " + fixture_data + " --images 0:2 --cycles 3 --out " +
                                  (dir / "s.h5"),
                              dir);
    INFO(sim.err);
    CHECK(sim.status == 0);
    // Resuming a finished run changes nothing.
    const std::string last = test::slurp(run + "/last.h5");
    const auto again = run_gust("train --out " + run + " --resume", dir);
    CHECK(again.status == 0);
    CHECK(again.out.find("already finished") != std::string::npos);
    CHECK(test::slurp(run + "/last.h5") == last);
}

TEST_CASE("cli train: --keep-every keeps the model of every N-th epoch", "[cli][train]") {
    test::temp_dir dir;
    const std::string run = dir / "run";
    auto r = run_gust("train --data " + fixture_data + " --out " + run + quick + "--epochs 2 --keep-every 1", dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(std::filesystem::exists(run + "/snapshots/epoch_1.h5"));
    CHECK(test::slurp(run + "/snapshots/epoch_2.h5") == test::slurp(run + "/last.h5"));
    CHECK(test::slurp(run + "/snapshots/epoch_1.h5") != test::slurp(run + "/last.h5"));
    // The option belongs to the session: a resumed run may keep others.
    r = run_gust("train --out " + run + " --resume --epochs 4 --keep-every 2", dir);
    REQUIRE(r.status == 0);
    CHECK_FALSE(std::filesystem::exists(run + "/snapshots/epoch_3.h5"));
    CHECK(test::slurp(run + "/snapshots/epoch_4.h5") == test::slurp(run + "/last.h5"));
    expect_refused(run_gust("train --out " + run + " --resume --epochs 5 --keep-every -1", dir), "--keep-every");
}

TEST_CASE("cli train: --keep-every-batches keeps the model inside epochs, the same bits when resumed", "[cli][train]") {
    test::temp_dir dir;
    // 180 training images in batches of 32: six batches per epoch.
    const std::string straight = dir / "straight", resumed = dir / "resumed";
    const std::string opts = quick + "--epochs 2 --keep-every-batches 2";
    auto r = run_gust("train --data " + fixture_data + " --out " + straight + opts, dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto snap = [](const std::string& run, int e, int b) { return run + "/snapshots/epoch_" + std::to_string(e) + "_batch_" + std::to_string(b) + ".h5"; };
    for (int e : {1, 2}) {
        CHECK(std::filesystem::exists(snap(straight, e, 2)));
        CHECK(std::filesystem::exists(snap(straight, e, 4)));
        CHECK_FALSE(std::filesystem::exists(snap(straight, e, 1)));
        CHECK_FALSE(std::filesystem::exists(snap(straight, e, 6)));  // the epoch's end is last.h5
    }
    CHECK(test::slurp(snap(straight, 1, 2)) != test::slurp(snap(straight, 1, 4)));
    CHECK(test::slurp(snap(straight, 2, 4)) != test::slurp(straight + "/last.h5"));
    CHECK(read_model(snap(straight, 2, 4)).n_hidden() == 400);  // a model file gust run reads
    // Stopped after batch 3 and resumed: the same snapshots, bit for bit.
    r = run_gust("train --data " + fixture_data + " --out " + resumed + opts + " --stop-after-batches 3", dir);
    REQUIRE(r.status == 0);
    CHECK_FALSE(std::filesystem::exists(snap(resumed, 1, 4)));
    r = run_gust("train --out " + resumed + " --resume --keep-every-batches 2", dir);
    REQUIRE(r.status == 0);
    for (int e : {1, 2})
        for (int b : {2, 4}) CHECK(test::slurp(snap(resumed, e, b)) == test::slurp(snap(straight, e, b)));
    expect_refused(run_gust("train --out " + resumed + " --resume --epochs 3 --keep-every-batches -2", dir), "--keep-every-batches");
}

TEST_CASE("cli train: a run that stopped early continues when resumed with a larger --patience", "[cli][train]") {
    test::temp_dir dir;
    const std::string run = dir / "run";
    // A learning rate of 3 wrecks the model after the first epoch, so the
    // validation loss stops improving and patience 0 stops the run at once.
    auto r = run_gust("train --data " + fixture_data + " --out " + run + quick + "--lr 3 --epochs 6 --patience 0", dir);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.out.find("stopped early") != std::string::npos);
    const auto rows = [&] {
        const std::string log = test::slurp(run + "/log.csv");
        return std::count(log.begin(), log.end(), '\n') - 1;
    };
    const long stopped_at = rows();
    REQUIRE(stopped_at < 6);
    // The same patience: nothing to do.
    r = run_gust("train --out " + run + " --resume", dir);
    CHECK(r.out.find("already finished") != std::string::npos);
    CHECK(rows() == stopped_at);
    // A larger one: the run goes on to its last epoch (or stops early again later).
    r = run_gust("train --out " + run + " --resume --patience 100", dir);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("resuming") != std::string::npos);
    CHECK(rows() == 6);
}

TEST_CASE("cli train: --init starts from a model's weights and --lr-milestones sets the schedule and resumes with it",
          "[cli][train]") {
    test::temp_dir dir;
    const std::string run = dir / "run", init = dir / "init.h5";
    // A small model of another seed than the run's: a fresh start could not land near it.
    REQUIRE(run_gust("init --seed 5 --hidden 40 --inner 64 --out " + init, dir).status == 0);
    auto r = run_gust("train --data " + fixture_data + " --out " + run + quick +
                          "--init " + init + " --lr 1e-9 --lr-milestones 1 --epochs 1",
                      dir);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const gust_model start = read_model(init), trained = read_model(run + "/last.h5");
    REQUIRE(trained.n_hidden() == 40);  // the architecture is the model's
    REQUIRE(trained.n_inner() == 64);
    // Six Adam steps of 1e-9 move no weight by more than about 6e-9.
    auto moved = [](const linear_layer& a, const linear_layer& b) {
        float m = 0;
        for (std::size_t i = 0; i < a.weight.size(); ++i) m = std::max(m, std::fabs(a.weight[i] - b.weight[i]));
        for (std::size_t i = 0; i < a.bias.size(); ++i) m = std::max(m, std::fabs(a.bias[i] - b.bias[i]));
        return m;
    };
    CHECK(std::max({moved(start.enc1, trained.enc1), moved(start.enc2, trained.enc2), moved(start.dec1, trained.dec1),
                    moved(start.dec2, trained.dec2)}) < 1e-7f);
    // Resumed, the run keeps its milestones: halved after epoch 1.
    r = run_gust("train --out " + run + " --resume --epochs 3", dir);
    REQUIRE(r.status == 0);
    std::istringstream log(test::slurp(run + "/log.csv"));
    std::string line;
    std::vector<double> lr;
    std::getline(log, line);  // header
    while (std::getline(log, line)) {
        std::istringstream row(line);
        std::string cell;
        for (int col = 0; col < 4; ++col) std::getline(row, cell, ',');
        lr.push_back(std::stod(cell));
    }
    REQUIRE(lr.size() == 3);
    CHECK(lr[0] == Approx(1e-9));
    CHECK(lr[1] == Approx(5e-10));
    CHECK(lr[2] == Approx(5e-10));

    expect_refused(run_gust("train --out " + run + " --resume --epochs 4 --lr-milestones 2", dir), "--lr-milestones");
    expect_refused(run_gust("train --out " + run + " --resume --epochs 4 --init " + init, dir), "--init");
    const std::string other = dir / "other";
    expect_refused(run_gust("train --data " + fixture_data + " --out " + other + " --lr-milestones 60,20", dir), "--lr-milestones");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + other + " --lr-milestones 6,x", dir), "--lr-milestones");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + other + " --init " + init + " --hidden 400", dir), "--init");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + other + " --init " + (dir / "none.h5"), dir), "none.h5");
    CHECK_FALSE(std::filesystem::exists(other));
}

TEST_CASE("cli train: bad input is refused with one line and no output", "[cli][train]") {
    test::temp_dir dir;
    const std::string run = dir / "run";
    // A data set without train_multi.
    {
        h5::file f = h5::create(dir / "test_only.h5");
        std::vector<float> img(5 * 28 * 28, 0.0f);
        h5::write<float>(f, "/test/default", {5, 28, 28}, img.data());
    }
    expect_refused(run_gust("train --data " + (dir / "test_only.h5") + " --out " + run, dir), "train_multi");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + run + " --batch 0", dir), "--batch");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + run + " --batch -3", dir), "--batch");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + run + " --lr nan", dir), "--lr");
    // The library names the value (min_cycles); the CLI names the option.
    expect_refused(run_gust("train --data " + fixture_data + " --out " + run + " --cycles 8 --min-cycles 9", dir),
                   "gust train: --min-cycles: must be between 0 and cycles (8)");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + run + " --min-cycles -1", dir), "--min-cycles");
    expect_refused(run_gust("train --data " + (dir / "missing.h5") + " --out " + run, dir), "missing.h5");
    expect_refused(run_gust("train --out " + run + " --resume", dir), "checkpoint.h5");
    CHECK_FALSE(std::filesystem::exists(run));

    // A folder holding a run is not overwritten without --resume.
    REQUIRE(run_gust("train --data " + fixture_data + " --out " + run + quick + "--epochs 1", dir).status == 0);
    const std::string ckpt = test::slurp(run + "/checkpoint.h5"), best = test::slurp(run + "/best.h5");
    expect_refused(run_gust("train --data " + fixture_data + " --out " + run + quick, dir), "--resume");
    CHECK(test::slurp(run + "/best.h5") == best);
    // --resume with a conflicting setting.
    expect_refused(run_gust("train --out " + run + " --resume --batch 64", dir), "--batch");
    expect_refused(run_gust("train --out " + run + " --resume --min-cycles 4", dir), "--min-cycles");

    // A corrupt checkpoint is refused and left as it was.
    {
        std::ofstream f(run + "/checkpoint.h5", std::ios::binary | std::ios::trunc);
        f.write(ckpt.data(), static_cast<std::streamsize>(ckpt.size() / 3));
    }
    const std::string corrupt = test::slurp(run + "/checkpoint.h5");
    expect_refused(run_gust("train --out " + run + " --resume --epochs 3", dir), "checkpoint.h5");
    CHECK(test::slurp(run + "/checkpoint.h5") == corrupt);
    CHECK(test::slurp(run + "/best.h5") == best);
    for (const auto& e : std::filesystem::directory_iterator(run))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}

namespace {

// Starts `gust train ... --epochs 4 --out run` (gust itself, no shell), waits
// until its first epoch is done and sends `sig` somewhere inside epoch 2;
// returns the wait status.
int train_and_signal(const std::string& run, const std::string& out_file, int sig) {
    const pid_t pid = test::spawn_gust({"train", "--data", fixture_data, "--batch", "32", "--seed", "3", "--threads", "1",
                                        "--epochs", "4", "--out", run},
                                       out_file);
    REQUIRE(pid > 0);
    const auto t0 = std::chrono::steady_clock::now();
    bool started = false;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30)) {
        if (std::filesystem::exists(run + "/log.csv")) {  // at least one epoch done
            started = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(started);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // somewhere inside epoch 2
    ::kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

// Resumes `run` to the end and checks it ends as the uninterrupted `straight`.
void resume_and_compare(const std::string& run, const std::string& straight, const test::temp_dir& dir) {
    const auto resumed = run_gust("train --out " + run + " --resume --threads 2", dir);
    INFO(resumed.err);
    REQUIRE(resumed.status == 0);
    CHECK(test::slurp(run + "/last.h5") == test::slurp(straight + "/last.h5"));
    CHECK(test::slurp(run + "/best.h5") == test::slurp(straight + "/best.h5"));
    const std::string log = test::slurp(run + "/log.csv");
    CHECK(std::count(log.begin(), log.end(), '\n') == 5);
    for (const auto& e : std::filesystem::directory_iterator(run))
        CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

}  // namespace

TEST_CASE("cli train: killed with SIGKILL and resumed it ends with the same model bytes", "[cli][train][slow]") {
    test::temp_dir dir;
    const std::string straight = dir / "straight", killed = dir / "killed";
    REQUIRE(run_gust("train --data " + fixture_data + quick + "--epochs 4 --out " + straight, dir).status == 0);
    const int status = train_and_signal(killed, dir / "killed.out", SIGKILL);
    REQUIRE(WIFSIGNALED(status));  // it was still running: the kill interrupted it
    // A temporary such as a kill during a write leaves behind (atomic_file's naming).
    { std::ofstream(killed + "/.checkpoint.h5.tmp.999999") << "partial"; }
    resume_and_compare(killed, straight, dir);
}

TEST_CASE("cli train: SIGINT and SIGTERM stop at a checkpoint, say how to resume, exit 130 and 143", "[cli][train][slow]") {
    test::temp_dir dir;
    const std::string straight = dir / "straight";
    REQUIRE(run_gust("train --data " + fixture_data + quick + "--epochs 4 --out " + straight, dir).status == 0);
    for (const auto& [sig, name] : {std::pair<int, std::string>{SIGINT, "SIGINT"}, {SIGTERM, "SIGTERM"}}) {
        const std::string run = dir / name;
        const int status = train_and_signal(run, dir / (name + ".out"), sig);
        const std::string said = test::slurp(dir / (name + ".out"));
        INFO(said);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 128 + sig);
        CHECK(said.find("gust train: interrupted by " + name + " after epoch ") != std::string::npos);
        CHECK(said.find("resume with gust train --out " + run + " --resume") != std::string::npos);
        resume_and_compare(run, straight, dir);
    }
}

TEST_CASE("cli train: warns when one batch is the whole epoch and when training on the test split", "[cli][train]") {
    test::temp_dir dir;
    const auto r = run_gust("train --data " + fixture_data + " --out " + (dir / "r") +
                                " --split test --train-size 40 --batch 64 --epochs 1 --cycles 2 --threads 1", dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find("warning: 36 training images and batch 64: one Adam step per epoch") != std::string::npos);
    CHECK(r.err.find("warning: training on the test split") != std::string::npos);
    const auto quiet = run_gust("train --data " + fixture_data + " --out " + (dir / "q") +
                                    " --train-size 40 --batch 8 --epochs 1 --cycles 2 --threads 1", dir);
    REQUIRE(quiet.status == 0);
    CHECK(quiet.err.empty());
}
