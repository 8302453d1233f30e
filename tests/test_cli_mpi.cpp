// gust under mpirun: R ranks share the images of `gust run` and `gust
// compare`, or split each image's populations, and write the same bytes one
// process writes; a failure on any
// rank ends every rank with one line and no output. Built only when gust
// links MPI (GUST_MPIEXEC names mpirun).
#ifdef GUST_MPIEXEC

#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "cli_runner.hpp"
#include "core/machine_memory.hpp"
#include "io/dataset_file.hpp"
#include "io/h5.hpp"

using namespace gust::test;

namespace {

// "rank 0: N stored synapses" of gust run's summary line.
std::size_t stored_synapses_of(const std::string& out) {
    const std::size_t at = out.find("rank 0: ");
    return at == std::string::npos ? std::size_t(-1) : std::stoul(out.substr(at + 8));
}

// Rank 0's "N copies of its M spikes" in gust run's summary line: {N, M}.
std::pair<std::size_t, std::size_t> spike_copies_of(const std::string& out) {
    const std::size_t at = out.find(" copies of its ");
    if (at == std::string::npos) return {std::size_t(-1), 0};
    const std::size_t start = out.rfind(' ', at - 1) + 1;
    return {std::stoul(out.substr(start, at - start)), std::stoul(out.substr(at + 15))};
}

// Rank 0's "with N of M other ranks" in gust run's summary line: {N, M}.
std::pair<std::size_t, std::size_t> neighbours_of(const std::string& out) {
    const std::size_t at = out.find(" exchanges with ");
    if (at == std::string::npos) return {std::size_t(-1), 0};
    const std::size_t of = out.find(" of ", at + 16);
    return {std::stoul(out.substr(at + 16)), std::stoul(out.substr(of + 4))};
}

// The spikes of a whole run: "N spikes -> " of gust run's summary line.
std::size_t run_spikes_of(const std::string& out) {
    const std::size_t at = out.find(" spikes -> ");
    if (at == std::string::npos) return 0;
    return std::stoul(out.substr(out.rfind(' ', at - 1) + 1));
}

// mpirun as root needs OpenMPI's two consent variables; -q leaves gust's own
// line as the only output of a failed job.
std::string mpirun(const std::string& ranks) {
    return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 " + std::string(GUST_MPIEXEC) +
           " -q --oversubscribe " + ranks;
}

cli_result run_ranks(int ranks, const std::string& args, const temp_dir& dir) {
    return run_command(mpirun("-np " + std::to_string(ranks) + " " + GUST_BINARY) + " " + args, dir);
}

}  // namespace

TEST_CASE("mpi: R ranks write the spike report one process writes, byte for byte", "[cli][mpi]") {
    data_and_model f("--train-size 8 --test-size 7");
    // The paper network, a sparse local one and one with a deeper decoder.
    const std::string sparse = f.dir / "sparse.h5", deep = f.dir / "deep.h5";
    REQUIRE(run_gust("init --sparse-fan-in 16 --receptive-field 3 --seed 3 --out " + sparse, f.dir).status == 0);
    REQUIRE(run_gust("init --network " + std::string(GUST_SOURCE_DIR) +
                         "/examples/networks/deep_decoder.toml --seed 3 --out " + deep,
                     f.dir).status == 0);
    for (const std::string& model : {f.model, sparse, deep})
        for (const std::string backend : {"event", "dense"}) {
            const std::string common = "run --model " + model + " --data " + f.data + " --images 0:7 --cycles 4 --backend " +
                                       backend + " --threads 1 --out ";
            REQUIRE(run_gust(common + (f.dir / "one.h5"), f.dir).status == 0);
            const std::string one = slurp(f.dir / "one.h5");
            const std::vector<int> rank_counts = model == f.model ? std::vector<int>{1, 2, 3, 4} : std::vector<int>{2, 3};
            for (int ranks : rank_counts) {
                INFO(model << ", " << backend << ", " << ranks << " ranks");
                const cli_result r = run_ranks(ranks, common + (f.dir / "ranks.h5"), f.dir);
                REQUIRE(r.status == 0);
                CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);  // rank 0 reports
                CHECK(slurp(f.dir / "ranks.h5") == one);
                std::filesystem::remove(f.dir / "ranks.h5");
            }
        }
}

