// The gust CLI as a user runs it: outputs, determinism, and bad input
// (exit status 2, a one-line message naming the problem, no output left).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli_runner.hpp"
#include "io/model_file.hpp"
#include "io/spike_report.hpp"

using namespace gust;
using test::run_gust;

namespace {

// A small data set and model shared by the tests of one case.
struct fixture : test::data_and_model {
    fixture() : data_and_model("--train-size 30 --test-size 20") {}
    std::string run_args(const std::string& extra) const {
        return "run --model " + model + " --data " + data + " " + extra;
    }
};

void expect_bad_input(const test::cli_result& r, const std::string& mention, const test::temp_dir& dir,
                      const std::string& out) {
    INFO("stderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(mention) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
    CHECK_FALSE(std::filesystem::exists(out));
    // No temporary file left behind either.
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}

}  // namespace

TEST_CASE("cli: run writes a SONATA report with inputs and labels and metadata", "[cli]") {
    fixture f;
    const auto r = run_gust(f.run_args("--images 0:3 --cycles 4 --seed 9 --out " + (f.dir / "s.h5")), f.dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const spike_report rep = read_spike_report(f.dir / "s.h5");
    REQUIRE(rep.populations.size() == 3);
    REQUIRE(rep.meta);
    CHECK(rep.meta->cycles == 4);
    CHECK(rep.meta->seed == 9);
    CHECK(rep.meta->split == "test");
    std::size_t spikes = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& p = rep.populations[i];
        const auto& im = rep.images[i];
        CHECK(p.name == "image_" + std::to_string(im.index));
        CHECK(im.labels.size() == 784);
        for (std::size_t j = 0; j < p.node_ids.size(); ++j) {
            CHECK(im.input[p.node_ids[j]] == 1.0f);  // only pixels with input fire
            CHECK(p.timestamps[j] < 40);
            if (j) CHECK(p.timestamps[j - 1] <= p.timestamps[j]);
        }
        spikes += p.node_ids.size();
    }
    CHECK(spikes > 0);
}

TEST_CASE("cli: the same seed gives the same file for 1 and 2 threads and another seed differs", "[cli][determinism]") {
    fixture f;
    const std::string a = f.dir / "a.h5", b = f.dir / "b.h5", c = f.dir / "c.h5";
    REQUIRE(run_gust(f.run_args("--images 0:6 --cycles 3 --seed 5 --threads 1 --out " + a), f.dir).status == 0);
    REQUIRE(run_gust(f.run_args("--images 0:6 --cycles 3 --seed 5 --threads 2 --out " + b), f.dir).status == 0);
    REQUIRE(run_gust(f.run_args("--images 0:6 --cycles 3 --seed 6 --threads 2 --out " + c), f.dir).status == 0);
    CHECK(test::slurp(a) == test::slurp(b));
    const auto ra = read_spike_report(a), rc = read_spike_report(c);
    bool differs = false;
    for (std::size_t i = 0; i < ra.populations.size(); ++i)
        differs |= ra.populations[i].node_ids != rc.populations[i].node_ids;
    CHECK(differs);
}

TEST_CASE("cli: compare finds the event and dense backends identical", "[cli][event]") {
    fixture f;
    const auto r = run_gust("compare --model " + f.model + " --data " + f.data + " --images 0:4 --cycles 5 --seed 3", f.dir);
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("identical") != std::string::npos);
    CHECK(r.out.find("speed-up") != std::string::npos);
}

TEST_CASE("cli: run writes the same spikes with the event and the dense backend", "[cli][event]") {
    fixture f;
    REQUIRE(run_gust(f.run_args("--images 0:4 --cycles 4 --backend dense --out " + (f.dir / "sd.h5")), f.dir).status == 0);
    REQUIRE(run_gust(f.run_args("--images 0:4 --cycles 4 --out " + (f.dir / "e.h5")), f.dir).status == 0);
    const auto d = read_spike_report(f.dir / "sd.h5"), e = read_spike_report(f.dir / "e.h5");
    CHECK(e.meta->backend == "event");  // the default
    CHECK(d.meta->backend == "dense");
    REQUIRE(d.populations.size() == e.populations.size());
    for (std::size_t i = 0; i < d.populations.size(); ++i) {
        CHECK(d.populations[i].node_ids == e.populations[i].node_ids);
        CHECK(d.populations[i].timestamps == e.populations[i].timestamps);
    }
}

