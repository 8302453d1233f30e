#include "io/output_folder.hpp"

#include <fcntl.h>
#include <stdio.h>

#include <fstream>

#include "io/atomic_file.hpp"
#include "core/error.hpp"

namespace gust {

namespace fs = std::filesystem;

namespace {

constexpr const char* marker = ".gust-output";

bool is_empty_folder(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec) && fs::directory_iterator(p, ec) == fs::directory_iterator();
}

// Every file under `dir` and `dir` itself to disk, folders after their files.
bool sync_tree(const fs::path& dir) {
    bool ok = true;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
        if (e.is_regular_file(ec)) ok = sync_path(e.path().string()) && ok;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
        if (e.is_directory(ec)) ok = sync_path(e.path().string()) && ok;
    return sync_path(dir.string()) && ok;
}

}  // namespace

output_folder::output_folder(std::string final_dir, std::string option)
    : final_(std::move(final_dir)), option_(std::move(option)) {
    while (final_.size() > 1 && final_.back() == '/') final_.pop_back();
    const fs::path p(final_);
    std::error_code ec;
    if (p.filename().empty() || p.filename() == "." || p.filename() == "..")
        throw input_error(option_ + " " + final_ + ": name a folder of its own (not . or ..)");
    if (fs::exists(p, ec)) {
        if (!fs::is_directory(p, ec)) throw input_error(option_ + " " + final_ + ": exists and is not a folder");
        if (!is_empty_folder(p) && !fs::exists(p / marker, ec))
            throw input_error(option_ + " " + final_ +
                              ": exists and holds files gust did not write; choose a new or empty folder");
    }
    const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    fs::create_directories(parent, ec);
    if (!fs::is_directory(parent, ec))
        throw input_error(option_ + " " + final_ + ": cannot create folder " + parent.string());
    remove_stale_temporaries(final_);
    temp_ = temporary_name(final_);
    fs::remove_all(temp_, ec);
    if (!fs::create_directory(temp_, ec))
        throw input_error(option_ + " " + final_ + ": cannot create a folder beside it (is the folder writable?)");
    std::ofstream(fs::path(temp_) / marker) << "written by gust\n";
}

output_folder::~output_folder() {
    std::error_code ec;
    if (!committed_) fs::remove_all(temp_, ec);
}

void output_folder::write(const std::string& relative, const std::function<void(const std::string&)>& write) {
    const fs::path target = fs::path(temp_) / relative;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw input_error((fs::path(final_) / relative).string() + ": cannot create its folder");
    }
    try {
        write(target.string());
    } catch (const input_error& e) {
        // Name the file the user will look for, not its temporary.
        std::string what = e.what();
        for (auto at = what.find(temp_); at != std::string::npos; at = what.find(temp_, at + final_.size()))
            what.replace(at, temp_.size(), final_);
        throw input_error(what);
    }
}

void output_folder::commit() {
    if (!sync_tree(temp_))
        throw input_error(option_ + " " + final_ + ": cannot write the files to disk (is the disk full?)");
    std::error_code ec;
    if (fs::exists(final_, ec) && !is_empty_folder(final_)) {
        // An earlier output: swap it for the new one in one step, then remove it.
        if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE) != 0)
            throw input_error(option_ + " " + final_ + ": cannot replace the earlier output");
        committed_ = true;
        fs::remove_all(temp_, ec);
    } else {
        if (std::rename(temp_.c_str(), final_.c_str()) != 0)
            throw input_error(option_ + " " + final_ + ": cannot move the finished folder into place");
        committed_ = true;
    }
    const fs::path parent = fs::path(final_).parent_path();
    sync_path(parent.empty() ? "." : parent.string());
}

}  // namespace gust
