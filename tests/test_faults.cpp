// Faults a user meets: a full disk, a read-only folder, an output path that
// is a folder, and a run killed at a random moment. Whatever happens, no
// partial or corrupt file appears under a final name, gust does not crash on
// the way out, a refusal is one line naming the final path with status 2,
// and nothing temporary stays behind. The full and read-only disks are small
// tmpfs mounts, so these tests need root (as CI runs them).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "cli_runner.hpp"

using gust::test::cli_result;
using gust::test::run_gust;
using gust::test::temp_dir;

namespace fs = std::filesystem;

namespace {

const std::string model = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";

// A tmpfs of `kib` KiB mounted on a fresh folder for the test's lifetime.
class small_disk {
public:
    small_disk(const temp_dir& dir, int kib, bool read_only) : path_(dir / (read_only ? "ro" : "disk")) {
        fs::create_directories(path_);
        const std::string cmd = "mount -t tmpfs -o size=" + std::to_string(kib) + "k" + (read_only ? ",ro" : "") +
                                " gust_test " + path_ + " 2>&1";
        INFO("these tests mount a tmpfs and need root: " << cmd);
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    ~small_disk() { std::system(("umount " + path_).c_str()); }
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }
    // Leaves about `kib` KiB free.
    void fill_leaving(int kib) const {
        const auto space = fs::space(path_);
        const std::size_t keep = static_cast<std::size_t>(kib) * 1024;
        std::ofstream f(path_ + "/fill", std::ios::binary);
        const std::vector<char> zeros(space.available - keep, 0);
        f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    }
    // Entries other than the fill file.
    std::vector<std::string> left() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path_))
            if (e.path().filename() != "fill") names.push_back(e.path().filename().string());
        return names;
    }

private:
    std::string path_;
};

void expect_clean_refusal(const cli_result& r, const std::string& final_path) {
    INFO("stderr: " << r.err);
    CHECK(r.status == 2);  // not a crash at exit (status -1) and not an internal error (1)
    CHECK(r.err.find(final_path) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(".tmp.") == std::string::npos);  // the final name, never the temporary
}

struct inputs {
    temp_dir dir;
    std::string data = dir / "d.h5", spikes = dir / "s.h5";
    inputs() {
        REQUIRE(run_gust("dataset --train-objects 3 --test-objects 3 --train-size 40 --test-size 40 --seed 3 --out " + data,
                         dir).status == 0);
        REQUIRE(run_gust("run --model " + model + " --data " + data + " --images 0:20 --cycles 30 --out " + spikes, dir)
                    .status == 0);
    }
};

}  // namespace

TEST_CASE("faults: a full disk fails every write with one line naming the final path and leaves nothing",
          "[faults][slow]") {
    inputs in;
    small_disk disk(in.dir, 1024, false);
    disk.fill_leaving(300);
    const std::string run_out = disk / "spikes.h5";
    const std::vector<std::pair<std::string, std::string>> jobs = {
        {"run --model " + model + " --data " + in.data + " --images 0:20 --cycles 30 --out " + run_out, run_out},
        {"analyze --spikes " + in.spikes + " --figures --out-dir " + (disk / "an"), disk / "an"},
        {"evaluate --model " + model + " --images 40 --cycles 10 --figures --out-dir " + (disk / "ev"), disk / "ev"},
        {"init --out " + (disk / "m.h5"), disk / "m.h5"},
        {"dataset --train-objects 3 --test-objects 3 --out " + (disk / "d.h5"), disk / "d.h5"},
        {"sharpen --model " + model + " --gain 1.2 --out " + (disk / "sh.h5"), disk / "sh.h5"},
        {"average --models " + model + " " + model + " --out " + (disk / "av.h5"), disk / "av.h5"},
        {"train --data " + in.data + " --epochs 1 --batch 8 --out " + (disk / "run"), disk / "run"},
        {"select --data " + in.data + " --val-images 2 --cycles 2 --models " + model + " --out " + (disk / "best.h5"),
         disk / "best.h5"},
    };
    for (const auto& [args, final_path] : jobs) {
        INFO("gust " << args);
        expect_clean_refusal(run_gust(args, in.dir), final_path);
        CHECK(disk.left().empty());
    }
}

