// The benchmark programs refuse bad input the way gust does: one line naming
// the argument or file, status 2, no output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "cli_runner.hpp"

using gust::test::cli_result;
using gust::test::run_command;
using gust::test::temp_dir;

namespace {

const std::string bench_dir = GUST_BENCH_DIR;

void expect_refused(const cli_result& r, const std::string& mention) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(gust::test::refused_in_one_line(r, mention));
    CHECK(r.out.empty());  // not even a header
}

}  // namespace

TEST_CASE("benchmarks: refuse bad options and files with one line and status 2", "[benchmarks][bad-input]") {
    temp_dir dir;
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --side abc", dir), "--side abc");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --side 0", dir), "--side 0");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --objects", dir), "--objects");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --sides 64", dir), "--sides");
    expect_refused(run_command(bench_dir + "/gust_bench_sparse --network " + (dir / "none.toml"), dir), "none.toml");
    expect_refused(run_command(bench_dir + "/gust_bench_simulate --images -4", dir), "--images -4");
    expect_refused(run_command(bench_dir + "/gust_bench_memory_stream --mib 8", dir), "--mib 8");
    expect_refused(run_command(bench_dir + "/gust_bench_memory_stream --stride 2", dir), "--stride");
    expect_refused(run_command(bench_dir + "/gust_bench_train_step --repeats x", dir), "--repeats x");
    expect_refused(run_command(bench_dir + "/gust_bench_analysis 3.5", dir), "3.5");
    expect_refused(run_command(bench_dir + "/gust_bench_dataset " + (dir / "d.h5") + " seven", dir), "seven");
    // A model file that is not there: the message names it (no abort).
    expect_refused(run_command(bench_dir + "/gust_bench_simulate --model " + (dir / "none.h5"), dir), "none.h5");
}
