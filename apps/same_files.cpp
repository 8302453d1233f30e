#include "apps/same_files.hpp"

#include "apps/host_name.hpp"
#include "core/error.hpp"
#include "io/file_identity.hpp"

namespace gust::cli {

void require_same_files(const communicator& job, const std::vector<std::string>& paths) {
    if (job.size() == 1) return;
    for (const std::string& path : paths) {
        // An empty path takes part too: ranks started with other options
        // (mpirun's A : B form) still make as many exchanges.
        // Ranks that open one file on one machine (every rank of a job on
        // one host, as a rule) need not read it to compare it.
        const std::string here = path.empty() ? "no file" : file_location(path);
        const std::vector<char> first_here = job.broadcast(std::vector<char>(here.begin(), here.end()));
        if (job.every(!here.empty() && std::string(first_here.begin(), first_here.end()) == here)) continue;
        const std::string mine = path.empty() ? "no file" : file_identity(path);
        const std::vector<char> first = job.broadcast(std::vector<char>(mine.begin(), mine.end()));
        const std::string theirs(first.begin(), first.end());
        if (theirs == mine) continue;
        const std::string named = path.empty() ? std::string("(no file)") : path;
        throw input_error(named + ": the copy on this machine (" + host_name() + ") holds " + mine + ", rank 0's " +
                          theirs + ": every rank must read the same file");
    }
}

}  // namespace gust::cli
