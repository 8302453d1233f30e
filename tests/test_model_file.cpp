// Model files: PyTorch's default initialisation, round trips, and rejection
// of files whose shapes or values do not make a model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <utility>
#include <limits>

#include "cli_runner.hpp"
#include "io/model_file.hpp"

using namespace gust;

TEST_CASE("model: fresh weights follow the PyTorch default uniform initialisation", "[model][stat]") {
    const gust_model m = init_model({}, 3);
    for (const linear_layer* l : {&m.enc1, &m.enc2, &m.dec1, &m.dec2}) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(l->in));
        double sum = 0, sq = 0, maxabs = 0;
        for (float w : l->weight) {
            sum += w;
            sq += double(w) * w;
            maxabs = std::max(maxabs, std::fabs(double(w)));
        }
        const double n = static_cast<double>(l->weight.size());
        // Mean 0 and variance bound^2/3; 6-sigma tolerances on n >= 200000 draws.
        CHECK(maxabs <= bound);
        CHECK(maxabs > 0.99 * bound);
        CHECK(std::fabs(sum / n) < 6 * bound / std::sqrt(3 * n));
        CHECK(std::fabs(sq / n - bound * bound / 3) < 6 * bound * bound * std::sqrt(4.0 / 45 / n));
        for (float b : l->bias) CHECK(std::fabs(double(b)) <= bound);
    }
    CHECK(m.enc1.out == 512);
    CHECK(m.enc1.in == 784);
    CHECK(m.enc2.out == 400);
    CHECK(m.dec2.out == 784);
    // Seeded: the same seed gives the same model, another seed another.
    CHECK(init_model({}, 3).enc2.weight == m.enc2.weight);
    CHECK(init_model({}, 4).enc2.weight != m.enc2.weight);
}

TEST_CASE("model: write then read gives the same model", "[model][io]") {
    test::temp_dir dir;
    const gust_model m = init_model({20, 30, 50, 64, 7}, 11);
    write_model(dir / "m.h5", m);
    const gust_model r = read_model(dir / "m.h5");
    CHECK(r.height == 20);
    CHECK(r.width == 30);
    CHECK(r.T == 7);
    CHECK(r.n_hidden() == 50);
    CHECK(r.n_inner() == 64);
    CHECK(r.theta == m.theta);
    CHECK(r.refractory == m.refractory);
    CHECK(r.release_p == m.release_p);
    for (auto l : {&gust_model::enc1, &gust_model::enc2, &gust_model::dec1, &gust_model::dec2}) {
        CHECK((r.*l).weight == (m.*l).weight);
        CHECK((r.*l).bias == (m.*l).bias);
    }
    CHECK(dir.file_count() == 1);  // no temporary left behind
}

TEST_CASE("model: the reference traces' weights read as a model", "[model][io]") {
    h5::file f = h5::open_read(std::string(GUST_FIXTURES) + "/golden/reference_trace_init_B4_IT3.h5");
    gust_model m;
    read_model_weights(f, "/weights", m);
    CHECK(m.enc1.out == 512);
    CHECK(m.dec2.out == 784);
}

namespace {
// Copies a valid model file with one dataset replaced.
void write_variant(const std::string& path, const gust_model& m, const std::string& replace,
                   const std::vector<hsize_t>& dims, const std::vector<float>& data) {
    write_model(path, m);
    h5::file f{h5::handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), path};
    REQUIRE(H5Ldelete(f.h, replace.c_str(), H5P_DEFAULT) >= 0);
    h5::write<float>(f, replace, dims, data.data());
}
}  // namespace