TEST_CASE("mpi: ranks that split each image's populations write the reports one process writes, byte for byte",
          "[cli][mpi]") {
    // The paper network; a sparse local one (dirty-row and demand-driven
    // layers) read from a model file; generated ones, stored and procedural;
    // two spiking layers. Each rank holds the weights of the rows it uses
    // (with --record, all its own rows) and receives only the rows it
    // reads; it records its own rows, and the recorded states must match
    // too.
    data_and_model f("--train-size 2 --test-size 6");
    const std::string sparse = f.dir / "sparse.h5", two = f.dir / "two.h5", procedural = f.dir / "procedural.toml";
    REQUIRE(run_gust("init --sparse-fan-in 16 --receptive-field 3 --seed 3 --out " + sparse, f.dir).status == 0);
    REQUIRE(run_gust("init --network " + std::string(GUST_SOURCE_DIR) +
                         "/examples/networks/two_spiking.toml --seed 3 --out " + two,
                     f.dir).status == 0);
    const std::string generated = f.dir / "generated.toml";  // stored sparse sets, drawn by each rank
    for (const auto& [net, file] : std::vector<std::pair<std::string, std::string>>{
             {"sparse_local_1g_procedural.toml", procedural}, {"sparse_local_1g.toml", generated}}) {
        std::string text = slurp(std::string(GUST_SOURCE_DIR) + "/examples/networks/" + net);
        for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
                 {"height = 1600", "height = 28"}, {"width = 1600", "width = 28"}, {"size = 320000", "size = 98"}})
            for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
        std::ofstream(file) << text;
    }
    struct job {
        std::string model, record;
        int ranks;
        std::string split;  // --population-ranks and --partitions
    };
    const std::string procedural_model = "--network " + procedural + " --init-seed 3";
    const std::vector<job> jobs{
        {"--model " + f.model, "", 2, "--population-ranks 2"},
        {"--model " + f.model, "--record context:0-99@5:20 --record hidden", 4, "--population-ranks 4"},
        {"--model " + sparse, "", 3, "--population-ranks 3"},
        {"--model " + sparse, "", 4, "--population-ranks 4"},
        {"--model " + sparse, "--record context --record hidden:0-300", 4, "--population-ranks 2 --partitions 2"},
        {procedural_model, "", 3, "--population-ranks 3 --partitions 2"},
        {"--network " + generated, "", 4, "--population-ranks 4"},
        {"--network " + generated, "", 2, "--population-ranks 2 --partitions 2"},
        {"--network " + generated,
         "--record dec1:10-700@3:40:2 --record enc1 --record pixels --record pixels.refractory:0-500", 3,
         "--population-ranks 3"},
        {procedural_model, "--record context:0-50", 2, "--population-ranks 2"},
        {"--model " + two, "", 2, "--population-ranks 2 --partitions 3"},
        {"--model " + two, "--record context_slow --record slow.refractory --record hidden", 3, "--population-ranks 3"},
    };
    // In a section of its own: Catch runs the test case once per section,
    // and the code outside them each time.
    SECTION("run: each job's reports and states byte for byte") for (const job& j : jobs) {
        const std::string common = "run " + j.model + " --data " + f.data + " --images 0:5 --cycles 4 --threads 1 " +
                                   j.record + (j.record.empty() ? "" : " --states ");
        const bool states = !j.record.empty();
        const cli_result alone =
            run_gust(common + (states ? (f.dir / "s1.h5") : "") + " --out " + (f.dir / "one.h5") + " --population-ranks 1", f.dir);
        REQUIRE(alone.status == 0);
        INFO(j.model << ", " << j.record << ", " << j.ranks << " ranks, " << j.split);
        const cli_result r = run_ranks(
            j.ranks, common + (states ? (f.dir / "sr.h5") : "") + " --out " + (f.dir / "ranks.h5") + " " + j.split, f.dir);
        REQUIRE(r.status == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
        CHECK(r.out.find("bytes per step") != std::string::npos);
        // A rank holds only the stored synapses of the rows it uses, recording
        // states or not: fewer than one process, when there are any.
        const std::size_t held = stored_synapses_of(r.out), whole = stored_synapses_of(alone.out);
        const bool mostly_sparse = j.model == "--model " + sparse || j.model == "--network " + generated;
        if (mostly_sparse) CHECK(held < whole * 3 / 4);
        else CHECK(held <= whole);  // dense sets are held whole
        // A spike goes to the ranks of its group whose rows it reaches: in
        // a local network not all, so fewer copies than spikes x (K - 1).
        const auto [copies, spikes] = spike_copies_of(r.out);
        const std::size_t others = std::stoul(j.split.substr(j.split.find("--population-ranks ") + 19)) - 1;
        REQUIRE(spikes > 0);
        if (mostly_sparse) CHECK(copies < spikes * others);
        else CHECK(copies <= spikes * others);
        // Messages go to neighbours only: in the local network of radius 3
        // split in four bands of 7 grid rows, the first band's rank has
        // fewer than the three others.
        const auto [neighbours, other_ranks] = neighbours_of(r.out);
        CHECK(other_ranks == others);
        CHECK(neighbours >= 1);
        if (j.model == "--model " + sparse && others == 3) CHECK(neighbours < 3);
        CHECK(slurp(f.dir / "ranks.h5") == slurp(f.dir / "one.h5"));
        if (states) CHECK(slurp(f.dir / "sr.h5") == slurp(f.dir / "s1.h5"));
        std::filesystem::remove(f.dir / "ranks.h5");
        std::filesystem::remove(f.dir / "sr.h5");
    }
    SECTION("shapes only in the top half: the ranks' parts follow them, and the report is one process's") {
        // Equal parts would give rank 0 every spike; parts that hold equal
        // shares of the foreground give it about half.
        const gust::image_set full = gust::read_split(f.data, "test", 0, 5);
        std::vector<float> top = full.images;
        for (std::size_t i = 0; i < 5; ++i)
            std::fill(top.begin() + static_cast<std::ptrdiff_t>(i * 784 + 14 * 28),
                      top.begin() + static_cast<std::ptrdiff_t>((i + 1) * 784), 0.0f);
        const std::string data = f.dir / "top.h5";
        {
            gust::h5::file out = gust::h5::create(data);
            gust::h5::write<float>(out, "/test/default", {5, 28, 28}, top.data());
            gust::h5::close(out);
        }
        const std::string common = "run --model " + sparse + " --data " + data + " --images 0:5 --cycles 4 --threads 1 --out ";
        const cli_result alone = run_gust(common + (f.dir / "one.h5"), f.dir);
        REQUIRE(alone.status == 0);
        const cli_result r = run_ranks(2, common + (f.dir / "ranks.h5") + " --population-ranks 2", f.dir);
        REQUIRE(r.status == 0);
        CHECK(slurp(f.dir / "ranks.h5") == slurp(f.dir / "one.h5"));
        const std::size_t all = run_spikes_of(alone.out), rank0 = spike_copies_of(r.out).second;
        INFO(rank0 << " of " << all << " spikes on rank 0");
        REQUIRE(all > 100);
        CHECK(rank0 > all * 3 / 10);
        CHECK(rank0 < all * 7 / 10);
        // Asked for equal parts, rank 0 holds the upper half and every spike.
        const cli_result equal =
            run_ranks(2, common + (f.dir / "equal.h5") + " --population-ranks 2 --rank-parts equal", f.dir);
        REQUIRE(equal.status == 0);
        CHECK(slurp(f.dir / "equal.h5") == slurp(f.dir / "one.h5"));
        CHECK(spike_copies_of(equal.out).second == all);
    }
    SECTION("compare: both backends, the event one split") {
        const cli_result r = run_ranks(2, "compare --model " + sparse + " --data " + f.data +
                                              " --images 0:5 --cycles 3 --population-ranks 2", f.dir);
        CHECK(r.status == 0);
        CHECK(r.out.find("identical") != std::string::npos);
        CHECK(r.out.find("in 5 images") != std::string::npos);
    }
    SECTION("run with the dense backend: each group's first rank computes its images whole") {
        const std::string common = "run --model " + sparse + " --data " + f.data + " --images 0:5 --cycles 3 --backend dense --out ";
        REQUIRE(run_gust(common + (f.dir / "one.h5"), f.dir).status == 0);
        REQUIRE(run_ranks(4, common + (f.dir / "ranks.h5") + " --population-ranks 2", f.dir).status == 0);
        CHECK(slurp(f.dir / "ranks.h5") == slurp(f.dir / "one.h5"));
    }
    SECTION("refused in one line: a group size that does not divide the ranks, more parts than units") {
        const std::string args = "run --model " + f.model + " --data " + f.data + " --images 0:2 --out " + (f.dir / "x.h5");
        CHECK(refused_in_one_line(run_ranks(3, args + " --population-ranks 2", f.dir), "--population-ranks 2"));
        CHECK(refused_in_one_line(run_ranks(2, args + " --population-ranks 2 --partitions 400", f.dir),
                                  "--population-ranks 2 x --partitions 400"));
        CHECK(refused_in_one_line(run_gust(args + " --population-ranks 2", f.dir), "--population-ranks 2"));
        CHECK(refused_in_one_line(run_ranks(2, args + " --population-ranks 2 --rank-parts middle", f.dir),
                                  "--rank-parts middle: expected images or equal"));
        CHECK_FALSE(std::filesystem::exists(f.dir / "x.h5"));
    }
    SECTION("rank 1 cannot read its data set: agreed on before the first exchange, one line, no output") {
        const std::string args = " run --model " + sparse + " --images 0:5 --cycles 3 --population-ranks 2 --out " +
                                 (f.dir / "x.h5") + " --data ";
        const cli_result r = run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + args + f.data + " : -np 1 " +
                                                GUST_BINARY + args + (f.dir / "missing.h5")),
                                         f.dir);
        CHECK(refused_in_one_line(r, "rank 1: "));
        CHECK_FALSE(std::filesystem::exists(f.dir / "x.h5"));
    }
    SECTION("a rank killed mid-run ends its group") {
        const std::string args = " run --model " + f.model + " --data " + f.data +
                                 " --images 0:1 --cycles 100000 --threads 1 --population-ranks 2 --out " + (f.dir / "x.h5");
        const std::string killed = "sh -c '" + std::string(GUST_BINARY) + args + " & sleep 1; kill -9 $!; wait $!'";
        const cli_result r = run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + args + " : -np 1 " + killed), f.dir);
        CHECK(r.status != 0);
        CHECK(r.status != 124);  // the survivor, waiting in an exchange, was ended
        CHECK_FALSE(std::filesystem::exists(f.dir / "x.h5"));
    }
}

