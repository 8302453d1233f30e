// gust run --record/--states: the state report holds exactly what the probes
// of the same run record (units, steps, variables), beside a spike report
// that is unchanged; bad specs are refused in one line with no output.
#include <catch2/catch.hpp>

#include "io/h5.hpp"
#include "io/model_file.hpp"
#include "io/dataset_file.hpp"
#include "sim/engine.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"
#include "tests/cli_runner.hpp"

using namespace gust;
using test::run_gust;

namespace {

struct fixture : test::data_and_model {
    fixture() : data_and_model("--train-size 1 --test-size 6") {}
    std::string run_args(const std::string& extra) const {
        return "run --model " + model + " --data " + data + " --images 1:4 --cycles 5 --seed 3 " + extra;
    }
};

}  // namespace

TEST_CASE("cli record: the state report holds the probes' values, and the spikes are unchanged", "[cli][probe]") {
    fixture f;
    const std::string plain = f.dir / "plain.h5", spikes = f.dir / "s.h5", states = f.dir / "st.h5";
    REQUIRE(run_gust(f.run_args("--out " + plain), f.dir).status == 0);
    const auto r = run_gust(f.run_args("--out " + spikes + " --states " + states +
                                       " --record context:0-2,700@10:40:5 --record pixels.refractory --record hidden"),
                            f.dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(test::slurp(plain).size() > 0);
    // The spike report is the one a run without --record writes (same spikes).
    {
        const h5::file a = h5::open_read(plain), b = h5::open_read(spikes);
        for (int i = 1; i < 4; ++i) {
            const std::string g = "/spikes/image_" + std::to_string(i) + "/node_ids";
            CHECK(h5::read<std::uint64_t>(a, g) == h5::read<std::uint64_t>(b, g));
        }
    }
    // The state report against the same probes run in the library.
    const h5::file st = h5::open_read(states);
    CHECK(h5::dims(st, "/report/context/data") == std::vector<hsize_t>{3, 6, 4});
    CHECK(h5::read<std::uint64_t>(st, "/report/context/mapping/node_ids") == std::vector<std::uint64_t>{0, 1, 2, 700});
    CHECK(h5::read<double>(st, "/report/context/mapping/time") == std::vector<double>{10, 40, 5});
    CHECK(h5::read<std::uint64_t>(st, "/report/context/mapping/images") == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(h5::dims(st, "/report/pixels.refractory/data") == std::vector<hsize_t>{3, 50, 784});
    CHECK(h5::dims(st, "/report/hidden/data") == std::vector<hsize_t>{3, 50, 400});

    const network net = paper_network(read_model(f.model));
    const image_set images = read_split(f.data, "test", 1, 3);
    sim_options opt;
    opt.cycles = 5;
    probe context(paper_populations::context);
    context.units = {0, 1, 2, 700};
    context.first_step = 10;
    context.end_step = 40;
    context.stride = 5;
    probe refractory(paper_populations::pixels);
    refractory.var = probe::variable::refractory;
    opt.record = {context, refractory, paper_populations::hidden};
    const auto records = make_engine(backend_kind::dense, net)->run({3, 784, images.images.data(), images.indices},
                                                                  philox_draws(3), opt);
    const char* names[] = {"context", "pixels.refractory", "hidden"};
    for (std::size_t r = 0; r < 3; ++r) {
        std::vector<float> want;
        for (const auto& rec : records) want.insert(want.end(), rec.recorded[r].begin(), rec.recorded[r].end());
        CHECK(h5::read<float>(st, std::string("/report/") + names[r] + "/data") == want);
    }
}

TEST_CASE("cli record: a bad --record or --states is refused in one line, and nothing is written", "[cli][probe]") {
    fixture f;
    const std::string out = f.dir / "s.h5", states = f.dir / "st.h5";
    auto refused = [&](const std::string& extra, const std::string& mention) {
        const auto r = run_gust(f.run_args("--out " + out + " " + extra), f.dir);
        INFO(r.err);
        CHECK(r.status == 2);
        CHECK(r.err.find(mention) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
        CHECK_FALSE(std::filesystem::exists(states));
    };
    refused("--record context", "--record: needs --states");
    refused("--states " + states, "--states: needs at least one --record");
    refused("--states " + states + " --record nope", "no population 'nope'");
    refused("--states " + states + " --record hidden.refractory", "no refractory counters");
    refused("--states " + states + " --record context:5-2", "runs backwards");
    refused("--states " + states + " --record context:0-784", "has 784 units");
    refused("--states " + states + " --record context:x", "not a whole number");
    refused("--states " + states + " --record context@5:5", "select nothing");
    refused("--states " + states + " --record context@0:10:0", "stride");
    refused("--states " + states + " --record context:3,1", "ascending");
    refused("--states " + out + " --record context", "the same file as --out");
    // Records that could not be held until the report is written (here 6
    // images of a million steps of 3,776 values: 90 GB) are refused before
    // the run, not killed in the middle of it.
    const auto r = run_gust("run --model " + f.model + " --data " + f.data + " --split test --images 0:6 --cycles 100000 --out " +
                                out + " --states " + states +
                                " --record context --record pixels --record pixels.refractory --record enc1"
                                " --record hidden --record dec1",
                            f.dir);
    CHECK(r.status == 2);
    CHECK(r.err.find("--record: recording 6 images of 1000000 steps holds 84 GiB until the report is written") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
}
