// gust init --network and the jobs that read any network's model: a user's
// own network is built, simulated, compared and inspected from the command
// line; broken descriptions are refused in one line naming file and line.
#include <catch2/catch.hpp>

#include "cli_runner.hpp"
#include "core/machine_memory.hpp"

using namespace gust::test;

namespace {
const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";
const std::string fixture_data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";
}  // namespace

TEST_CASE("cli network: a user's network is built, run, compared and inspected", "[cli][network]") {
    temp_dir dir;
    const std::string model = dir / "deep.h5";
    const auto init = run_gust("init --network " + networks + "deep_decoder.toml --seed 3 --out " + model, dir);
    REQUIRE(init.status == 0);
    CHECK(init.out.find("dec2 256") != std::string::npos);
    const auto run = run_gust("run --model " + model + " --data " + fixture_data +
                                  " --images 0:3 --cycles 4 --out " + (dir / "s.h5"),
                              dir);
    CHECK(run.status == 0);
    const auto dense = run_gust("run --backend dense --model " + model + " --data " + fixture_data +
                                    " --images 0:3 --cycles 4 --out " + (dir / "d.h5"),
                                dir);
    CHECK(dense.status == 0);
    CHECK(slurp(dir / "s.h5").size() > 0);
    const auto cmp = run_gust("compare --model " + model + " --data " + fixture_data + " --images 0:3 --cycles 4", dir);
    CHECK(cmp.status == 0);
    CHECK(cmp.out.find("identical") != std::string::npos);
    const auto topo = run_gust("topology --model " + model + " --partitions 2 --population-ranks 3", dir);
    CHECK(topo.status == 0);
    CHECK(topo.out.find("dec2 256") != std::string::npos);
    CHECK(topo.out.find("rank 2 of 3: ") != std::string::npos);  // what each rank holds split
    CHECK(refused_in_one_line(run_gust("topology --model " + model + " --population-ranks 60000", dir),
                              "--population-ranks 60000"));
    // The same seed gives the same model file contents.
    REQUIRE(run_gust("init --network " + networks + "deep_decoder.toml --seed 3 --out " + (dir / "again.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + model + " " + (dir / "again.h5"), dir).status == 0);
    // The read-out tools take any network: evaluate, and select over two of its models.
    const auto eval = run_gust("evaluate --model " + model + " --shapes 2 --images 4 --cycles 3", dir);
    CHECK(eval.status == 0);
    CHECK(eval.out.find("2 shapes: final cycle (step 30): AMI") != std::string::npos);
    REQUIRE(run_gust("init --network " + networks + "deep_decoder.toml --seed 4 --out " + (dir / "other.h5"), dir).status == 0);
    const auto select = run_gust("select --models " + model + " " + (dir / "other.h5") + " --data " + fixture_data +
                                     " --val-images 4 --cycles 3 --out " + (dir / "chosen.h5"),
                                 dir);
    CHECK(select.status == 0);
    const auto chosen = run_gust("topology --model " + (dir / "chosen.h5"), dir);
    CHECK(chosen.out.find("dec2 256") != std::string::npos);  // the chosen model keeps its network
    // Sharpening and averaging take any network: gain 1 is the identity,
    // the mean of a model with itself is the model.
    REQUIRE(run_gust("sharpen --model " + model + " --gain 1 --offset 0 --out " + (dir / "same.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + model + " " + (dir / "same.h5"), dir).status == 0);
    REQUIRE(run_gust("sharpen --model " + model + " --gain 2 --out " + (dir / "sharp.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + model + " " + (dir / "sharp.h5"), dir).status != 0);
    REQUIRE(run_gust("average --models " + model + " " + model + " --out " + (dir / "mean.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + model + " " + (dir / "mean.h5"), dir).status == 0);
    // Models of different networks are not averaged.
    REQUIRE(run_gust("init --seed 1 --out " + (dir / "paper.h5"), dir).status == 0);
    CHECK(refused_in_one_line(run_gust("average --models " + model + " " + (dir / "paper.h5") + " --out " + (dir / "bad.h5"), dir),
                              "differs from the first model's"));
    CHECK_FALSE(std::filesystem::exists(dir / "bad.h5"));
}

TEST_CASE("cli network: gust train trains a user's network from its description or its model, and resumes it",
          "[cli][network][train]") {
    temp_dir dir;
    const std::string tail = " --data " + fixture_data + " --train-size 40 --batch 8 --epochs 2 --cycles 2 --threads 2";
    const std::string fresh = dir / "fresh";
    const auto r = run_gust("train --network " + networks + "deep_decoder.toml --seed 4 --out " + fresh + tail, dir);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    // The trained model is the user's network, and the simulator runs it.
    const auto topo = run_gust("topology --model " + fresh + "/best.h5 --partitions 2", dir);
    CHECK(topo.out.find("dec2 256") != std::string::npos);
    CHECK(run_gust("compare --model " + fresh + "/last.h5 --data " + fixture_data + " --images 0:2 --cycles 3", dir).status == 0);
    // The same run stopped after 3 batches and resumed ends with the same bytes.
    const std::string pieces = dir / "pieces";
    REQUIRE(run_gust("train --network " + networks + "deep_decoder.toml --seed 4 --out " + pieces + tail +
                         " --stop-after-batches 3",
                     dir)
                .status == 0);
    REQUIRE(run_gust("train --out " + pieces + " --resume --threads 1", dir).status == 0);
    CHECK(slurp(pieces + "/last.h5") == slurp(fresh + "/last.h5"));
    // Fine-tuning starts from a model of the user's network.
    const std::string tuned = dir / "tuned";
    CHECK(run_gust("train --init " + fresh + "/best.h5 --out " + tuned + tail + " --epochs 1", dir).status == 0);
    // Sizes belong to the description.
    CHECK(refused_in_one_line(run_gust("train --network " + networks + "deep_decoder.toml --hidden 10 --out " +
                                           (dir / "x") + tail, dir),
                              "--hidden"));
    CHECK(refused_in_one_line(run_gust("train --init " + fresh + "/best.h5 --inner 10 --out " + (dir / "y") + tail, dir),
                              "a network of its own"));
    CHECK(refused_in_one_line(run_gust("train --init " + fresh + "/best.h5 --network " + networks + "paper.toml --out " +
                                           (dir / "z") + tail, dir),
                              "--network: not with --init"));
    CHECK(refused_in_one_line(run_gust("train --network " + (dir / "missing.toml") + " --out " + (dir / "w") + tail, dir),
                              "missing.toml"));
    for (const char* never : {"x", "y", "z", "w"}) CHECK_FALSE(std::filesystem::exists(dir / never));
}

TEST_CASE("cli network: run and compare take a description and simulate the model gust init would write",
          "[cli][network]") {
    temp_dir dir;
    const std::string desc = networks + "deep_decoder.toml", model = dir / "deep.h5";
    REQUIRE(run_gust("init --network " + desc + " --seed 3 --out " + model, dir).status == 0);
    const std::string common = " --data " + fixture_data + " --images 0:3 --cycles 4";
    REQUIRE(run_gust("run --model " + model + common + " --out " + (dir / "from_file.h5"), dir).status == 0);
    REQUIRE(run_gust("run --network " + desc + " --init-seed 3" + common + " --out " + (dir / "fresh.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + (dir / "from_file.h5") + " " + (dir / "fresh.h5") + " /spikes /spikes", dir).status == 0);
    // Another initialisation seed is another model.
    REQUIRE(run_gust("run --network " + desc + " --init-seed 4" + common + " --out " + (dir / "other.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + (dir / "from_file.h5") + " " + (dir / "other.h5") + " /spikes /spikes", dir).status != 0);
    const auto cmp = run_gust("compare --network " + desc + " --init-seed 3" + common, dir);
    CHECK(cmp.status == 0);
    CHECK(cmp.out.find("identical") != std::string::npos);
    // One network at a time, and a seed only for a fresh one.
    const std::string out = dir / "bad.h5";
    CHECK(refused_in_one_line(run_gust("run --model " + model + " --network " + desc + common + " --out " + out, dir),
                              "--network: not with --model"));
    CHECK(refused_in_one_line(run_gust("run" + common + " --out " + out, dir), "--model: a model file or --network"));
    CHECK(refused_in_one_line(run_gust("compare --model " + model + " --init-seed 2" + common, dir),
                              "--init-seed: only with --network"));
    CHECK(refused_in_one_line(run_gust("run --network " + (dir / "missing.toml") + common + " --out " + out, dir),
                              "missing.toml"));
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("cli network: gust init --network on the paper file equals gust init", "[cli][network]") {
    temp_dir dir;
    REQUIRE(run_gust("init --network " + networks + "paper.toml --seed 9 --out " + (dir / "a.h5"), dir).status == 0);
    REQUIRE(run_gust("init --seed 9 --out " + (dir / "b.h5"), dir).status == 0);
    CHECK(run_command("h5diff " + (dir / "a.h5") + " " + (dir / "b.h5"), dir).status == 0);
}

TEST_CASE("cli network: broken descriptions and conflicting options are refused, no model written",
          "[cli][network][bad-input]") {
    temp_dir dir;
    const std::string out = dir / "m.h5";
    auto refused = [&](const std::string& args, const std::string& mention) {
        INFO(args);
        CHECK(refused_in_one_line(run_gust(args, dir), mention));
        CHECK_FALSE(std::filesystem::exists(out));
    };
    {
        std::ofstream(dir / "typo.toml") << "cycle = 10\n[[population]]\nname = \"p\"\nkind = \"spikng\"\n";
    }
    refused("init --network " + (dir / "typo.toml") + " --out " + out, "typo.toml:4: population 'p': key 'kind'");
    {
        std::ofstream(dir / "syntax.toml") << "cycle = 10\n[[population]\n";
    }
    refused("init --network " + (dir / "syntax.toml") + " --out " + out, "syntax.toml:2:");
    refused("init --network " + (dir / "missing.toml") + " --out " + out, "missing.toml");
    refused("init --network " + networks + "paper.toml --height 32 --out " + out, "--height");
    {
        // A network far beyond any machine's memory.
        std::string huge = slurp(networks + "paper.toml");
        huge.replace(huge.find("size = 512"), 10, "size = 2000000000");
        std::ofstream(dir / "huge.toml") << huge;
    }
    refused("init --network " + (dir / "huge.toml") + " --out " + out,
            "GiB, more than " + gust::process_memory_limit().described());
    // Training it is refused before its model is drawn, with what training holds.
    CHECK(refused_in_one_line(run_gust("train --network " + (dir / "huge.toml") + " --data " + fixture_data + " --out " +
                                           (dir / "run"), dir),
                              "huge.toml: training this network needs about"));
    CHECK_FALSE(std::filesystem::exists(dir / "run"));
    {
        // One sparse set of 2^32 synapses or more: its 32-bit offsets cannot hold it.
        std::string big = slurp(networks + "sparse_local_128.toml");
        big.replace(big.find("size = 16384"), 12, "size = 40000000");
        big.replace(big.find("fan_in = 32"), 11, "fan_in = 128");
        std::ofstream(dir / "big.toml") << big;
    }
    refused("init --network " + (dir / "big.toml") + " --out " + out,
            "projection 'encoder/fc1' would hold up to 5120000000 synapses; a sparse set holds fewer than 2^32");
    CHECK(refused_in_one_line(run_gust("run --network " + (dir / "big.toml") + " --data " + fixture_data + " --out " + out, dir),
                              "a sparse set holds fewer than 2^32"));
}
