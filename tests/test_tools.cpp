// The benchmark programs and the scripts around the CLI refuse bad input the
// way gust does: one line naming the argument or file, status 2, no output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "io/model_file.hpp"
#include "io/spike_report.hpp"

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

// A metrics.csv as gust analyze writes it: one row per (image, cycle).
void write_metrics(const std::string& path, const std::vector<std::vector<double>>& ami_per_image) {
    std::ofstream m(path);
    m << "image,cycle,step,ami,synscore\n";
    for (std::size_t i = 0; i < ami_per_image.size(); ++i)
        for (std::size_t c = 0; c < ami_per_image[i].size(); ++c)
            m << i << ',' << c << ',' << (c + 1) * 10 << ',' << ami_per_image[i][c] << ",0\n";
}

// True (with a warning) when /usr/bin/python3 lacks `modules`, so a script
// test is skipped rather than failed on a machine without them.
bool python_lacks(const std::string& modules, const std::string& script) {
    if (std::system(("/usr/bin/python3 -c 'import " + modules + "' 2>/dev/null").c_str()) == 0) return false;
    WARN("python3 lacks " << modules << ": scripts/" << script << " not checked (scripts/bootstrap installs it)");
    return true;
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
    expect_refused(run_command("DATA_SEED=x " + scripts + "evaluate " + (dir / "no_model.h5"), dir), "DATA_SEED x");
    expect_refused(run_command(scripts + "validation_grouping " + (dir / "no_data.h5"), dir), "usage");
    expect_refused(run_command(scripts + "validation_grouping " + (dir / "no_data.h5") + " m.h5", dir), "no_data.h5");
    expect_refused(run_command("IMAGES=0 " + scripts + "validation_grouping " + (dir / "no_data.h5") + " m.h5", dir),
                   "IMAGES 0");
    expect_refused(run_command("FIRST=x " + scripts + "validation_grouping " + (dir / "no_data.h5") + " m.h5", dir),
                   "FIRST x");
    expect_refused(run_command(scripts + "scaling 64 12", dir), "side 12");
    expect_refused(run_command(scripts + "scaling big", dir), "side big");
    if (python_lacks("h5py, numpy", "ami_by_overlap")) return;
    expect_refused(run_command(scripts + "ami_by_overlap", dir), "usage");
    expect_refused(run_command(scripts + "ami_by_overlap " + (dir / "no_eval"), dir), "no_eval");
    expect_refused(run_command(scripts + "phase_sharpness", dir), "usage");
    expect_refused(run_command(scripts + "phase_sharpness " + (dir / "no_spikes.h5"), dir), "no_spikes.h5");
    expect_refused(run_command(scripts + "phase_sharpness " + (dir / "no_spikes.h5") + " 0", dir), "IMAGES 0");
    expect_refused(run_command(scripts + "ami_persistence", dir), "usage");
    expect_refused(run_command(scripts + "ami_persistence " + (dir / "no_metrics.csv"), dir), "no_metrics.csv");
    expect_refused(run_command(scripts + "ami_persistence " + (dir / "no_metrics.csv") + " 1", dir), "WINDOW 1");
    expect_refused(run_command(scripts + "ami_persistence " + (dir / "no_metrics.csv") + " 5 nan", dir), "LOW nan");
    expect_refused(run_command(scripts + "compare_ami " + (dir / "no_metrics.csv"), dir), "usage");
    expect_refused(run_command(scripts + "compare_ami " + (dir / "no_a.csv") + " " + (dir / "no_b.csv"), dir),
                   "no_a.csv");
}

TEST_CASE("tools: phase_sharpness measures each object's share at its phase in the last cycle",
          "[tools][python]") {
    if (python_lacks("h5py, numpy", "phase_sharpness")) return;
    // One 2x4 image, 2 cycles of T = 10: object 1 = pixels 0-3, object 2 =
    // pixels 4-7. In the first cycle everything fires at phase 0 (it must not
    // count); in the last, object 1 fires at phases 2, 2, 2, 3 and object 2
    // at 6, 7, 7, 7: each keeps 3 of 4 at its phase, 5 phases apart. Pixel 8
    // belongs to object 1 and stays silent; pixel 9 is background.
    gust::spike_report r;
    gust::spike_population pop{"image_0", {}, {}};
    auto fire = [&](double t, std::uint64_t id) {
        pop.timestamps.push_back(t);
        pop.node_ids.push_back(id);
    };
    for (std::uint64_t i = 0; i < 8; ++i) fire(0, i);
    fire(12, 0), fire(12, 1), fire(12, 2), fire(13, 3);
    fire(16, 4), fire(17, 5), fire(17, 6), fire(17, 7);
    r.populations = {pop};
    r.meta = gust::run_metadata{10, 2, 1, "event", "test", "d.h5", "m.h5", 2, 5};
    r.images = {{0, std::vector<float>(10, 1.0f), {1, 1, 1, 1, 2, 2, 2, 2, 1, 0}}};
    temp_dir dir;
    gust::write_spike_report(dir / "s.h5", r);
    const cli_result out = run_command(scripts + "phase_sharpness " + (dir / "s.h5"), dir);
    INFO("stdout: " << out.out << "\nstderr: " << out.err);
    REQUIRE(out.status == 0);
    CHECK(out.out.find("last cycle 1 (steps 10-19)") != std::string::npos);
    CHECK(out.out.find("2 firing, 0 silent") != std::string::npos);
    CHECK(out.out.find("mean 0.750") != std::string::npos);  // (3/4 + 3/4) / 2
    // 9 labelled pixels: 1 silent, 6 at their object's phase.
    CHECK(out.out.find("labelled pixels: 9; silent in the last cycle 0.111, firing at their object's dominant phase 0.667") !=
          std::string::npos);
    CHECK(out.out.find("\n5,1,1.000\n") != std::string::npos);  // phases 2 and 7: 5 apart
    CHECK(out.out.find("\n0,0,0.000\n") != std::string::npos);
}