TEST_CASE("cli: an image's spikes do not depend on the batch it ran in", "[cli][determinism]") {
    fixture f;
    REQUIRE(run_gust(f.run_args("--images 0:6 --cycles 3 --out " + (f.dir / "all.h5")), f.dir).status == 0);
    REQUIRE(run_gust(f.run_args("--images 4 --cycles 3 --out " + (f.dir / "one.h5")), f.dir).status == 0);
    const auto all = read_spike_report(f.dir / "all.h5"), one = read_spike_report(f.dir / "one.h5");
    REQUIRE(one.populations.size() == 1);
    auto it = std::find_if(all.populations.begin(), all.populations.end(), [](auto& p) { return p.name == "image_4"; });
    REQUIRE(it != all.populations.end());
    CHECK(it->node_ids == one.populations[0].node_ids);
    CHECK(it->timestamps == one.populations[0].timestamps);
}

TEST_CASE("cli: options come from an INI file via --config and the command line wins", "[cli]") {
    fixture f;
    std::ofstream(f.dir / "run.ini") << "cycles = 2\nseed = 3\nimages = 0:2\n";
    REQUIRE(run_gust(f.run_args("--config " + (f.dir / "run.ini") + " --seed 4 --out " + (f.dir / "s.h5")), f.dir).status == 0);
    const auto rep = read_spike_report(f.dir / "s.h5");
    CHECK(rep.populations.size() == 2);
    CHECK(rep.meta->cycles == 2);
    CHECK(rep.meta->seed == 4);
}

TEST_CASE("cli: help and version and usage errors", "[cli]") {
    test::temp_dir dir;
    for (const char* cmd : {"dataset", "init", "run", "compare"}) {
        const auto r = run_gust(std::string(cmd) + " --help", dir);
        CHECK(r.status == 0);
        CHECK(r.out.find("--help") != std::string::npos);
        CHECK(r.out.find(std::string("usage: gust ") + cmd) != std::string::npos);
    }
    const auto v = run_gust("--version", dir);
    CHECK(v.status == 0);
    CHECK(v.out.find("gust ") == 0);
    CHECK(run_gust("frobnicate", dir).status == 2);
    CHECK(run_gust("", dir).status == 2);
}

