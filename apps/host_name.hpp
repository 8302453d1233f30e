#pragma once
// This machine's host name, for messages that say which machine of a job
// failed.
#include <unistd.h>

#include <string>

namespace gust::cli {

inline std::string host_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) return "?";
    return host;
}

}  // namespace gust::cli