TEST_CASE("faults: a read-only folder and an output path that is a folder are refused cleanly", "[faults]") {
    inputs in;
    small_disk ro(in.dir, 64, true);
    expect_clean_refusal(run_gust("init --out " + (ro / "m.h5"), in.dir), ro / "m.h5");
    expect_clean_refusal(run_gust("analyze --spikes " + in.spikes + " --out-dir " + (ro / "an"), in.dir), ro / "an");
    fs::create_directories(in.dir / "taken");
    expect_clean_refusal(run_gust("init --out " + (in.dir / "taken"), in.dir), in.dir / "taken");
    expect_clean_refusal(
        run_gust("run --model " + model + " --data " + in.data + " --out " + (in.dir / "taken"), in.dir),
        in.dir / "taken");
    // A folder holding files gust did not write is never replaced by an output folder.
    { std::ofstream(in.dir / "taken/notes.txt") << "mine"; }
    const cli_result r = run_gust("analyze --spikes " + in.spikes + " --out-dir " + (in.dir / "taken"), in.dir);
    expect_clean_refusal(r, in.dir / "taken");
    CHECK(r.err.find("holds files gust did not write") != std::string::npos);
    CHECK(gust::test::slurp(in.dir / "taken/notes.txt") == "mine");
}

TEST_CASE("faults: analyze and run killed at random moments leave the old output or the whole new one",
          "[faults][slow]") {
    inputs in;
    const std::string out = in.dir / "an", spikes2 = in.dir / "s2.h5";
    // A first complete output, which every killed rerun must leave whole or replace whole.
    REQUIRE(run_gust("analyze --spikes " + in.spikes + " --figures --out-dir " + out, in.dir).status == 0);
    const auto listing = [&](const std::string& dir) {
        std::vector<std::string> names;
        for (const auto& e : fs::recursive_directory_iterator(dir)) names.push_back(fs::relative(e.path(), dir).string());
        std::sort(names.begin(), names.end());
        return names;
    };
    const auto complete = listing(out);
    const std::string metrics = gust::test::slurp(out + "/metrics.csv");
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> delay_ms(0, 400);
    for (int trial = 0; trial < 8; ++trial) {
        const int ms = delay_ms(rng);
        INFO("trial " << trial << ", killed after " << ms << " ms");
        const pid_t a = gust::test::spawn_gust({"analyze", "--spikes", in.spikes, "--figures", "--threads", "1", "--out-dir", out},
                              in.dir / "a.log");
        const pid_t r = gust::test::spawn_gust({"run", "--model", model, "--data", in.data, "--images", "0:40", "--threads", "1",
                               "--out", spikes2},
                              in.dir / "r.log");
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        ::kill(a, SIGKILL);
        ::kill(r, trial % 2 ? SIGTERM : SIGKILL);
        waitpid(a, nullptr, 0);
        waitpid(r, nullptr, 0);
        CHECK(listing(out) == complete);  // the same files: none missing, none extra
        CHECK(gust::test::slurp(out + "/metrics.csv") == metrics);
        // The spike report is absent or whole (it reads back).
        if (fs::exists(spikes2))
            CHECK(run_gust("analyze --spikes " + spikes2 + " --images 0:1 --out-dir " + (in.dir / "check"), in.dir).status == 0);
        fs::remove_all(in.dir / "check");
    }
    // The next run removes what the killed ones left and writes the same output.
    REQUIRE(run_gust("analyze --spikes " + in.spikes + " --figures --out-dir " + out, in.dir).status == 0);
    REQUIRE(run_gust("run --model " + model + " --data " + in.data + " --images 0:40 --out " + spikes2, in.dir).status == 0);
    CHECK(listing(out) == complete);
    for (const auto& e : fs::directory_iterator(in.dir.path()))
        CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}