TEST_CASE("cli: bad input exits 2 with a message naming the problem and leaves no output", "[cli][bad-input]") {
    fixture f;
    const std::string out = f.dir / "s.h5";
    const std::string tail = " --out " + out;

    SECTION("missing model file") {
        expect_bad_input(run_gust("run --model " + (f.dir / "nope.h5") + " --data " + f.data + tail, f.dir),
                         "nope.h5: no such file", f.dir, out);
    }
    SECTION("a file that is not HDF5") {
        std::ofstream(f.dir / "junk.h5") << "just text";
        expect_bad_input(run_gust("run --model " + f.model + " --data " + (f.dir / "junk.h5") + tail, f.dir),
                         "junk.h5: not an HDF5 file", f.dir, out);
    }
    SECTION("a model whose weight shapes disagree") {
        gust_model m = init_model({}, 1);
        m.enc2 = init_model({28, 28, 400, 500, 10}, 1).enc2;  // expects 500 inputs, enc1 gives 512
        {
            // Write the inconsistent layer directly (write_model refuses).
            write_model(f.dir / "bad.h5", init_model({}, 1));
            h5::file h{h5::handle(H5Fopen((f.dir / "bad.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), f.dir / "bad.h5"};
            H5Ldelete(h.h, "/encoder/fc2/weight", H5P_DEFAULT);
            h5::write<float>(h, "/encoder/fc2/weight", {400, 500}, m.enc2.weight.data());
        }
        expect_bad_input(run_gust("run --model " + (f.dir / "bad.h5") + " --data " + f.data + tail, f.dir),
                         "/encoder/fc2/weight", f.dir, out);
    }
    SECTION("NaN or Inf weights") {
        write_model(f.dir / "nan.h5", init_model({}, 1));
        {
            h5::file h{h5::handle(H5Fopen((f.dir / "nan.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), f.dir / "nan.h5"};
            H5Ldelete(h.h, "/decoder/fc2/bias", H5P_DEFAULT);
            std::vector<float> b(784, 0.0f);
            b[3] = std::numeric_limits<float>::quiet_NaN();
            h5::write<float>(h, "/decoder/fc2/bias", {784}, b.data());
        }
        expect_bad_input(run_gust("run --model " + (f.dir / "nan.h5") + " --data " + f.data + tail, f.dir),
                         "NaN", f.dir, out);
    }
    SECTION("a sparse model with out-of-range indices or unsorted CSR rows") {
        const std::string sparse = f.dir / "sparse.h5";
        REQUIRE(run_gust("init --seed 3 --sparse-fan-in 8 --out " + sparse, f.dir).status == 0);
        const gust_model m = read_model(sparse);
        auto corrupt = [&](const std::string& name, std::vector<std::uint32_t> indices) {
            write_model(f.dir / name, m);
            h5::file h{h5::handle(H5Fopen((f.dir / name).c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), f.dir / name};
            H5Ldelete(h.h, "/decoder/fc1/indices", H5P_DEFAULT);
            h5::write<std::uint32_t>(h, "/decoder/fc1/indices", {indices.size()}, indices.data());
        };
        auto out_of_range = m.dec1.indices;
        out_of_range[m.dec1.indptr[3] + 1] = static_cast<std::uint32_t>(m.dec1.in + 7);
        corrupt("range.h5", out_of_range);
        expect_bad_input(run_gust("run --model " + (f.dir / "range.h5") + " --data " + f.data + tail, f.dir),
                         "out of range", f.dir, out);
        auto unsorted = m.dec1.indices;
        std::swap(unsorted[m.dec1.indptr[2]], unsorted[m.dec1.indptr[2] + 1]);
        corrupt("unsorted.h5", unsorted);
        expect_bad_input(run_gust("run --model " + (f.dir / "unsorted.h5") + " --data " + f.data + tail, f.dir),
                         "not strictly ascending", f.dir, out);
        expect_bad_input(run_gust("compare --model " + (f.dir / "unsorted.h5") + " --data " + f.data + " --images 0:2", f.dir),
                         "unsorted.h5", f.dir, out);
    }
    SECTION("a receptive field without a sparse fan-in") {
        expect_bad_input(run_gust("init --receptive-field 3 --out " + out, f.dir), "--receptive-field", f.dir, out);
    }
    SECTION("a data set missing the split") {
        expect_bad_input(run_gust(f.run_args("--split validation" + tail), f.dir), "validation", f.dir, out);
    }
    SECTION("an image range out of bounds") {
        expect_bad_input(run_gust(f.run_args("--images 10:25" + tail), f.dir), "--images 10:25", f.dir, out);
        expect_bad_input(run_gust(f.run_args("--images 5:2" + tail), f.dir), "--images", f.dir, out);
    }
    SECTION("an unknown option") {
        expect_bad_input(run_gust(f.run_args("--frobnicate 3" + tail), f.dir), "frobnicate", f.dir, out);
    }
    SECTION("a non-numeric number") {
        expect_bad_input(run_gust(f.run_args("--cycles many" + tail), f.dir), "cycles", f.dir, out);
        expect_bad_input(run_gust(f.run_args("--seed 1x" + tail), f.dir), "seed", f.dir, out);
    }
    SECTION("a non-positive count") {
        expect_bad_input(run_gust(f.run_args("--cycles 0" + tail), f.dir), "--cycles", f.dir, out);
        expect_bad_input(run_gust("init --hidden 0 --out " + out, f.dir), "--hidden", f.dir, out);
    }
    SECTION("an unknown backend") {
        expect_bad_input(run_gust(f.run_args("--backend quantum" + tail), f.dir), "--backend: quantum", f.dir, out);
    }
    SECTION("an output that would overwrite an input") {
        const auto before = test::slurp(f.data);
        const auto r = run_gust(f.run_args("--out " + f.data), f.dir);
        CHECK(r.status == 2);
        CHECK(r.err.find("--out") != std::string::npos);
        CHECK(test::slurp(f.data) == before);
    }
    SECTION("an output folder that does not exist") {
        const std::string o = f.dir / "no/such/dir/s.h5";
        expect_bad_input(run_gust(f.run_args("--out " + o), f.dir), "does not exist", f.dir, o);
    }
}

TEST_CASE("cli: numeric options are read whole, in their range, and refused with one line", "[cli][bad-input]") {
    test::temp_dir dir;
    const std::string out = dir / "x.h5";
    for (const auto& [args, option] : std::vector<std::pair<std::string, std::string>>{
             {"dataset --train-objects -3 --test-objects 3", "--train-objects"},
             {"dataset --train-objects 3 --test-objects 3 --height -1 --width -1", "--height"},
             {"dataset --train-objects 3 --test-objects 3 --height 4294967296", "--height"},
             {"dataset --train-objects 3 --test-objects 3 --seed -1", "--seed"},
             {"dataset --train-objects 3 --test-objects 3 --train-size 1e3", "--train-size"},
             {"dataset --train-objects 3 --test-objects 3 --train-size 0x10", "--train-size"},
             {"dataset --train-objects 3 --test-objects 3 --train-size 5abc", "--train-size"},
             {"init --sparse-fan-in -1", "--sparse-fan-in"},
             {"run --model m --data d --partitions -1", "--partitions"},
             {"run --model m --data d --cycles 1e9", "--cycles"},
             {"run --model m --data d --threads 100000", "--threads"},
             {"train --data d --keep-prob nan", "--keep-prob"},
             {"train --data d --lr inf", "--lr"},
             {"train --data d --batch -5", "--batch"},
             {"sharpen --model m --gain 1e308", "--gain"}}) {
        const auto r = run_gust(args + " --out " + out, dir);
        INFO(args << ": " << r.err);
        CHECK(r.status == 2);
        CHECK(r.err.find("for option '" + option + "' is invalid: expected ") != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    // gust compare takes the simulation options gust run takes, with the same checks.
    for (const auto& [args, option] : std::vector<std::pair<std::string, std::string>>{
             {"compare --model m --data d --population-ranks 0", "--population-ranks"},
             {"compare --model m --data d --seed -1", "--seed"},
             {"compare --model m --data d --images 0:2 --cycles 0", "--cycles"}}) {
        const auto r = run_gust(args, dir);
        INFO(args << ": " << r.err);
        CHECK(r.status == 2);
        CHECK(r.err.find("for option '" + option + "' is invalid: expected ") != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    // The same rules hold in an INI file, even when the command line gives the key.
    { std::ofstream(dir / "bad.ini") << "cycles = 5abc\n"; }
    const auto ini = run_gust("run --model m --data d --config " + (dir / "bad.ini") + " --out " + out, dir);
    CHECK(ini.status == 2);
    CHECK(ini.err.find("'5abc'") != std::string::npos);
}

TEST_CASE("cli: help shows each option's range and its default as written, and typos get a suggestion", "[cli]") {
    test::temp_dir dir;
    const auto help = run_gust("train --help", dir);
    REQUIRE(help.status == 0);
    CHECK(help.out.find("--keep-prob (0, 1] (=0.35)") != std::string::npos);
    CHECK(help.out.find("--batch 1..1000000 (=1024)") != std::string::npos);
    CHECK(help.out.find("0.34999") == std::string::npos);
    const auto typo = run_gust("run --imagse 0:3", dir);
    CHECK(typo.status == 2);
    CHECK(typo.err == "gust run: unrecognised option '--imagse' (did you mean --images?)\n");
    const auto far = run_gust("run --zzzzzz 3", dir);
    CHECK(far.status == 2);
    CHECK(far.err.find("gust run --help lists the options") != std::string::npos);
}
