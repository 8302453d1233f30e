// gust evaluate, compare-models, select, fit-context and learning-curve as a
// user runs them: the read-out they measure is exactly gust run followed by
// gust analyze, the choices are the best rows, and bad input is refused with
// one line, status 2 and no output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli_runner.hpp"
#include "io/model_file.hpp"

using gust::test::cli_result;
using gust::test::expect_refused;
using gust::test::run_gust;
using gust::test::temp_dir;

namespace {

const std::string fixture_data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";
const std::string trained = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream f(line);
        for (std::string c; std::getline(f, c, ',');) cells.push_back(c);
        rows.push_back(cells);
    }
    return rows;
}

bool same_weights(const std::string& a, const std::string& b) {
    const auto x = gust::read_model(a), y = gust::read_model(b);
    return x.enc1.weight == y.enc1.weight && x.dec2.weight == y.dec2.weight && x.dec2.bias == y.dec2.bias;
}

}  // namespace

TEST_CASE("evaluate: the read-out equals gust dataset, run and analyze with the same seeds", "[grouping][cli]") {
    temp_dir dir;
    REQUIRE(run_gust("dataset --train-objects 3 --test-objects 4 --train-size 1 --test-size 5 --seed 9 --out " +
                         (dir / "d.h5"), dir).status == 0);
    REQUIRE(run_gust("run --model " + trained + " --data " + (dir / "d.h5") + " --images 0:5 --cycles 6 --seed 11 --out " +
                         (dir / "s.h5"), dir).status == 0);
    REQUIRE(run_gust("analyze --spikes " + (dir / "s.h5") + " --out-dir " + (dir / "a"), dir).status == 0);
    const cli_result r = run_gust("evaluate --model " + trained +
                                      " --shapes 4,2 --images 5 --data-seed 9 --cycles 6 --out-dir " + (dir / "e"), dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(gust::test::slurp(dir / "e/objects_4/metrics.csv") == gust::test::slurp(dir / "a/metrics.csv"));
    CHECK(gust::test::slurp(dir / "e/objects_4/summary.csv") == gust::test::slurp(dir / "a/summary.csv"));
    CHECK(r.out.find("4 shapes: final cycle (step 60): AMI ") != std::string::npos);
    CHECK(r.out.find("2 shapes: final cycle (step 60): AMI ") != std::string::npos);
    // The overview: a header and one row per shape count, in the order asked.
    const auto rows = csv_rows(gust::test::slurp(dir / "e/summary.csv"));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][0] == "shapes");
    CHECK(rows[1][0] == "4");
    CHECK(rows[2][0] == "2");
    CHECK(rows[1][1] == "5");
    CHECK(std::filesystem::exists(dir / "e/objects_2/assignments.h5"));
}

TEST_CASE("evaluate: bad options are refused before any work and leave nothing", "[grouping][cli][bad-input]") {
    temp_dir dir;
    const std::string base = "evaluate --model " + trained + " --out-dir " + (dir / "e");
    expect_refused(run_gust(base + " --shapes 0", dir), "--shapes 0");
    expect_refused(run_gust(base + " --shapes 3,x", dir), "--shapes 3,x");
    expect_refused(run_gust(base + " --images 0", dir), "for option '--images' is invalid");
    expect_refused(run_gust(base + " --cycles 0", dir), "for option '--cycles' is invalid");
    expect_refused(run_gust(base + " --restarts 0", dir), "for option '--restarts' is invalid");
    expect_refused(run_gust(base + " --q -1", dir), "--q -1");
    expect_refused(run_gust("evaluate --model " + trained + " --figures", dir), "--figures needs --out-dir");
    expect_refused(run_gust("evaluate --model " + (dir / "none.h5"), dir), "none.h5");
    CHECK_FALSE(std::filesystem::exists(dir / "e"));
}