TEST_CASE("mpi: recorded states and more ranks than images", "[cli][mpi]") {
    data_and_model f("--train-size 8 --test-size 7");
    const std::string common = "run --model " + f.model + " --data " + f.data +
                               " --images 2:4 --cycles 3 --record context:0-99@5:20 --states ";
    REQUIRE(run_gust(common + (f.dir / "s1.h5") + " --out " + (f.dir / "one.h5"), f.dir).status == 0);
    const cli_result r = run_ranks(3, common + (f.dir / "s3.h5") + " --out " + (f.dir / "three.h5"), f.dir);
    REQUIRE(r.status == 0);  // rank 2 has no image
    CHECK(slurp(f.dir / "three.h5") == slurp(f.dir / "one.h5"));
    CHECK(slurp(f.dir / "s3.h5") == slurp(f.dir / "s1.h5"));
}

TEST_CASE("mpi: a run kept in rounds writes one process's report, and stopped on 3 ranks resumes on 2 that split "
          "each image",
          "[cli][mpi][run_rounds]") {
    data_and_model f("--train-size 1 --test-size 10");
    const std::string common = "run --model " + f.model + " --data " + f.data + " --images 0:10 --cycles 3 --threads 1 ";
    REQUIRE(run_gust(common + "--out " + (f.dir / "one.h5"), f.dir).status == 0);
    const std::string one = slurp(f.dir / "one.h5");
    const cli_result rounds = run_ranks(2, common + "--checkpoint-every 3 --out " + (f.dir / "two.h5"), f.dir);
    REQUIRE(rounds.status == 0);
    CHECK(slurp(f.dir / "two.h5") == one);
    const std::string moved = f.dir / "moved.h5";
    const cli_result stopped = run_ranks(3, common + "--checkpoint-every 3 --stop-after-rounds 2 --out " + moved, f.dir);
    REQUIRE(stopped.status == 0);
    CHECK(stopped.out.find("stopped after 2 rounds; " + moved + ".partial is whole") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(moved));
    CHECK(std::filesystem::exists(moved + ".partial/round_1.h5"));
    CHECK_FALSE(std::filesystem::exists(moved + ".partial/round_2.h5"));
    const cli_result resumed =
        run_ranks(2, common + "--checkpoint-every 3 --resume --population-ranks 2 --out " + moved, f.dir);
    INFO(resumed.err);
    REQUIRE(resumed.status == 0);
    CHECK(resumed.out.find("simulated 4 images (6 more resumed)") != std::string::npos);
    CHECK(slurp(moved) == one);
    CHECK_FALSE(std::filesystem::exists(moved + ".partial"));
}