TEST_CASE("tools: ami_persistence follows the images that fail at the final cycle back over a window",
          "[tools][python]") {
    if (python_lacks("numpy", "ami_persistence")) return;
    // Two images, three cycles, window 2 (cycles 1-2): cycle 0 must not count.
    // Image 0: 0.1, 0.9, 0.8; image 1: 0.0, 0.5, 0.4 (below 0.7 throughout).
    temp_dir dir;
    write_metrics(dir / "metrics.csv", {{0.1, 0.9, 0.8}, {0.0, 0.5, 0.4}});
    const cli_result out = run_command(scripts + "ami_persistence " + (dir / "metrics.csv") + " 2", dir);
    INFO("stdout: " << out.out << "\nstderr: " << out.err);
    REQUIRE(out.status == 0);
    CHECK(out.out.find("2 images, window cycles 1-2") != std::string::npos);
    CHECK(out.out.find("final-cycle AMI 0.600; mean over the window 0.650; mean of each image's best cycle 0.700") !=
          std::string::npos);
    CHECK(out.out.find("consecutive cycles: 1.000") != std::string::npos);  // (0.9, 0.5) -> (0.8, 0.4)
    CHECK(out.out.find("below 0.7 at the final cycle: 1; over the window their mean 0.450, their best cycle 0.500; "
                       "below 0.7 at every cycle of it: 1.000") != std::string::npos);
    // A window longer than the run is refused.
    const cli_result longer = run_command(scripts + "ami_persistence " + (dir / "metrics.csv") + " 4", dir);
    CHECK(longer.status == 2);
    CHECK(longer.err.find("fewer than WINDOW 4") != std::string::npos);
}


TEST_CASE("tools: validation_grouping chooses the model whose validation images group best, label-free",
          "[tools]") {
    temp_dir dir;
    const std::string data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";
    const std::string trained = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    const std::string fresh = dir / "fresh.h5";
    REQUIRE(gust::test::run_gust("init --seed 1 --out " + fresh, dir).status == 0);
    // FIRST left to the script: the fixture's 200 images validate from 180 on.
    const std::string env = "GUST=" + std::string(GUST_BINARY) + " IMAGES=6 ";
    // Either order: the choice is the trained model, whose trains synchronise
    // per shape (SynScore about 0.8 on average), not the fresh one (about 0.1).
    for (const auto& models : {fresh + " " + trained, trained + " " + fresh}) {
        const cli_result r = run_command(env + scripts + "validation_grouping " + data + " " + models, dir);
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        REQUIRE(r.status == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);  // header and one row per model
        CHECK(r.out.find(fresh + ",6,") != std::string::npos);
        CHECK(r.out.find(trained + ",6,") != std::string::npos);
        CHECK(r.err.find("highest validation SynScore: " + trained + " (") != std::string::npos);
        CHECK(r.err.find("validation images 180..185 of") != std::string::npos);
    }
    // A file without train_multi, and images beyond the split, are refused.
    expect_refused(run_command(env + scripts + "validation_grouping " + trained + " " + fresh, dir), "no train_multi");
    expect_refused(run_command("GUST=" + std::string(GUST_BINARY) + " FIRST=195 IMAGES=6 " + scripts + "validation_grouping " +
                                   data + " " + fresh, dir),
                   "195..200");
}

