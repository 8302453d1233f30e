#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"

namespace gust {

namespace fs = std::filesystem;

std::string temporary_name(const std::string& final_path) {
    const fs::path p(final_path);
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    return (dir / ("." + p.filename().string() + ".tmp." + std::to_string(::getpid()))).string();
}

std::size_t remove_stale_temporaries(const std::string& final_path) {
    const fs::path p(final_path);
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    const std::string prefix = "." + p.filename().string() + ".tmp.";
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        long pid = 0;
        const char* first = name.data() + prefix.size();
        const char* last = name.data() + name.size();
        const auto [end, err] = std::from_chars(first, last, pid);
        if (err != std::errc() || end != last || pid <= 0) continue;
        // A process that is alive (or that we may not signal) still owns it.
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        std::error_code rm;
        if (fs::remove_all(e.path(), rm) > 0 && !rm) ++removed;
    }
    return removed;
}

bool sync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    return ::close(fd) == 0 && ok;
}

atomic_file::atomic_file(std::string final_path) : final_(std::move(final_path)) {
    fs::path p(final_);
    if (p.filename().empty()) throw input_error(final_ + ": output path names no file");
    fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw input_error(final_ + ": folder " + dir.string() + " does not exist");
    if (fs::is_directory(p, ec)) throw input_error(final_ + ": is a folder; name a file to write");
    remove_stale_temporaries(final_);
    temp_ = temporary_name(final_);
}

atomic_file::~atomic_file() {
    if (!committed_) std::remove(temp_.c_str());
}

void atomic_file::commit() {
    if (!sync_path(temp_))
        throw input_error(final_ + ": cannot write the file to disk (is the disk full?)");
    if (std::rename(temp_.c_str(), final_.c_str()) != 0)
        throw input_error(final_ + ": cannot move the finished file into place");
    committed_ = true;
    const fs::path dir = fs::path(final_).parent_path();
    sync_path(dir.empty() ? "." : dir.string());  // the rename itself; a failure here loses no data
}

}  // namespace gust