TEST_CASE("model: inconsistent or non-finite files are rejected naming the dataset", "[model][io][bad-input]") {
    test::temp_dir dir;
    const gust_model m = init_model({8, 8, 10, 12, 10}, 1);
    const std::string p = dir / "bad.h5";

    write_variant(p, m, "/encoder/fc2/weight", {10, 13}, std::vector<float>(130, 0.1f));
    CHECK_THROWS_WITH(read_model(p), Catch::Contains("bad.h5") && Catch::Contains("/encoder/fc2"));

    write_variant(p, m, "/decoder/fc2/bias", {65}, std::vector<float>(65, 0.1f));
    CHECK_THROWS_WITH(read_model(p), Catch::Contains("/decoder/fc2/bias"));

    auto w = m.dec1.weight;
    w[5] = std::numeric_limits<float>::quiet_NaN();
    write_variant(p, m, "/decoder/fc1/weight", {12, 10}, w);
    CHECK_THROWS_WITH(read_model(p), Catch::Contains("/decoder/fc1/weight") && Catch::Contains("NaN"));

    auto b = m.enc1.bias;
    b[0] = std::numeric_limits<float>::infinity();
    write_variant(p, m, "/encoder/fc1/bias", {12}, b);
    CHECK_THROWS_WITH(read_model(p), Catch::Contains("/encoder/fc1/bias"));

    write_model(p, m);
    {
        h5::file f{h5::handle(H5Fopen(p.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), p};
        h5::write_attr<std::int64_t>(f, "/", "hidden_size", 11);
    }
    CHECK_THROWS_WITH(read_model(p), Catch::Contains("hidden_size"));

    CHECK_THROWS_WITH(read_model(dir / "missing.h5"), Catch::Contains("missing.h5") && Catch::Contains("no such file"));
    {
        std::ofstream(dir / "text.h5") << "not hdf5 at all";
    }
    CHECK_THROWS_WITH(read_model(dir / "text.h5"), Catch::Contains("not an HDF5 file"));
}

TEST_CASE("model: a sparse model round-trips as CSR datasets", "[model][io][sparse]") {
    test::temp_dir dir;
    model_sizes s{16, 16, 40, 64, 10};
    s.sparse_fan_in = 9;
    const gust_model m = init_model(s, 5);
    REQUIRE(m.enc1.sparse());
    write_model(dir / "s.h5", m);
    const gust_model r = read_model(dir / "s.h5");
    for (auto l : {&gust_model::enc1, &gust_model::enc2, &gust_model::dec1, &gust_model::dec2}) {
        CHECK((r.*l).sparse() == (m.*l).sparse());
        CHECK((r.*l).out == (m.*l).out);
        CHECK((r.*l).in == (m.*l).in);
        CHECK((r.*l).weight == (m.*l).weight);
        CHECK((r.*l).indptr == (m.*l).indptr);
        CHECK((r.*l).indices == (m.*l).indices);
        CHECK((r.*l).bias == (m.*l).bias);
    }
    // Every row holds exactly K distinct inputs.
    for (std::size_t row = 0; row < m.enc1.out; ++row) CHECK(m.enc1.indptr[row + 1] - m.enc1.indptr[row] == 9);
    h5::file f = h5::open_read(dir / "s.h5");
    CHECK(h5::dims(f, "/encoder/fc1/indptr") == std::vector<hsize_t>{65});
    CHECK(h5::dims(f, "/encoder/fc1/data") == std::vector<hsize_t>{64 * 9});
}

TEST_CASE("model: gust average writes the parameter-wise mean and refuses models that do not match", "[model][cli]") {
    test::temp_dir dir;
    const std::string a = dir / "a.h5", b = dir / "b.h5", c = dir / "c.h5", mean = dir / "mean.h5";
    for (const auto& [path, seed] : {std::pair{a, 1}, std::pair{b, 2}, std::pair{c, 3}})
        write_model(path, init_model({}, static_cast<std::uint64_t>(seed)));
    const auto r = test::run_gust("average --models " + a + " " + b + " " + c + " --out " + mean, dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const gust_model ma = read_model(a), mb = read_model(b), mc = read_model(c), mm = read_model(mean);
    const auto expect_mean = [](const linear_layer& x, const linear_layer& y, const linear_layer& z, const linear_layer& m) {
        REQUIRE(m.weight.size() == x.weight.size());
        REQUIRE(m.bias.size() == x.bias.size());
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < m.weight.size(); ++i)
            wrong += m.weight[i] != static_cast<float>((double(x.weight[i]) + y.weight[i] + z.weight[i]) / 3);
        for (std::size_t i = 0; i < m.bias.size(); ++i)
            wrong += m.bias[i] != static_cast<float>((double(x.bias[i]) + y.bias[i] + z.bias[i]) / 3);
        CHECK(wrong == 0);
    };
    expect_mean(ma.enc1, mb.enc1, mc.enc1, mm.enc1);
    expect_mean(ma.enc2, mb.enc2, mc.enc2, mm.enc2);
    expect_mean(ma.dec1, mb.dec1, mc.dec1, mm.dec1);
    expect_mean(ma.dec2, mb.dec2, mc.dec2, mm.dec2);
    CHECK(mm.T == ma.T);
    CHECK(mm.release_p == ma.release_p);

    const auto refused = [&](const std::string& args, const std::string& mention) {
        const std::string out = dir / "refused.h5";
        const auto bad = test::run_gust("average " + args + " --out " + out, dir);
        INFO(bad.err);
        CHECK(bad.status == 2);
        CHECK(bad.err.find(mention) != std::string::npos);
        CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
    };
    model_sizes small;
    small.hidden = 100;
    const std::string other = dir / "other.h5";
    write_model(other, init_model(small, 1));
    refused("--models " + a + " " + other, other);            // another architecture
    refused("--models " + a, "two or more");                   // nothing to average
    refused("--models " + a + " " + (dir / "nope.h5"), "nope.h5");
    model_sizes sparse;
    sparse.sparse_fan_in = 16;
    const std::string s1 = dir / "s1.h5", s2 = dir / "s2.h5";
    write_model(s1, init_model(sparse, 1));
    write_model(s2, init_model(sparse, 2));
    refused("--models " + s1 + " " + s2, "connects other inputs");  // other synapses
    // The output may not overwrite one of the models.
    const auto clobber = test::run_gust("average --models " + a + " " + b + " --out " + b, dir);
    CHECK(clobber.status == 2);
    CHECK(read_model(b).enc1.weight == mb.enc1.weight);
}

TEST_CASE("model: gust average --weights interpolates and extrapolates, and refuses weights that weigh nothing", "[model][cli]") {
    test::temp_dir dir;
    const std::string a = dir / "a.h5", b = dir / "b.h5";
    write_model(a, init_model({}, 1));
    write_model(b, init_model({}, 2));
    const gust_model ma = read_model(a), mb = read_model(b);
    const auto combined = [&](const std::string& weights, double wa, double wb) {
        const std::string out = dir / "w.h5";
        const auto r = test::run_gust("average --models " + a + " " + b + " --weights=" + weights + " --out " + out, dir);
        INFO(r.err);
        REQUIRE(r.status == 0);
        const gust_model m = read_model(out);
        std::size_t wrong = 0;
        for (auto layer : {&gust_model::enc1, &gust_model::enc2, &gust_model::dec1, &gust_model::dec2}) {
            const auto& x = ma.*layer;
            const auto& y = mb.*layer;
            const auto& z = m.*layer;
            for (std::size_t i = 0; i < z.weight.size(); ++i)
                wrong += z.weight[i] != static_cast<float>((wa * x.weight[i] + wb * y.weight[i]) / (wa + wb));
            for (std::size_t i = 0; i < z.bias.size(); ++i)
                wrong += z.bias[i] != static_cast<float>((wa * x.bias[i] + wb * y.bias[i]) / (wa + wb));
        }
        CHECK(wrong == 0);
        return m;
    };
    combined("1,3", 1, 3);                               // a quarter of the way from b to a
    const gust_model step = combined("2,-1", 2, -1);     // a + (a - b)
    CHECK(step.enc1.weight[0] == Approx(2 * ma.enc1.weight[0] - mb.enc1.weight[0]).epsilon(1e-6));
    CHECK(step.enc1.weight[0] != ma.enc1.weight[0]);
    const gust_model same = combined("1,1", 1, 1);       // equal weights: the plain mean, bit for bit
    const auto r = test::run_gust("average --models " + a + " " + b + " --out " + (dir / "mean.h5"), dir);
    REQUIRE(r.status == 0);
    CHECK(read_model(dir / "mean.h5").dec2.weight == same.dec2.weight);

    for (const auto& [weights, mention] : {std::pair<std::string, std::string>{"1", "1 weights for 2 models"}, {"1,-1", "sum to 0"},
                                           {"nan,1", "finite"}, {"1,x", "'x' is not a number"}, {"1,,2", "'' is not a number"}}) {
        const std::string out = dir / "refused.h5";
        const auto bad = test::run_gust("average --models " + a + " " + b + " --weights=" + weights + " --out " + out, dir);
        INFO(weights << ": " << bad.err);
        CHECK(bad.status == 2);
        CHECK(bad.err.find(mention) != std::string::npos);
        CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
    }
}

TEST_CASE("model: gust sharpen scales and shifts only the context logits, and refuses gains that are not positive",
          "[model][cli]") {
    test::temp_dir dir;
    const std::string in = dir / "in.h5";
    write_model(in, init_model({}, 4));
    const gust_model m = read_model(in);
    const auto sharpened = [&](const std::string& options) {
        const std::string out = dir / "out.h5";
        const auto r = test::run_gust("sharpen --model " + in + " " + options + " --out " + out, dir);
        INFO(r.err);
        REQUIRE(r.status == 0);
        return read_model(out);
    };
    const gust_model s = sharpened("--gain 1.25 --offset 0.5");
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < s.dec2.weight.size(); ++i) wrong += s.dec2.weight[i] != static_cast<float>(1.25 * m.dec2.weight[i]);
    for (std::size_t i = 0; i < s.dec2.bias.size(); ++i) wrong += s.dec2.bias[i] != static_cast<float>(1.25 * m.dec2.bias[i] + 0.5);
    CHECK(wrong == 0);
    CHECK(s.dec2.bias[0] != m.dec2.bias[0]);
    // The encoder and the decoder's first layer are untouched.
    CHECK(s.enc1.weight == m.enc1.weight);
    CHECK(s.enc2.bias == m.enc2.bias);
    CHECK(s.dec1.weight == m.dec1.weight);
    // Gain 1 without offset is the same model, bit for bit.
    const gust_model same = sharpened("--gain 1");
    CHECK(same.dec2.weight == m.dec2.weight);
    CHECK(same.dec2.bias == m.dec2.bias);

    for (const auto& [options, mention] :
         {std::pair<std::string, std::string>{"--gain 0", "--gain"}, {"--gain -1", "--gain"}, {"--gain nan", "--gain"},
          {"--gain 1 --offset inf", "--offset"}, {"--gain x", "gain"}, {"--gain 1e300", "--gain"}}) {
        const std::string out = dir / "refused.h5";
        const auto bad = test::run_gust("sharpen --model " + in + " " + options + " --out " + out, dir);
        INFO(options << ": " << bad.err);
        CHECK(bad.status == 2);
        CHECK(bad.err.find(mention) != std::string::npos);
        CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    const auto missing = test::run_gust("sharpen --model " + (dir / "nope.h5") + " --gain 2 --out " + (dir / "x.h5"), dir);
    CHECK(missing.status == 2);
    CHECK(missing.err.find("nope.h5") != std::string::npos);
    const auto clobber = test::run_gust("sharpen --model " + in + " --gain 2 --out " + in, dir);
    CHECK(clobber.status == 2);
    CHECK(read_model(in).dec2.weight == m.dec2.weight);
}