TEST_CASE("tools: compare_ami gives the paired difference of two read-outs and its standard error",
          "[tools][python]") {
    if (python_lacks("numpy", "compare_ami")) return;
    // Final cycle: A = 0.8, 0.6, 0.7 and B = 0.7, 0.6, 0.5; cycle 0 must not count.
    // Differences 0.1, 0, 0.2: mean 0.1, sample sd 0.1, standard error 0.1 / sqrt(3);
    // deviations (0.1, -0.1, 0) and (0.1, 0, -0.1): correlation 0.5.
    temp_dir dir;
    write_metrics(dir / "a.csv", {{0.0, 0.8}, {0.9, 0.6}, {0.1, 0.7}});
    write_metrics(dir / "b.csv", {{0.3, 0.7}, {0.2, 0.6}, {0.9, 0.5}});
    const cli_result out = run_command(scripts + "compare_ami " + (dir / "a.csv") + " " + (dir / "b.csv"), dir);
    INFO("stdout: " << out.out << "\nstderr: " << out.err);
    REQUIRE(out.status == 0);
    CHECK(out.out.find("3 images, final cycle: AMI A 0.700, B 0.600; A - B +0.100 +- 0.0577") != std::string::npos);
    CHECK(out.out.find("per-image correlation 0.500") != std::string::npos);
    // Read-outs of other images, and a file missing a cycle of an image, are refused.
    write_metrics(dir / "c.csv", {{0.3, 0.7}, {0.2, 0.6}});
    const cli_result other = run_command(scripts + "compare_ami " + (dir / "a.csv") + " " + (dir / "c.csv"), dir);
    CHECK(other.status == 2);
    CHECK(other.err.find("other images") != std::string::npos);
    {
        std::ofstream m(dir / "gap.csv");
        m << "image,cycle,step,ami,synscore\n0,0,10,0.1,0\n0,1,20,0.2,0\n1,1,20,0.3,0\n";
    }
    const cli_result gap = run_command(scripts + "compare_ami " + (dir / "a.csv") + " " + (dir / "gap.csv"), dir);
    CHECK(gap.status == 2);
    CHECK(gap.err.find("lacks one of the 2 cycles") != std::string::npos);
    CHECK(std::count(gap.err.begin(), gap.err.end(), '\n') == 1);
}

TEST_CASE("tools: fit_context_gain keeps the grid point whose validation images group best, and writes that model",
          "[tools]") {
    temp_dir dir;
    const std::string data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";
    const std::string trained = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    const std::string env = "GUST=" + std::string(GUST_BINARY) + " IMAGES=6 GAINS='1.5 1.0' OFFSETS='0.6 0' ";
    // The default criterion is the AMI (column 4); CHOOSE=active_synscore needs no labels (column 6).
    for (const auto& [choose, column] : {std::pair<std::string, int>{"", 3}, {"active_synscore", 5}}) {
        const std::string out = dir / ("fit" + choose + ".h5");
        const cli_result r = run_command(env + (choose.empty() ? "" : "CHOOSE=" + choose + " ") + scripts +
                                             "fit_context_gain " + data + " " + trained + " " + out, dir);
        INFO("CHOOSE=" << choose << "\nstdout: " << r.out << "\nstderr: " << r.err);
        REQUIRE(r.status == 0);
        // Header and one row per grid point, gains outer.
        std::istringstream rows(r.out);
        std::string line;
        std::getline(rows, line);
        CHECK(line == "gain,offset,images,ami_mean,synscore_mean,active_synscore_mean");
        std::vector<std::string> points;
        std::string best;
        double best_value = -2;
        while (std::getline(rows, line)) {
            std::vector<std::string> cell;
            std::istringstream f(line);
            for (std::string c; std::getline(f, c, ',');) cell.push_back(c);
            REQUIRE(cell.size() == 6);
            CHECK(cell[2] == "6");
            points.push_back(cell[0] + " " + cell[1]);
            if (std::stod(cell[column]) > best_value) best_value = std::stod(cell[column]), best = points.back();
        }
        CHECK(points == std::vector<std::string>{"1.5 0.6", "1.5 0", "1.0 0.6", "1.0 0"});
        CHECK(best != points.front());  // on these images: the choice is not merely the first row
        const std::string gain = best.substr(0, best.find(' ')), offset = best.substr(best.find(' ') + 1);
        CHECK(r.err.find("highest validation " + (choose.empty() ? std::string("ami") : choose) + ": gain " +
                         gain + ", offset " + offset + " (") != std::string::npos);
        // OUT is the trained model sharpened with that gain and offset.
        REQUIRE(gust::test::run_gust("sharpen --model " + trained + " --gain " + gain + " --offset " + offset + " --out " +
                                         (dir / "expected.h5"), dir).status == 0);
        CHECK(gust::read_model(out).dec2.bias == gust::read_model(dir / "expected.h5").dec2.bias);
        CHECK(gust::read_model(out).dec2.weight == gust::read_model(dir / "expected.h5").dec2.weight);
    }

    const std::string fit = scripts + "fit_context_gain " + data + " " + trained + " ";
    expect_refused(run_command(scripts + "fit_context_gain " + data, dir), "usage");
    expect_refused(run_command("GAINS='1 0' " + fit + (dir / "x.h5"), dir), "'0' is not a positive number");
    expect_refused(run_command("OFFSETS='0 x' " + fit + (dir / "x.h5"), dir), "'x' is not a number");
    expect_refused(run_command("CHOOSE=synscore " + fit + (dir / "x.h5"), dir), "CHOOSE synscore");
    expect_refused(run_command(fit + trained, dir), "would overwrite the model");
    expect_refused(run_command(scripts + "fit_context_gain " + data + " " + (dir / "nope.h5") + " " + (dir / "x.h5"), dir),
                   "nope.h5");
    expect_refused(run_command(env + scripts + "fit_context_gain " + trained + " " + trained + " " + (dir / "x.h5"), dir),
                   "no train_multi");
    CHECK_FALSE(std::filesystem::exists(dir / "x.h5"));
}
