#pragma once
// How much memory this machine has, and how much of it a process could take
// now. Sizes declared by a file or a network are checked against the first
// before anything is allocated; a report that may build a large structure
// (the connectivity graph of `gust topology`) checks against the second.
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace gust {

inline double physical_memory_bytes() {
    return static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
}

// The kernel's estimate of what can be allocated without swapping
// (MemAvailable: free memory plus the page cache and reclaimable caches);
// where /proc/meminfo does not say, the free pages alone.
inline double available_memory_bytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string line;
    while (std::getline(meminfo, line)) {
        std::istringstream fields(line);
        std::string key;
        double kib = 0;
        if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024.0;
    }
    return static_cast<double>(sysconf(_SC_AVPHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
}

// Bytes in whole GiB, as refusals name them ("24").
inline std::string whole_gib(double bytes) { return std::to_string(std::llround(bytes / 1073741824.0)); }

}  // namespace gust
