#pragma once
// Runs the gust binary as a user would, capturing exit status and output, in
// a private temporary folder per test.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace gust::test {

struct cli_result {
    int status = -1;
    std::string out, err;
};

class temp_dir {
public:
    temp_dir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("gust_test_" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }
    // Every file in the folder (to check that nothing partial was left).
    std::size_t file_count() const {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(path_)) ++n;
        return n;
    }

private:
    std::filesystem::path path_;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Commands and args pass through the shell; quote them yourself when needed.
inline cli_result run_command(const std::string& command, const temp_dir& dir) {
    const std::string out = dir / ".stdout", err = dir / ".stderr";
    const std::string cmd = command + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    cli_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
}

inline cli_result run_gust(const std::string& args, const temp_dir& dir) {
    return run_command(std::string(GUST_BINARY) + " " + args, dir);
}

// A small shapes data set (3 shapes per image; `sizes` as gust dataset's
// options) and a fresh paper model (seed 2), in a private folder.
struct data_and_model {
    temp_dir dir;
    std::string data = dir / "d.h5", model = dir / "m.h5";
    explicit data_and_model(const std::string& sizes) {
        if (run_gust("dataset --train-objects 3 --test-objects 3 " + sizes + " --seed 4 --out " + data, dir).status != 0 ||
            run_gust("init --seed 2 --out " + model, dir).status != 0)
            throw std::runtime_error("gust dataset or gust init failed in " + dir.path().string());
    }
};

// Starts `gust ARGS...` (no shell) with stdout and stderr to `log`; the
// caller signals and waits for the returned process.
inline pid_t spawn_gust(const std::vector<std::string>& args, const std::string& log) {
    std::vector<std::string> words{GUST_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t io;
    posix_spawn_file_actions_init(&io);
    posix_spawn_file_actions_addopen(&io, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&io, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_t pid = -1;
    if (posix_spawn(&pid, GUST_BINARY, &io, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&io);
    return pid;
}

// A refusal as gust gives it: status 2 and one line on stderr that mentions `mention`.
inline bool refused_in_one_line(const cli_result& r, const std::string& mention) {
    return r.status == 2 && r.err.find(mention) != std::string::npos &&
           std::count(r.err.begin(), r.err.end(), '\n') == 1;
}

// Checks that r is such a refusal and printed nothing on stdout, showing
// both streams when it is not.
inline void expect_refused(const cli_result& r, const std::string& mention) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(refused_in_one_line(r, mention));
    CHECK(r.out.empty());
}

}  // namespace gust::test
