#pragma once
// Every file gust writes goes to a temporary name in the destination folder
// and is renamed into place only when complete, so a crash or an error never
// leaves a truncated file under the final name.
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
    void commit();  // rename temp -> final; throws input_error on failure

private:
    std::string final_, temp_;
    bool committed_ = false;
};

}  // namespace gust