TEST_CASE("compare-models: a model against itself differs by nothing, a trained one beats a fresh one",
          "[grouping][cli]") {
    temp_dir dir;
    REQUIRE(run_gust("init --seed 1 --out " + (dir / "fresh.h5"), dir).status == 0);
    const std::string opts = " --images 8 --cycles 12 --data-seed 3";
    const cli_result same = run_gust("compare-models --model-a " + trained + " --model-b " + trained + opts, dir);
    INFO(same.out << same.err);
    REQUIRE(same.status == 0);
    CHECK(same.out.find("AMI              A") != std::string::npos);
    CHECK(same.out.find("A - B +0.0000 +- 0.0000") != std::string::npos);
    CHECK(same.out.find("per-image correlation 1.000") != std::string::npos);
    const cli_result better = run_gust("compare-models --model-a " + trained + " --model-b " + (dir / "fresh.h5") + opts +
                                           " --out " + (dir / "pairs.csv"), dir);
    REQUIRE(better.status == 0);
    const auto p = better.out.find("A - B +");  // the AMI line comes first
    CHECK(p != std::string::npos);
    CHECK(p < better.out.find("active SynScore"));
    const auto rows = csv_rows(gust::test::slurp(dir / "pairs.csv"));
    REQUIRE(rows.size() == 9);
    CHECK(rows[0] == std::vector<std::string>{"shapes", "image", "ami_a", "ami_b", "active_synscore_a", "active_synscore_b"});
    expect_refused(run_gust("compare-models --model-a " + trained, dir), "model-b");
    expect_refused(run_gust("compare-models --model-a " + trained + " --model-b " + (dir / "none.h5"), dir), "none.h5");
    expect_refused(run_gust("compare-models --model-a " + trained + " --model-b " + trained + " --out " + trained, dir),
                   "is one of the input files");
}

TEST_CASE("select: the model whose validation images group best is chosen in either order and written",
          "[grouping][cli]") {
    temp_dir dir;
    const std::string fresh = dir / "fresh.h5";
    REQUIRE(run_gust("init --seed 1 --out " + fresh, dir).status == 0);
    // The fixture's 200 train_multi images validate from 180 on (the last tenth).
    for (const auto& models : {fresh + " " + trained, trained + " " + fresh}) {
        const cli_result r = run_gust("select --data " + fixture_data + " --val-images 6 --models " + models + " --out " +
                                          (dir / "best.h5"), dir);
        INFO(r.out << r.err);
        REQUIRE(r.status == 0);
        const auto rows = csv_rows(r.out);
        REQUIRE(rows.size() == 3);
        CHECK(rows[0] == std::vector<std::string>{"model", "images", "ami_mean", "synscore_mean", "active_synscore_mean"});
        CHECK(r.err.find("highest validation active_synscore on images 180..185 of " + fixture_data + "'s train_multi: " +
                         trained + " (") != std::string::npos);
        CHECK(same_weights(dir / "best.h5", trained));
        std::filesystem::remove(dir / "best.h5");
    }
    // A run folder: its snapshots, then best.h5.
    std::filesystem::create_directories(dir / "run/snapshots");
    std::filesystem::copy_file(fresh, dir / "run/snapshots/epoch_1.h5");
    std::filesystem::copy_file(trained, dir / "run/best.h5");
    const cli_result run = run_gust("select --data " + fixture_data + " --val-images 4 --run " + (dir / "run"), dir);
    REQUIRE(run.status == 0);
    const auto rows = csv_rows(run.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[1][0] == (dir / "run/snapshots/epoch_1.h5"));
    CHECK(rows[2][0] == (dir / "run/best.h5"));

    expect_refused(run_gust("select --data " + fixture_data, dir), "give the models");
    expect_refused(run_gust("select --data " + fixture_data + " --run " + (dir / "empty"), dir), "holds no snapshots");
    expect_refused(run_gust("select --data " + fixture_data + " --models " + fresh + " --criterion best", dir),
                   "--criterion best");
    expect_refused(run_gust("select --data " + trained + " --models " + fresh, dir), "train_multi");
    expect_refused(run_gust("select --data " + fixture_data + " --models " + fresh + " --val-fraction 1", dir),
                   "--val-fraction");
    expect_refused(run_gust("select --data " + fixture_data + " --models " + fresh + " --out " + fresh, dir),
                   "is one of the input files");
}

