#pragma once
// An output folder whose files appear together or not at all. Everything is
// written into a hidden sibling folder ".<name>.tmp.<pid>", flushed to disk,
// and that folder is renamed onto the final name in one step: onto a folder
// that does not exist or is empty, or exchanged atomically with an earlier
// output of gust (marked by the file .gust-output), which is then removed.
// A folder holding anything else is never replaced. A run killed at any
// moment leaves either the old folder or the new one, plus at most a
// temporary that the next run writing that name removes.
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>

namespace gust {

class output_folder {
public:
    // `option` names the folder's option in messages (e.g. "--out-dir").
    // Throws input_error when the folder cannot be written or replaced.
    output_folder(std::string final_dir, std::string option);
    output_folder(const output_folder&) = delete;
    output_folder& operator=(const output_folder&) = delete;
    ~output_folder();  // removes the temporary folder unless committed

    // Writes `relative` (e.g. "objects_3/metrics.csv") by calling
    // write(path) with its temporary path; subfolders are made as needed.
    // Errors name the final path. Safe to call from many threads.
    void write(const std::string& relative, const std::function<void(const std::string&)>& write);

    void commit();
    const std::string& final_path() const { return final_; }

private:
    std::string final_, temp_, option_;
    bool committed_ = false;
    std::mutex mutex_;
};

}  // namespace gust
