// The benchmark programs and the scripts around the CLI refuse bad input the
// way gust does: one line naming the argument or file, status 2, no output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "cli_runner.hpp"

using gust::test::cli_result;
using gust::test::run_command;
using gust::test::temp_dir;

namespace {

const std::string bench_dir = GUST_BENCH_DIR;
const std::string scripts = std::string(GUST_SOURCE_DIR) + "/scripts/";

void expect_refused(const cli_result& r, const std::string& mention) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(mention) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.out.empty());  // not even a header
}

}  // namespace

TEST_CASE("tools: benchmarks refuse bad options and files with one line and status 2", "[tools][bad-input]") {
    temp_dir dir;
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --side abc", dir), "--side abc");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --side 0", dir), "--side 0");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --objects", dir), "--objects");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --sides 64", dir), "--sides");
    expect_refused(run_command(bench_dir + "/gust_bench_simulate --images -4", dir), "--images -4");
    expect_refused(run_command(bench_dir + "/gust_bench_train_step --repeats x", dir), "--repeats x");
    expect_refused(run_command(bench_dir + "/gust_bench_analysis 3.5", dir), "3.5");
    expect_refused(run_command(bench_dir + "/gust_bench_dataset " + (dir / "d.h5") + " seven", dir), "seven");
    // A model file that is not there: the message names it (no abort).
    expect_refused(run_command(bench_dir + "/gust_bench_simulate --model " + (dir / "none.h5"), dir), "none.h5");
}

TEST_CASE("tools: scripts refuse bad arguments with one line and status 2", "[tools][bad-input]") {
    temp_dir dir;
    expect_refused(run_command(scripts + "learning_curve", dir), "usage");
    expect_refused(run_command(scripts + "learning_curve " + dir.path().string() + " 0 x", dir), "epoch x");
    expect_refused(run_command(scripts + "learning_curve " + dir.path().string() + " 0 7", dir), "epoch_7.h5");
    expect_refused(run_command("INIT=" + (dir / "no_init.h5") + " " + scripts + "learning_curve " +
                                   dir.path().string() + " 0", dir),
                   "no_init.h5");
    expect_refused(run_command(scripts + "evaluate " + (dir / "no_model.h5"), dir), "no_model.h5");
    expect_refused(run_command(scripts + "scaling 64 12", dir), "side 12");
    expect_refused(run_command(scripts + "scaling big", dir), "side big");
    if (std::system("/usr/bin/python3 -c 'import h5py, numpy' 2>/dev/null") != 0) {
        WARN("python3-h5py is not installed: scripts/ami_by_overlap not checked (scripts/bootstrap installs it)");
        return;
    }
    expect_refused(run_command(scripts + "ami_by_overlap", dir), "usage");
    expect_refused(run_command(scripts + "ami_by_overlap " + (dir / "no_eval"), dir), "no_eval");
}