TEST_CASE("fit-context: the grid point whose validation images group best is written, label-free by default",
          "[grouping][cli]") {
    temp_dir dir;
    const std::string grid = " --gains 1.5,1 --offsets 0.6,0 --val-images 6";
    for (const auto& [criterion, column] : {std::pair<std::string, int>{"", 5}, {"ami", 3}}) {
        const std::string out = dir / ("fit" + criterion + ".h5");
        const cli_result r = run_gust("fit-context --model " + trained + " --data " + fixture_data + grid + " --out " +
                                          out + (criterion.empty() ? "" : " --criterion " + criterion), dir);
        INFO(r.out << r.err);
        REQUIRE(r.status == 0);
        const auto rows = csv_rows(r.out);
        REQUIRE(rows.size() == 5);
        CHECK(rows[0] == std::vector<std::string>{"gain", "offset", "images", "ami_mean", "synscore_mean",
                                                  "active_synscore_mean"});
        std::vector<std::string> points;
        std::string best_g, best_s;
        double best = -2;
        for (std::size_t k = 1; k < rows.size(); ++k) {
            REQUIRE(rows[k].size() == 6);
            CHECK(rows[k][2] == "6");
            points.push_back(rows[k][0] + " " + rows[k][1]);
            if (std::stod(rows[k][column]) > best) best = std::stod(rows[k][column]), best_g = rows[k][0], best_s = rows[k][1];
        }
        CHECK(points == std::vector<std::string>{"1.5 0.6", "1.5 0", "1 0.6", "1 0"});
        CHECK(r.err.find("gain " + best_g + ", offset " + best_s + " (") != std::string::npos);
        REQUIRE(run_gust("sharpen --model " + trained + " --gain " + best_g + " --offset " + best_s + " --out " +
                             (dir / "expected.h5"), dir).status == 0);
        CHECK(same_weights(out, dir / "expected.h5"));
        std::filesystem::remove(dir / "expected.h5");
    }
    const std::string fit = "fit-context --model " + trained + " --data " + fixture_data + " --out " + (dir / "x.h5");
    expect_refused(run_gust(fit + " --gains 1,0", dir), "every gain must be > 0");
    expect_refused(run_gust(fit + " --offsets 0,x", dir), "--offsets 0,x");
    expect_refused(run_gust(fit + " --criterion synscore", dir), "--criterion synscore");
    expect_refused(run_gust("fit-context --model " + trained + " --data " + fixture_data + " --out " + trained, dir),
                   "is one of the input files");
    expect_refused(run_gust("fit-context --model " + (dir / "nope.h5") + " --data " + fixture_data + " --out " +
                                (dir / "x.h5"), dir),
                   "nope.h5");
    CHECK_FALSE(std::filesystem::exists(dir / "x.h5"));
}

TEST_CASE("learning-curve: one row per snapshot in training order", "[grouping][cli]") {
    temp_dir dir;
    std::filesystem::create_directories(dir / "run/snapshots");
    REQUIRE(run_gust("init --seed 1 --out " + (dir / "run/snapshots/epoch_1.h5"), dir).status == 0);
    std::filesystem::copy_file(trained, dir / "run/snapshots/epoch_12.h5");
    const cli_result r = run_gust("learning-curve --run " + (dir / "run") + " --images 6 --cycles 20", dir);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto rows = csv_rows(r.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[1][1] == "1");
    CHECK(rows[2][1] == "12");
    CHECK(std::stod(rows[2][4]) > std::stod(rows[1][4]) + 0.3);  // trained groups, fresh does not
    expect_refused(run_gust("learning-curve --run " + (dir / "none"), dir), "no snapshots");
    expect_refused(run_gust("learning-curve --models " + trained + " --shapes 2,3", dir), "one shape count");
}

TEST_CASE("evaluate: more objects than a cycle has phases are warned about, and the table shows active SynScore",
          "[grouping][cli]") {
    temp_dir dir;
    const cli_result many = run_gust("evaluate --model " + trained + " --shapes 12 --images 2 --cycles 2", dir);
    INFO(many.err);
    REQUIRE(many.status == 0);
    CHECK(many.err.find("warning: 2 of 2 images need up to 13 clusters (objects + 1) but a cycle has only 10 phases") !=
          std::string::npos);
    CHECK(many.out.find("active SynScore") != std::string::npos);
    const cli_result few = run_gust("evaluate --model " + trained + " --shapes 3 --images 2 --cycles 2", dir);
    REQUIRE(few.status == 0);
    CHECK(few.err.empty());
}
