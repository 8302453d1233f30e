#pragma once
// Every file gust writes goes to a temporary name in the destination folder,
// is flushed to disk, and is renamed into place only when complete, so a
// crash, a full disk or an error never leaves a truncated file under the
// final name. Temporaries that a killed gust left behind are removed by the
// next one that writes the same name.
#include <cstddef>
#include <string>

namespace gust {

class atomic_file {
public:
    explicit atomic_file(std::string final_path);
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    ~atomic_file();  // removes the temporary unless commit() succeeded

    const std::string& temp_path() const { return temp_; }
    const std::string& final_path() const { return final_; }
    void commit();  // fsync temp, rename temp -> final, fsync the folder; throws input_error naming final

private:
    std::string final_, temp_;
    bool committed_ = false;
};

// The temporary name of `final_path` for this process: ".<name>.tmp.<pid>"
// in the same folder (so rename() is atomic).
std::string temporary_name(const std::string& final_path);
// Removes temporaries of `final_path` (files or folders) whose process is
// gone; returns how many.
std::size_t remove_stale_temporaries(const std::string& final_path);
// Flushes a file or folder to disk (fsync); false when the system says no.
bool sync_path(const std::string& path);

}  // namespace gust
