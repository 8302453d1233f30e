// gust run --checkpoint-every / --resume: a run kept in rounds writes the
// report an uninterrupted run writes; stopped by SIGINT or SIGTERM after a
// round, it says how to resume and resumes, on other threads, to the same
// bytes; what cannot be resumed is refused in one line.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "io/run_checkpoint.hpp"
#include "tests/cli_runner.hpp"

using namespace gust;
using test::run_gust;

namespace {

struct fixture : test::data_and_model {
    fixture() : data_and_model("--train-size 1 --test-size 40") {}
    std::string run_args(const std::string& out, const std::string& extra) const {
        return "run --model " + model + " --data " + data + " --images 0:40 --cycles 40 --seed 3 --threads 1 --out " + out +
               " " + extra;
    }
};

}  // namespace

TEST_CASE("cli run rounds: kept in rounds, the report and the state report are an uninterrupted run's bytes",
          "[cli][run_rounds]") {
    fixture f;
    const std::string record = " --record context:0-9@0:400:7 --states ";
    REQUIRE(run_gust(f.run_args(f.dir / "whole.h5", record + (f.dir / "whole_states.h5")), f.dir).status == 0);
    const auto r = run_gust(f.run_args(f.dir / "rounds.h5", record + (f.dir / "rounds_states.h5") + " --checkpoint-every 7"),
                            f.dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("round 5: 35 of 40 images done, kept in " + (f.dir / "rounds.h5.partial")) != std::string::npos);
    CHECK(test::slurp(f.dir / "rounds.h5") == test::slurp(f.dir / "whole.h5"));
    CHECK(test::slurp(f.dir / "rounds_states.h5") == test::slurp(f.dir / "whole_states.h5"));
    CHECK_FALSE(std::filesystem::exists(f.dir / "rounds.h5.partial"));  // removed once the report is written
}

TEST_CASE("cli run rounds: SIGINT and SIGTERM stop after a round, say how to resume, exit 130 and 143, and the "
          "resumed run writes the same bytes, as after SIGKILL",
          "[cli][run_rounds][slow]") {
    fixture f;
    const std::string whole = f.dir / "whole.h5";
    REQUIRE(run_gust(f.run_args(whole, ""), f.dir).status == 0);
    for (const auto& [sig, name] :
         {std::pair<int, std::string>{SIGINT, "SIGINT"}, {SIGTERM, "SIGTERM"}, {SIGKILL, "SIGKILL"}}) {
        const std::string out = f.dir / (name + ".h5"), partial = out + ".partial", log = f.dir / (name + ".log");
        const pid_t pid = test::spawn_gust({"run", "--model", f.model, "--data", f.data, "--images", "0:40", "--cycles",
                                            "40", "--seed", "3", "--threads", "1", "--out", out, "--checkpoint-every", "1"},
                                           log);
        REQUIRE(pid > 0);
        const auto t0 = std::chrono::steady_clock::now();
        while (!std::filesystem::exists(partial + "/round_1.h5") && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ::kill(pid, sig);
        int status = 0;
        waitpid(pid, &status, 0);
        const std::string said = test::slurp(log);
        INFO(said);
        if (sig == SIGKILL) {
            // Killed outright, perhaps inside a round's write: a temporary
            // such a kill leaves (atomic_file's naming) must not matter.
            REQUIRE(WIFSIGNALED(status));
            std::ofstream(partial + "/.round_9.h5.tmp.999999") << "partial";
        } else {
            REQUIRE(WIFEXITED(status));
            REQUIRE(WEXITSTATUS(status) == 128 + sig);
            CHECK(said.find("gust run: interrupted by " + name + " after ") != std::string::npos);
            CHECK(said.find(partial + " is whole: resume with the same command and --resume") != std::string::npos);
        }
        CHECK_FALSE(std::filesystem::exists(out));
        CHECK(std::filesystem::exists(partial + "/round_1.h5"));
        // Resumed with other options it is refused, and its rounds kept.
        const auto other = run_gust(f.run_args(out, "--checkpoint-every 1 --resume --cycles 41"), f.dir);
        CHECK(test::refused_in_one_line(other, partial + "/round_0.h5: written by another run"));
        // Resumed on two threads: only the images not done are simulated.
        const auto resumed = run_gust(f.run_args(out, "--checkpoint-every 1 --resume --threads 2"), f.dir);
        INFO(resumed.err);
        REQUIRE(resumed.status == 0);
        CHECK(resumed.out.find("more resumed)") != std::string::npos);
        CHECK(test::slurp(out) == test::slurp(whole));
        CHECK_FALSE(std::filesystem::exists(partial));
    }
}

TEST_CASE("cli run rounds: a run that cannot be resumed as asked is refused in one line", "[cli][run_rounds][bad-input]") {
    fixture f;
    const std::string out = f.dir / "r.h5", partial = out + ".partial";
    const auto refused = [&](const std::string& extra, const std::string& mention) {
        const auto r = run_gust(f.run_args(out, extra), f.dir);
        INFO(extra << "\n" << r.err);
        CHECK(test::refused_in_one_line(r, mention));
        CHECK_FALSE(std::filesystem::exists(out));
    };
    refused("--resume", "--resume: give the --checkpoint-every the run started with");
    refused("--checkpoint-every 4 --resume", "--resume: " + partial + " does not exist (nothing to resume)");
    refused("--checkpoint-every -1", "--checkpoint-every");
    refused("--stop-after-rounds 2", "--stop-after-rounds: needs --checkpoint-every");
    // Without --resume the rounds of an interrupted run are not overwritten.
    std::filesystem::create_directories(partial);
    refused("", partial + " holds the rounds of an interrupted run");
    refused("--checkpoint-every 4", partial + " holds the rounds of an interrupted run");
    // A round another run wrote (other options) is not mixed into this one.
    write_run_round(partial, 0, "gust run records\nanother run", 0, {image_record{}, image_record{}, image_record{}, image_record{}});
    refused("--checkpoint-every 4 --resume", partial + "/round_0.h5: written by another run");
}
