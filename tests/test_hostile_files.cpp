// Files a careless tool or a hostile user could hand gust: numbers of the
// wrong HDF5 type class, values that do not fit, declared sizes far beyond
// memory, counters beyond the run, special files, odd INI files and names.
// Each is refused with one line naming the file, status 2, no output, and
// never a hang, a crash or a silent truncation.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.hpp"
#include "core/machine_memory.hpp"
#include "io/h5.hpp"

using gust::test::cli_result;
using gust::test::expect_refused;
using gust::test::refused_in_one_line;
using gust::test::run_gust;
using gust::test::temp_dir;

namespace {

const std::string fixture_data = std::string(GUST_FIXTURES) + "/datasets/reference_shapes_3_3_first200.h5";

// Replaces dataset `name` of `path` by `values` stored with HDF5 type `file_type` (read as double).
void replace_dataset(const std::string& path, const std::string& name, hid_t file_type, const std::vector<double>& values) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    REQUIRE(H5Ldelete(f, name.c_str(), H5P_DEFAULT) >= 0);
    const hsize_t n = values.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t d = H5Dcreate2(f, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(d >= 0);
    REQUIRE(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
    H5Dclose(d);
    H5Sclose(space);
    H5Fclose(f);
}

// Sets attribute `name` of `object` to `value` stored as `file_type` (given as a uint64 or a double).
template <class T>
void set_attribute(const std::string& path, const std::string& object, const std::string& name, hid_t file_type,
                   hid_t mem_type, T value) {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    const hid_t o = H5Oopen(f, object.c_str(), H5P_DEFAULT);
    if (H5Aexists(o, name.c_str()) > 0) H5Adelete(o, name.c_str());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(o, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(H5Awrite(a, mem_type, &value) >= 0);
    H5Aclose(a);
    H5Sclose(space);
    H5Oclose(o);
    H5Fclose(f);
}

std::vector<double> read_all(const std::string& path, const std::string& name) {
    gust::h5::file f = gust::h5::open_read(path);
    return gust::h5::read<double>(f, name);
}

}  // namespace

TEST_CASE("hostile files: integers stored as floats, enums or out of range are refused, not truncated",
          "[hostile][bad-input]") {
    temp_dir dir;
    const std::string sparse = dir / "sparse.h5";
    REQUIRE(run_gust("init --height 8 --width 8 --hidden 8 --inner 16 --sparse-fan-in 4 --out " + sparse, dir).status == 0);
    const std::string run = "topology --model ";

    SECTION("CSR indices stored as floats") {
        auto idx = read_all(sparse, "/encoder/fc1/indices");
        idx[0] += 0.5;
        replace_dataset(sparse, "/encoder/fc1/indices", H5T_IEEE_F64LE, idx);
        expect_refused(run_gust(run + sparse, dir), "must hold integers, but holds floating-point numbers");
    }
    SECTION("a shape attribute of 64.5") {
        const hsize_t two = 2;
        const hid_t f = H5Fopen(sparse.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hid_t o = H5Oopen(f, "/encoder/fc1", H5P_DEFAULT);
        H5Adelete(o, "shape");
        const hid_t space = H5Screate_simple(1, &two, nullptr);
        const hid_t a = H5Acreate2(o, "shape", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
        const double shape[2] = {16, 64.5};
        H5Awrite(a, H5T_NATIVE_DOUBLE, shape);
        H5Aclose(a);
        H5Sclose(space);
        H5Oclose(o);
        H5Fclose(f);
        expect_refused(run_gust(run + sparse, dir), "attribute 'shape'");
    }
    SECTION("a root attribute T beyond any run, and one stored as a float") {
        set_attribute<std::uint64_t>(sparse, "/", "T", H5T_STD_U64LE, H5T_NATIVE_UINT64, (std::uint64_t{1} << 32) + 10);
        expect_refused(run_gust(run + sparse, dir), "attribute 'T' on '/' is 4294967306");
        set_attribute<double>(sparse, "/", "T", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 10.0);
        expect_refused(run_gust(run + sparse, dir), "attribute 'T' on '/' must be a single integer");
    }
}

TEST_CASE("hostile files: spike node ids of -1 or 3.5 and an enum data set are refused", "[hostile][bad-input]") {
    temp_dir dir;
    const std::string model = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    const std::string spikes = dir / "s.h5";
    REQUIRE(run_gust("run --model " + model + " --data " + fixture_data + " --images 0:1 --cycles 3 --out " + spikes, dir)
                .status == 0);
    auto ids = read_all(spikes, "/spikes/image_0/node_ids");
    REQUIRE(!ids.empty());
    ids[0] = -1;
    replace_dataset(spikes, "/spikes/image_0/node_ids", H5T_STD_I64LE, ids);
    expect_refused(run_gust("analyze --spikes " + spikes + " --out-dir " + (dir / "a"), dir), "holds -1, out of range");
    ids[0] = 3.5;
    replace_dataset(spikes, "/spikes/image_0/node_ids", H5T_IEEE_F64LE, ids);
    expect_refused(run_gust("analyze --spikes " + spikes + " --out-dir " + (dir / "a"), dir), "must hold integers");
    CHECK_FALSE(std::filesystem::exists(dir / "a"));

    // A data set whose images are an HDF5 enumeration.
    const std::string data = dir / "enum.h5";
    {
        const hid_t f = H5Fcreate(data.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        const hid_t g = H5Gcreate2(f, "/test", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const hid_t e = H5Tenum_create(H5T_NATIVE_INT8);
        const std::int8_t zero = 0, one = 1;
        H5Tenum_insert(e, "off", &zero);
        H5Tenum_insert(e, "on", &one);
        const hsize_t d[3] = {2, 28, 28};
        const hid_t space = H5Screate_simple(3, d, nullptr);
        std::vector<std::int8_t> px(2 * 28 * 28, 0);
        for (const char* name : {"/test/default", "/test/groups"}) {
            const hid_t ds = H5Dcreate2(f, name, e, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Dwrite(ds, e, H5S_ALL, H5S_ALL, H5P_DEFAULT, px.data());
            H5Dclose(ds);
        }
        H5Sclose(space);
        H5Tclose(e);
        H5Gclose(g);
        H5Fclose(f);
    }
    expect_refused(run_gust("run --model " + model + " --data " + data + " --images 0:1 --out " + (dir / "x.h5"), dir),
                   "enumeration");
}

TEST_CASE("hostile files: a declared size beyond memory is refused before allocating, saying how much", "[hostile][bad-input]") {
    temp_dir dir;
    const std::string data = dir / "huge.h5";
    {
        // 10^6 x 10^6 chunked images with nothing stored: 4 TB declared, a few bytes on disk.
        const hid_t f = H5Fcreate(data.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        H5Gclose(H5Gcreate2(f, "/test", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        const hsize_t d[3] = {1, 1000000, 1000000}, chunk[3] = {1, 1000, 1000};
        const hid_t space = H5Screate_simple(3, d, nullptr);
        const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(plist, 3, chunk);
        for (const char* name : {"/test/default", "/test/groups"})
            H5Dclose(H5Dcreate2(f, name, H5T_IEEE_F32LE, space, H5P_DEFAULT, plist, H5P_DEFAULT));
        H5Pclose(plist);
        H5Sclose(space);
        H5Fclose(f);
    }
    const std::string model = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    const cli_result r = run_gust("run --model " + model + " --data " + data + " --images 0:1 --out " + (dir / "x.h5"), dir);
    expect_refused(r, "GiB");
    CHECK(r.err.find(data) != std::string::npos);
}

TEST_CASE("hostile files: models that together exceed memory are refused before the first is read",
          "[hostile][bad-input]") {
    temp_dir dir;
    // A sparse file of 15 TB apparent size beside the shipped model: every
    // job that holds several models at once sees their sum at the start.
    const std::string model = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    const std::string huge = dir / "huge.h5";
    std::ofstream(huge).put('\0');
    std::filesystem::resize_file(huge, std::uintmax_t{15} << 40);
    const std::string too_much = ": the 2 model files take 15360 GiB together, more than " +
                                 gust::process_memory_limit().described();
    for (const auto& [job, option] : std::vector<std::pair<std::string, std::string>>{
             {"average --models " + model + " " + huge + " --out " + (dir / "avg.h5"), "--models"},
             {"select --models " + model + " " + huge + " --data " + fixture_data + " --out " + (dir / "best.h5"),
              "--models"},
             {"learning-curve --models " + model + " " + huge, "--models"},
             {"compare-models --model-a " + model + " --model-b " + huge + " --images 8 --out " +
                  (dir / "cmp.csv"),
              "--model-a and --model-b"}}) {
        INFO(job);
        const cli_result r = run_gust(job, dir);
        expect_refused(r, option + too_much);
    }
    CHECK(dir.file_count() == 1);  // the huge file alone: no output of any job
}

TEST_CASE("hostile files: CSR arrays that are not one list each, or row offsets that disagree with them, are "
          "refused before any row is read",
          "[hostile][bad-input]") {
    temp_dir dir;
    const std::string sparse = dir / "sparse.h5";
    REQUIRE(run_gust("init --height 8 --width 8 --hidden 8 --inner 16 --sparse-fan-in 4 --out " + sparse, dir).status == 0);
    const std::string run = "topology --model ";
    const std::string offsets = "indptr must rise from 0 to the number of indices and values";

    SECTION("indices stored as a matrix of the same values") {
        const auto idx = read_all(sparse, "/encoder/fc1/indices");
        REQUIRE(idx.size() % 2 == 0);
        const std::vector<std::uint32_t> values(idx.begin(), idx.end());
        const hid_t f = H5Fopen(sparse.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        REQUIRE(H5Ldelete(f, "/encoder/fc1/indices", H5P_DEFAULT) >= 0);
        const hsize_t d[2] = {values.size() / 2, 2};
        const hid_t space = H5Screate_simple(2, d, nullptr);
        const hid_t ds = H5Dcreate2(f, "/encoder/fc1/indices", H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        REQUIRE(H5Dwrite(ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
        H5Dclose(ds);
        H5Sclose(space);
        H5Fclose(f);
        expect_refused(run_gust(run + sparse, dir), "'/encoder/fc1/indices' must be one-dimensional, but has shape");
    }
    SECTION("an indptr that ends before the last index") {
        auto ptr = read_all(sparse, "/encoder/fc1/indptr");
        ptr.back() -= 1;
        replace_dataset(sparse, "/encoder/fc1/indptr", H5T_STD_U32LE, ptr);
        expect_refused(run_gust(run + sparse, dir), offsets);
    }
    SECTION("one value fewer than indices") {
        auto w = read_all(sparse, "/encoder/fc1/data");
        w.pop_back();
        replace_dataset(sparse, "/encoder/fc1/data", H5T_IEEE_F32LE, w);
        expect_refused(run_gust(run + sparse, dir), offsets);
    }
    SECTION("an indptr with a row too few") {
        auto ptr = read_all(sparse, "/encoder/fc1/indptr");
        ptr.pop_back();
        replace_dataset(sparse, "/encoder/fc1/indptr", H5T_STD_U32LE, ptr);
        expect_refused(run_gust(run + sparse, dir), "indptr must have rows + 1 entries");
    }
}

TEST_CASE("hostile files: values declared but not in the file are refused before allocating", "[hostile][bad-input]") {
    temp_dir dir;
    const std::string sparse = dir / "sparse.h5";
    REQUIRE(run_gust("init --height 8 --width 8 --hidden 8 --inner 16 --sparse-fan-in 4 --out " + sparse, dir).status == 0);
    // Replaces the CSR indices by 2^30 uint32 values (4 GiB, within this
    // machine's memory) of which the file holds none, or (deflated) too few
    // for any compression to expand to; or by values kept in another file.
    auto replace_indices = [&](const std::string& how) {
        const hid_t f = H5Fopen(sparse.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        REQUIRE(f >= 0);
        REQUIRE(H5Ldelete(f, "/encoder/fc1/indices", H5P_DEFAULT) >= 0);
        const hsize_t n = hsize_t{1} << 30, chunk = 1 << 20;
        const hid_t space = H5Screate_simple(1, &n, nullptr);
        const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        if (how == "deflated") {
            H5Pset_chunk(dcpl, 1, &chunk);
            H5Pset_deflate(dcpl, 9);
        }
        if (how == "external") REQUIRE(H5Pset_external(dcpl, (dir / "raw.bin").c_str(), 0, n * 4) >= 0);
        const hid_t d = H5Dcreate2(f, "/encoder/fc1/indices", H5T_STD_U32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        REQUIRE(d >= 0);
        if (how == "deflated") {
            // One chunk of zeros written: about a kilobyte stored for 4 GiB declared.
            const std::vector<std::uint32_t> zeros(chunk, 0);
            const hsize_t start = 0;
            const hid_t ms = H5Screate_simple(1, &chunk, nullptr);
            H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &chunk, nullptr);
            REQUIRE(H5Dwrite(d, H5T_NATIVE_UINT32, ms, space, H5P_DEFAULT, zeros.data()) >= 0);
            H5Sclose(ms);
        }
        H5Dclose(d);
        H5Pclose(dcpl);
        H5Sclose(space);
        H5Fclose(f);
    };
    SECTION("nothing stored") {
        replace_indices("contiguous");
        expect_refused(run_gust("topology --model " + sparse, dir),
                       "'/encoder/fc1/indices' declares shape [1073741824] (4294967296 bytes) but the file stores 0 bytes");
    }
    SECTION("one chunk of 1,024 stored, deflated") {
        replace_indices("deflated");
        expect_refused(run_gust("topology --model " + sparse, dir), "declares shape [1073741824]");
    }
    SECTION("values in an external raw file") {
        replace_indices("external");
        expect_refused(run_gust("topology --model " + sparse, dir), "keeps its values in other files");
    }
}

TEST_CASE("hostile files: a checkpoint whose counters do not fit the run is refused", "[hostile][bad-input]") {
    temp_dir dir;
    const std::string run = dir / "run";
    REQUIRE(run_gust("train --data " + fixture_data + " --out " + run +
                         " --train-size 40 --batch 8 --epochs 2 --cycles 2 --threads 1 --stop-after-batches 2", dir)
                .status == 0);
    const std::string ckpt = run + "/checkpoint.h5";
    const std::string saved = gust::test::slurp(ckpt);
    const auto restore = [&] { std::ofstream(ckpt, std::ios::binary) << saved; };
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::uint64_t>>{
             {"cycles", (std::uint64_t{1} << 32) + 2}, {"batch_in_epoch", 1000000000000}}) {
        INFO(name);
        restore();
        set_attribute<std::uint64_t>(ckpt, "/", name, H5T_STD_U64LE, H5T_NATIVE_UINT64, value);
        expect_refused(run_gust("train --out " + run + " --resume", dir), "'" + name + "'");
    }
    // The checkpoint restored, with `from` replaced by `to` in its description.
    const auto edit_description = [&](const std::string& from, const std::string& to) {
        restore();
        gust::h5::file f{gust::h5::handle(H5Fopen(ckpt.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), ckpt};
        std::string text = gust::h5::read_attr_string(f, "/", "network");
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        gust::h5::write_attr_string(f, "/", "network", text.replace(at, from.size(), to));
    };
    // The network's cycle length T lives in its description.
    edit_description("cycle = 10", "cycle = 4294967306");
    expect_refused(run_gust("train --out " + run + " --resume", dir), "'cycle' = 4294967306 is outside");
    // A description whose training would not fit in memory is refused before
    // its weights are read (they would not match it either).
    edit_description("size = 512", "size = 2000000000");
    expect_refused(run_gust("train --out " + run + " --resume", dir),
                   ckpt + ": training this network needs about");
    restore();
    set_attribute<double>(ckpt, "/", "epochs", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2.5);
    expect_refused(run_gust("train --out " + run + " --resume", dir), "'epochs'");
    // The untouched checkpoint still resumes.
    restore();
    CHECK(run_gust("train --out " + run + " --resume", dir).status == 0);
}

TEST_CASE("hostile files: pipes, folders, odd names and odd INI files are refused at once", "[hostile][bad-input]") {
    temp_dir dir;
    const std::string fifo = dir / "pipe";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    const std::string model = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    // `timeout` turns a hang into a failure instead of a stuck test run.
    const auto gust = [&](const std::string& args) {
        return gust::test::run_command("timeout 20 " + std::string(GUST_BINARY) + " " + args, dir);
    };
    expect_refused(gust("run --model " + fifo + " --data " + fixture_data + " --out " + (dir / "x.h5")), "not a regular file");
    expect_refused(gust("run --model " + model + " --data " + fifo + " --out " + (dir / "x.h5")), "not a regular file");
    expect_refused(gust("analyze --spikes " + fifo + " --out-dir " + (dir / "a")), "not a regular file");
    expect_refused(gust("run --config " + fifo + " --model m --data d --out x"), "not a regular file");
    expect_refused(gust("run --config " + dir.path().string() + " --model m --data d --out x"), "not a regular file");
    // A name with a line break still gives one line.
    const std::string odd = dir / "two\nlines.h5";
    const cli_result r = gust("run --model '" + odd + "' --data " + fixture_data + " --out " + (dir / "x.h5"));
    expect_refused(r, "two\\nlines.h5");
    // INI: a key twice, and a malformed value the command line also gives.
    { std::ofstream(dir / "twice.ini") << "cycles = 5\ncycles = 6\n"; }
    expect_refused(gust("run --config " + (dir / "twice.ini") + " --model m --data d --out x"), "'cycles' is given twice");
    for (const std::string& bad : std::vector<std::string>{"nan", "5abc", "0x10", "1e999", "", std::string(5000, '7')}) {
        { std::ofstream(dir / "bad.ini") << "cycles = " << bad << "\n"; }
        INFO("cycles = " << bad.substr(0, 20));
        expect_refused(gust("run --config " + (dir / "bad.ini") + " --cycles 3 --model m --data d --out x"), "cycles");
    }
    // A key holding Boost's message placeholders (found by fuzz_options: its
    // error message never finished) and a line that is no 'key = value'.
    { std::ofstream(dir / "percent.ini") << "cycl%canonical_option% = 3\n"; }
    expect_refused(gust("run --config " + (dir / "percent.ini") + " --model m --data d --out x"), "line 1");
    { std::ofstream(dir / "section.ini") << "[cycl%original_token% =\nb = 1\n"; }  // a hang, found the same way
    expect_refused(gust("run --config " + (dir / "section.ini") + " --model m --data d --out x"), "line 1");
    { std::ofstream(dir / "semicolon.ini") << ";cycl%canonical_option% = 3\n"; }  // a hang, found the same way
    expect_refused(gust("run --config " + (dir / "semicolon.ini") + " --model m --data d --out x"), "line 1");
    expect_refused(gust("run --%canonical_option% --model m --data d --out x"), "unrecognised option");
    expect_refused(gust("run --x%original_token%=1 --model m --data d --out x"), "unrecognised option");
    { std::ofstream(dir / "novalue.ini") << "# fine\n\ncycles\n"; }
    expect_refused(gust("run --config " + (dir / "novalue.ini") + " --model m --data d --out x"), "line 3");
    // A data set whose link names HDF5 cannot read (found by fuzz_dataset: it
    // was an internal error).
    expect_refused(gust("run --model " + model + " --data " + std::string(GUST_SOURCE_DIR) +
                        "/tests/fuzz/corpus/dataset/found-link-name-error.h5 --out " + (dir / "x.h5")),
                   "cannot read the names");
    // Weights that overflow the mean.
    expect_refused(gust("average --models " + model + " " + model + " --weights 1e308,1e308 --out " + (dir / "avg.h5")),
                   "--weights");
    CHECK_FALSE(std::filesystem::exists(dir / "x.h5"));
    CHECK_FALSE(std::filesystem::exists(dir / "avg.h5"));
}
