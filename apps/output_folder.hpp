#pragma once
// An output folder whose files appear together or not at all: folders made
// by the run are removed again (when still empty) if it fails, and files are
// staged under temporary names and committed together at the end.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "sim/error.hpp"

namespace gust::cli {

class created_folders {
public:
    // `option` names the folder's option in messages (e.g. "--out-dir").
    explicit created_folders(std::string option) : option_(std::move(option)) {}
    void make(const std::filesystem::path& dir) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::is_directory(dir, ec)) return;
        if (fs::exists(dir, ec)) throw input_error(option_ + " " + dir.string() + ": exists and is not a folder");
        if (dir.has_parent_path() && !dir.parent_path().empty()) make(dir.parent_path());
        if (!fs::create_directory(dir, ec) && !fs::is_directory(dir))
            throw input_error(option_ + " " + dir.string() + ": cannot create folder");
        made_.push_back(dir);
    }
    void keep() { made_.clear(); }
    ~created_folders() {
        std::error_code ec;
        for (auto it = made_.rbegin(); it != made_.rend(); ++it) std::filesystem::remove(*it, ec);  // only empty ones
    }

private:
    std::string option_;
    std::vector<std::filesystem::path> made_;
};

class staged_outputs {
public:
    // The temporary name to write `path`'s content to; safe from many threads.
    const std::string& add(const std::string& path) {
        std::lock_guard<std::mutex> lock(mutex_);
        files_.push_back(std::make_unique<atomic_file>(path));
        return files_.back()->temp_path();
    }
    void commit_all() {
        for (auto& f : files_) f->commit();
    }
    std::size_t size() const { return files_.size(); }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<atomic_file>> files_;
};

}  // namespace gust::cli