TEST_CASE("mpi: compare shares the images and reports once", "[cli][mpi]") {
    data_and_model f("--train-size 8 --test-size 7");
    const cli_result r = run_ranks(3, "compare --model " + f.model + " --data " + f.data + " --images 0:7 --cycles 3",
                                   f.dir);
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("identical") != std::string::npos);
    CHECK(r.out.find("in 7 images") != std::string::npos);
}

TEST_CASE("mpi: training on R ranks writes the models one process writes, and resumes on another rank count",
          "[cli][mpi][train]") {
    // 90 training images in batches of 40: three groups of the paper pass per
    // batch (16, 16, 8), so 4 ranks leave one without a group.
    data_and_model f("--train-size 100 --test-size 2");
    const std::string deep = std::string(GUST_SOURCE_DIR) + "/examples/networks/deep_decoder.toml";
    for (const std::string& network : {std::string(), deep}) {
        const std::string common = "train --data " + f.data + " --epochs 2 --batch 40 --cycles 2 --threads 1" +
                                   (network.empty() ? "" : " --network " + network) + " --out ";
        const std::string one = f.dir / "one";
        REQUIRE(run_gust(common + one, f.dir).status == 0);
        for (int ranks : network.empty() ? std::vector<int>{2, 4} : std::vector<int>{3}) {
            INFO((network.empty() ? "paper" : "deep decoder") << ", " << ranks << " ranks");
            const std::string many = f.dir / ("ranks" + std::to_string(ranks));
            const cli_result r = run_ranks(ranks, common + many, f.dir);
            REQUIRE(r.status == 0);
            CHECK(r.out.find("done after epoch 2") != std::string::npos);
            for (const char* file : {"best.h5", "last.h5"}) CHECK(slurp(many + "/" + file) == slurp(one + "/" + file));
            std::filesystem::remove_all(many);
        }
        // Stopped after 3 batches on 3 ranks, finished on 2.
        const std::string moved = f.dir / "moved";
        REQUIRE(run_ranks(3, common + moved + " --stop-after-batches 3", f.dir).status == 0);
        REQUIRE(run_ranks(2, "train --out " + moved + " --resume --threads 1", f.dir).status == 0);
        CHECK(slurp(moved + "/last.h5") == slurp(one + "/last.h5"));
        std::filesystem::remove_all(moved);
        std::filesystem::remove_all(one);
    }
}

