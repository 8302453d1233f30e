// io/files_being_read.hpp: the files open for reading, the newest first,
// each for the thread that reads it, and whether a metadata step is under
// way, as a fault handler sees them.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "cli_runner.hpp"
#include "io/files_being_read.hpp"
#include "io/h5.hpp"

using namespace gust;

namespace {
std::string newest(pid_t reader = this_thread_id()) {
    const char* p = newest_file_being_read(reader);
    return p ? p : "(none)";
}
}  // namespace

TEST_CASE("files being read: the newest open one is named, each released when its mark ends or moves on",
          "[files-being-read]") {
    REQUIRE(newest() == "(none)");
    {
        file_being_read a("/data/a.h5");
        CHECK(newest() == "/data/a.h5");
        {
            file_being_read b("/data/b.h5");
            CHECK(newest() == "/data/b.h5");
            file_being_read moved(std::move(b));
            CHECK(newest() == "/data/b.h5");
        }
        CHECK(newest() == "/data/a.h5");  // b's mark ended with the one it moved to
        file_being_read c("/data/c.h5");
        a = std::move(c);  // a's own mark ends; it carries c's now
        CHECK(newest() == "/data/c.h5");
    }
    CHECK(newest() == "(none)");
    // A path too long for its slot is kept cut, not overrun.
    const std::string long_path(5000, 'x');
    {
        file_being_read l(long_path);
        CHECK(newest() == long_path.substr(0, 1023));
    }
    // More files than slots: the rest are not named, and nothing breaks.
    {
        std::vector<file_being_read> many;
        for (int i = 0; i < 40; ++i) many.emplace_back("/f" + std::to_string(i));
        CHECK(newest() == "/f15");
    }
    CHECK(newest() == "(none)");
}

TEST_CASE("files being read: a file is named for the thread that reads it, not for another", "[files-being-read]") {
    const pid_t main_thread = this_thread_id();
    file_being_read a("/data/a.h5");
    std::string seen_by_other, main_seen_from_other;
    pid_t other = 0;
    std::thread([&] {
        other = this_thread_id();
        seen_by_other = newest();
        const file_being_read b("/data/b.h5");
        main_seen_from_other = newest(main_thread);
        seen_by_other = seen_by_other + " " + newest();
    }).join();
    CHECK(other != main_thread);
    CHECK(seen_by_other == "(none) /data/b.h5");
    CHECK(main_seen_from_other == "/data/a.h5");  // b is newer, but not the main thread's
    CHECK(newest() == "/data/a.h5");
    CHECK(newest(other) == "(none)");
}

TEST_CASE("files being read: a metadata step is timed from its start while one is under way, with its "
          "thread's CPU time", "[files-being-read]") {
    CHECK(metadata_step_under_way().began == 0);
    {
        const metadata_step outer;
        const std::int64_t began = metadata_step_under_way().began;
        CHECK(began > 0);
        CHECK(metadata_step_under_way().thread == this_thread_id());
        {
            const metadata_step inner;
            CHECK(metadata_step_under_way().began == began);
        }
        CHECK(metadata_step_under_way().began == began);
        // Computing counts; sleeping does not.
        const double before = metadata_step_under_way().cpu_seconds;
        const auto t0 = std::chrono::steady_clock::now();
        while (metadata_step_under_way().cpu_seconds - before < 0.2 &&
               std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30)) {
        }
        const double computed = metadata_step_under_way().cpu_seconds;
        CHECK(computed - before >= 0.2);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CHECK(metadata_step_under_way().cpu_seconds - computed < 0.05);
    }
    CHECK(metadata_step_under_way().began == 0);
}

TEST_CASE("files being read: an HDF5 file opened for reading is marked while it is open, one being written is not",
          "[files-being-read]") {
    test::temp_dir dir;
    {
        h5::file w = h5::create(dir / "w.h5");
        CHECK(newest() == "(none)");
        h5::close(w);
    }
    {
        const h5::file r = h5::open_read(dir / "w.h5");
        CHECK(newest() == dir / "w.h5");
    }
    CHECK(newest() == "(none)");
    CHECK_THROWS(h5::open_read(dir / "missing.h5"));
    CHECK(newest() == "(none)");
}
