#include "io/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "sim/error.hpp"

namespace gust {

atomic_file::atomic_file(std::string final_path) : final_(std::move(final_path)) {
    namespace fs = std::filesystem;
    fs::path p(final_);
    if (p.filename().empty()) throw input_error(final_ + ": output path names no file");
    fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw input_error(final_ + ": folder " + dir.string() + " does not exist");
    // Hidden, process-unique name in the same folder, so rename() is atomic.
    temp_ = (dir / ("." + p.filename().string() + ".tmp." + std::to_string(::getpid()))).string();
}

atomic_file::~atomic_file() {
    if (!committed_) std::remove(temp_.c_str());
}

void atomic_file::commit() {
    if (std::rename(temp_.c_str(), final_.c_str()) != 0)
        throw input_error(final_ + ": cannot move the finished file into place");
    committed_ = true;
}

}  // namespace gust
