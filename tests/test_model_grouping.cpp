// The grouping protocol shared by evaluate, compare-models, select,
// fit-context and learning-curve: fresh images as gust dataset draws them,
// the paired difference of two read-outs, a run's snapshots in training
// order, and the choice among read-outs.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "analysis/model_grouping.hpp"
#include "sim/paper_network.hpp"
#include "analysis/paired_difference.hpp"
#include "apps/model_choice.hpp"
#include "cli_runner.hpp"
#include "io/dataset_file.hpp"
#include "learning/trainer.hpp"

using namespace gust;
using gust::test::temp_dir;

TEST_CASE("grouping: fresh images are the test split gust dataset writes with that seed", "[grouping]") {
    temp_dir dir;
    shapes_dataset_spec spec;
    spec.n_test = 4;
    spec.train_size = 1;
    spec.test_size = 7;
    spec.height = 32;
    spec.width = 24;
    spec.seed = 5;
    write_shapes_dataset(dir / "d.h5", spec);
    const image_set file = read_split(dir / "d.h5", "test", 0, 7);
    const image_set mem = analysis::fresh_shape_images(4, 7, 5, 32, 24);
    CHECK(mem.images == file.images);
    CHECK(mem.labels == file.labels);
    CHECK(mem.indices == file.indices);
    CHECK(mem.height == 32);
    CHECK(mem.width == 24);
    // Another seed draws other images.
    CHECK(analysis::fresh_shape_images(4, 7, 6, 32, 24).images != file.images);
}

TEST_CASE("grouping: images of another size than the model's, or without labels, are refused", "[grouping][bad-input]") {
    const network_model model = to_network_model(init_model({}, 1));
    analysis::grouping_protocol p;
    p.cycles = 2;
    CHECK_THROWS_WITH(analysis::group_images(model, analysis::fresh_shape_images(3, 2, 1, 32, 32), p),
                      Catch::Contains("32x32") && Catch::Contains("28x28"));
    image_set unlabelled = analysis::fresh_shape_images(3, 2, 1, 28, 28);
    unlabelled.labels.clear();
    CHECK_THROWS_WITH(analysis::group_images(model, unlabelled, p), Catch::Contains("labels"));
    image_set fractional = analysis::fresh_shape_images(3, 2, 1, 28, 28);
    fractional.labels[3] = 0.5f;
    CHECK_THROWS_WITH(analysis::group_images(model, fractional, p), Catch::Contains("whole numbers"));
}

TEST_CASE("grouping: the paired difference, its standard error and the correlation", "[grouping]") {
    // Differences 0.1, 0, 0.2: mean 0.1, sample sd 0.1, standard error 0.1 / sqrt(3);
    // deviations (0.1, -0.1, 0) and (0.1, 0, -0.1): correlation 0.5. The NaN pair is left out.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto d = analysis::compare_paired({0.8, 0.6, nan, 0.7}, {0.7, 0.6, 0.1, 0.5});
    CHECK(d.n == 3);
    CHECK(d.mean_a == Approx(0.7));
    CHECK(d.mean_b == Approx(0.6));
    CHECK(d.mean_diff == Approx(0.1));
    CHECK(d.std_error == Approx(0.1 / std::sqrt(3.0)));
    CHECK(d.correlation == Approx(0.5));
    // One pair has no standard error; a constant side has no correlation.
    CHECK(std::isnan(analysis::compare_paired({0.5}, {0.4}).std_error));
    CHECK(std::isnan(analysis::compare_paired({0.5, 0.5}, {0.4, 0.1}).correlation));
    CHECK_THROWS(analysis::compare_paired({0.5}, {0.4, 0.1}));
}

TEST_CASE("grouping: a run's kept snapshots come in training order, other files ignored", "[grouping]") {
    temp_dir dir;
    const learning::run_files files(dir.path().string());
    std::filesystem::create_directories(files.snapshots);
    for (const char* name : {"epoch_10.h5", "epoch_2.h5", "epoch_1.h5", "epoch_1_batch_10.h5", "epoch_1_batch_5.h5",
                             ".epoch_3.h5.tmp.123", "epoch_x.h5", "epoch_2_batch_0.h5", "epoch_4.txt", "notes.h5"})
        std::ofstream(std::filesystem::path(files.snapshots) / name) << "x";
    std::vector<std::string> names;
    for (const auto& k : files.kept_snapshots())
        names.push_back(std::filesystem::path(k.path).filename().string() + "@" + std::to_string(k.epoch) + "." +
                        std::to_string(k.batch));
    CHECK(names == std::vector<std::string>{"epoch_1_batch_5.h5@1.5", "epoch_1_batch_10.h5@1.10", "epoch_1.h5@1.0",
                                            "epoch_2.h5@2.0", "epoch_10.h5@10.0"});
    CHECK(learning::run_files((dir / "nothing")).kept_snapshots().empty());
}

TEST_CASE("grouping: the first highest candidate is chosen and NaN never wins", "[grouping]") {
    const auto summary = [](double ami, double syn, double active) {
        analysis::cycle_summary c;
        c.ami_mean = ami;
        c.synscore_mean = syn;
        c.active_synscore_mean = active;
        return c;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    cli::model_choice by_active(analysis::grouping_measure::active_synscore);
    by_active.offer(0, summary(0.9, 0.9, 0.5));
    by_active.offer(1, summary(0.1, 0.1, 0.7));
    by_active.offer(2, summary(0.1, 0.1, nan));
    by_active.offer(3, summary(0.1, 0.1, 0.7));
    CHECK(by_active.index() == 1);
    cli::model_choice by_ami(analysis::grouping_measure::ami);
    by_ami.offer(0, summary(0.9, 0.9, 0.5));
    by_ami.offer(1, summary(0.1, 0.1, 0.7));
    CHECK(by_ami.index() == 0);
    CHECK_THROWS(cli::model_choice(analysis::grouping_measure::ami).index());
}