TEST_CASE("mpi: a failure on one rank ends every rank with one line and no output", "[cli][mpi]") {
    data_and_model f("--train-size 8 --test-size 7");
    const std::string out = f.dir / "out.h5";
    const std::string args = " run --model " + f.model + " --images 0:7 --cycles 3 --out " + out + " --data ";
    SECTION("rank 1 cannot read its data set") {
        // Two programs in one job (mpirun's A : B form): rank 1 names a missing file.
        const cli_result r = run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + args + f.data + " : -np 1 " +
                                                GUST_BINARY + args + (f.dir / "missing.h5")),
                                         f.dir);
        CHECK(refused_in_one_line(r, "rank 1: "));
        CHECK(r.err.find("missing.h5") != std::string::npos);
    }
    SECTION("rank 1's copy of the data set or the model differs from rank 0's: refused before anything is "
            "simulated, and a copy of the same bytes is not") {
        // Across machines each rank reads its own copy; here the two ranks
        // of mpirun's A : B form name two files.
        const std::string small = f.dir / "small.h5";
        REQUIRE(run_gust("dataset --train-objects 3 --test-objects 3 --train-size 1 --test-size 7 --height 16 --width 16 "
                         "--out " + small, f.dir).status == 0);
        for (const char* rounds : {"", " --checkpoint-every 2"}) {
            INFO(rounds);
            const cli_result r = run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + args + f.data + rounds +
                                                    " : -np 1 " + GUST_BINARY + args + small + rounds),
                                             f.dir);
            CHECK(refused_in_one_line(r, "rank 1: " + small + ": the copy on this machine ("));
            CHECK(r.err.find(", rank 0's " + std::to_string(std::filesystem::file_size(f.data)) + " bytes, crc32 ") !=
                  std::string::npos);
            CHECK(r.err.find("every rank must read the same file") != std::string::npos);
            CHECK_FALSE(std::filesystem::exists(out));
        }
        std::filesystem::remove(small);
        // Another model (another seed) under rank 1's path; then a copy of
        // rank 0's model there, which runs.
        const std::string other = f.dir / "other.h5";
        REQUIRE(run_gust("init --seed 3 --out " + other, f.dir).status == 0);  // f.model is seed 2
        const auto with_model = [&](const std::string& model) {
            return " run --model " + model + " --images 0:7 --cycles 3 --out " + out + " --data " + f.data;
        };
        cli_result r = run_command(
            mpirun("-np 1 " + std::string(GUST_BINARY) + with_model(f.model) + " : -np 1 " + GUST_BINARY + with_model(other)),
            f.dir);
        CHECK(refused_in_one_line(r, "rank 1: " + other + ": the copy on this machine ("));
        CHECK_FALSE(std::filesystem::exists(out));
        std::filesystem::copy_file(f.model, other, std::filesystem::copy_options::overwrite_existing);
        r = run_command(
            mpirun("-np 1 " + std::string(GUST_BINARY) + with_model(f.model) + " : -np 1 " + GUST_BINARY + with_model(other)),
            f.dir);
        CHECK(r.status == 0);
        std::filesystem::remove(out);
        std::filesystem::remove(other);
    }
    SECTION("rank 1 cannot read the training data: no run folder is made") {
        const std::string train = " train --epochs 1 --batch 4 --cycles 2 --val-fraction 0.5 --out " + (f.dir / "run") + " --data ";
        const cli_result r = run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + train + f.data + " : -np 1 " +
                                                GUST_BINARY + train + (f.dir / "missing.h5")),
                                         f.dir);
        INFO(r.err);
        CHECK(refused_in_one_line(r, "rank 1: "));
    }
    SECTION("rank 1 runs another build of gust: refused before any work, naming both builds") {
        // A copy of gust whose GNU build ID differs in one byte, as a stale
        // build on another machine's disk would.
        const std::string other = f.dir / "gust_other";
        std::ifstream in(GUST_BINARY, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const cli_result id = run_command("readelf -n " + std::string(GUST_BINARY), f.dir);
        const std::size_t at = id.out.find("Build ID: ");
        REQUIRE(at != std::string::npos);
        std::string raw;
        for (std::size_t k = at + 10; k + 1 < id.out.size() && std::isxdigit(static_cast<unsigned char>(id.out[k])); k += 2)
            raw += static_cast<char>(std::stoi(id.out.substr(k, 2), nullptr, 16));
        const std::size_t where = bytes.find(raw);
        REQUIRE(raw.size() >= 8);
        REQUIRE(where != std::string::npos);
        REQUIRE(bytes.find(raw, where + 1) == std::string::npos);
        bytes[where] = static_cast<char>(bytes[where] ^ 0xff);
        std::ofstream(other, std::ios::binary) << bytes;
        std::filesystem::permissions(other, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
        const cli_result r =
            run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + args + f.data + " : -np 1 " + other + args + f.data),
                        f.dir);
        CHECK(refused_in_one_line(r, "rank 1: this machine ("));
        CHECK(r.err.find("every rank of a job must run the same build of gust") != std::string::npos);
        const std::string hex = id.out.substr(at + 10, raw.size() * 2);
        CHECK(r.err.find("rank 0 gust " GUST_VERSION ", build ID " + hex) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(out));
        // The same program on every rank is not refused.
        CHECK(run_ranks(2, args + f.data, f.dir).status == 0);
        std::filesystem::remove(out);
        std::filesystem::remove(other);
    }
    SECTION("rank 0 cannot write the report") {
        std::filesystem::create_directory(out);
        const cli_result r = run_ranks(2, args + f.data, f.dir);
        CHECK(refused_in_one_line(r, out));
        CHECK(std::filesystem::is_empty(out));
        std::filesystem::remove(out);
    }
    SECTION("a bad option, seen by every rank, is reported once") {
        const cli_result r = run_ranks(3, args + f.data + " --cycles 0", f.dir);
        CHECK(refused_in_one_line(r, "--cycles"));
    }
    SECTION("a command that runs in one process is refused") {
        const cli_result r = run_ranks(2, "topology --model " + f.model, f.dir);
        CHECK(refused_in_one_line(r, "runs in one process"));
    }
    SECTION("ranks that could not hold their models together on this machine are refused before drawing them") {
        // The paper network with a hidden layer of n units holds about 4096 n
        // bytes of weights, and training it about 24576 n: sized so that one
        // process would fit in three quarters of this machine, and two not.
        auto paper_with_hidden = [&](double n, const std::string& name) {
            std::string text = slurp(std::string(GUST_SOURCE_DIR) + "/examples/networks/paper.toml");
            text.replace(text.find("size = 400"), 10, "size = " + std::to_string(std::llround(n)));
            std::ofstream(f.dir / name) << text;
            return f.dir / name;
        };
        const double ram = gust::process_memory_limit().bytes;
        const std::string simulated = paper_with_hidden(0.75 * ram / 4096, "big.toml"),
                          trained = paper_with_hidden(0.75 * ram / 24576, "big_training.toml");
        const cli_result r = run_ranks(2, "run --network " + simulated + " --images 0:7 --out " + out + " --data " + f.data,
                                       f.dir);
        CHECK(refused_in_one_line(r, "big.toml: the 2 processes of this job on this machine would hold about"));
        CHECK(r.err.find("--population-ranks") != std::string::npos);
        const cli_result t = run_ranks(2, "train --network " + trained + " --epochs 1 --val-fraction 0.5 --out " + (f.dir / "run") +
                                              " --data " + f.data, f.dir);
        INFO(t.err);
        CHECK(refused_in_one_line(t, "GiB in each of the 2 processes on this machine"));
        CHECK_FALSE(std::filesystem::exists(f.dir / "run"));
        std::filesystem::remove(simulated);
        std::filesystem::remove(trained);
    }
    SECTION("a rank killed mid-run ends the job") {
        // Rank 1 is killed a second into a run that would take minutes.
        const std::string killed = "sh -c '" + std::string(GUST_BINARY) + args + f.data +
                                   " --cycles 100000 --threads 1 & sleep 1; kill -9 $!; wait $!'";
        const cli_result r = run_command(mpirun("-np 1 " + std::string(GUST_BINARY) + args + f.data +
                                                " --cycles 100000 --threads 1 : -np 1 " + killed),
                                         f.dir);
        CHECK(r.status != 0);
        CHECK(r.status != 124);  // not ended by timeout: no rank waited for the dead one
    }
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(f.dir.file_count() == 2);  // the data set and the model: no temporary left
}

#endif
