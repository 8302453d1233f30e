// The benchmark programs refuse bad input the way gust does: one line naming
// the argument or file, status 2, no output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>

#include "cli_runner.hpp"

using gust::test::cli_result;
using gust::test::expect_refused;
using gust::test::run_command;
using gust::test::temp_dir;

namespace {

const std::string bench_dir = GUST_BENCH_DIR;

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
    expect_refused(run_command(bench_dir + "/gust_bench_fresh_pages --gib 0", dir), "--gib 0");
    expect_refused(run_command(bench_dir + "/gust_bench_fresh_pages --gib 4096", dir), "--gib 4096");
    expect_refused(run_command(bench_dir + "/gust_bench_fresh_pages --pause soon", dir), "--pause soon");
    expect_refused(run_command(bench_dir + "/gust_bench_train_step --repeats x", dir), "--repeats x");
    const std::string net = std::string(GUST_SOURCE_DIR) + "/examples/networks/sparse_local_256.toml";
    expect_refused(run_command(bench_dir + "/gust_bench_row_runs --network " + net + " --set encoder/none", dir),
                   "encoder/none");
    expect_refused(run_command(bench_dir + "/gust_bench_row_runs --network " + net, dir), "--set");
    expect_refused(run_command(bench_dir + "/gust_bench_row_runs --network " + net + " --set decoder/fc2 --rows 0", dir),
                   "--rows 0");
    expect_refused(
        run_command(bench_dir + "/gust_bench_row_runs --network " + net + " --set decoder/fc2 --rows 60000", dir),
        "--rows 60000");  // more than half the rows
    expect_refused(run_command(bench_dir + "/gust_bench_analysis 3.5", dir), "3.5");
    expect_refused(run_command(bench_dir + "/gust_bench_dataset " + (dir / "d.h5") + " seven", dir), "seven");
    // A model file that is not there: the message names it (no abort).
    expect_refused(run_command(bench_dir + "/gust_bench_simulate --model " + (dir / "none.h5"), dir), "none.h5");
}

TEST_CASE("benchmarks: the row-runs benchmark sums a set's rows in every run length and measures against consecutive rows",
          "[benchmarks]") {
    temp_dir dir;
    const std::string net = std::string(GUST_SOURCE_DIR) + "/examples/networks/sparse_local_256.toml";
    const auto r = run_command(
        bench_dir + "/gust_bench_row_runs --network " + net + " --set decoder/fc1 --rows 20000 --rounds 1", dir);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 8);  // a header and seven run lengths
    CHECK(r.out.find("runs of 16 rows") != std::string::npos);
    CHECK(r.out.find("all consecutive") != std::string::npos);
    CHECK(r.out.find("1.00x the time of consecutive rows\n", r.out.find("all consecutive")) != std::string::npos);
}

TEST_CASE("benchmarks: the memory roof reads the array front to back and then in each chunk size, against front to back",
          "[benchmarks]") {
    temp_dir dir;
    const auto r = run_command(bench_dir + "/gust_bench_memory_stream --mib 64 --repeats 2", dir);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 11);  // per repeat, front to back and four chunk sizes; the sum
    for (const char* chunk : {"chunks of   3 KiB", "chunks of  12 KiB", "chunks of  48 KiB", "chunks of 192 KiB"})
        CHECK(r.out.find(chunk) != std::string::npos);
    // Every float (1.0) counted once front to back, then as many whole
    // chunks of each size as fit in a quarter of the array: the reads
    // covered what they say.
    const std::size_t n = std::size_t(64) << 18;
    std::size_t floats = 0;
    for (std::size_t kib : {3, 12, 48, 192}) floats += n / 4 / (kib << 8) * (kib << 8);
    CHECK(r.out.find("(sum " + std::to_string(2 * (n + floats)) + ")") != std::string::npos);
}

TEST_CASE("benchmarks: fresh memory is timed in one process on one thread and on two, and in two processes with "
          "half each, in turns",
          "[benchmarks]") {
    temp_dir dir;
    const auto r = run_command(bench_dir + "/gust_bench_fresh_pages --gib 1 --repeats 2 --pause 0", dir);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // a line per repeat
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        double one = 0, one_rate = 0, threads = 0, threads_rate = 0, threads_ratio = 0, two = 0, two_rate = 0,
               two_ratio = 0;
        REQUIRE(std::sscanf(line.c_str(),
                            "fresh memory, 1 GiB: one process %lf s (%lf GB/s); on two threads %lf s (%lf GB/s): "
                            "%lfx; two processes, half each, %lf s (%lf GB/s): %lfx",
                            &one, &one_rate, &threads, &threads_rate, &threads_ratio, &two, &two_rate,
                            &two_ratio) == 8);
        CHECK(one > 0);
        CHECK(threads > 0);
        CHECK(two > 0);
        // Each rate and ratio is of the times printed, to the rounding of
        // both (times to 0.0005 s, rates and ratios to 0.005): a slow
        // machine (or a sanitizer) prints rates near 0.1 GB/s.
        const double gb = 1.073741824, t = 0.0005, p = 0.005;
        auto of_times = [&](double printed, double lo, double hi) { return printed >= lo - p && printed <= hi + p; };
        CHECK(of_times(one_rate, gb / (one + t), gb / (one - t)));
        CHECK(of_times(threads_rate, gb / (threads + t), gb / (threads - t)));
        CHECK(of_times(two_rate, gb / (two + t), gb / (two - t)));
        CHECK(of_times(threads_ratio, (one - t) / (threads + t), (one + t) / (threads - t)));
        CHECK(of_times(two_ratio, (one - t) / (two + t), (one + t) / (two - t)));
    }
}
