#pragma once
// How much memory gust may hold, and how much of it it could take now.
// Sizes declared by a file or a network are checked against the first before
// anything is allocated; a report that may build a large structure (the
// connectivity graph of `gust topology`) checks against the second.
//
// The limit is the machine's memory unless the control group the process
// runs in allows less: a batch system (SLURM's memory constraint) or a
// container confines a job that way, and the kernel kills a job that passes
// its group's limit however much the machine has. Both cgroup layouts are
// read: v2 (`memory.max`, `memory.current`) and v1 (`memory.limit_in_bytes`,
// `memory.usage_in_bytes`), on the process's group and every group above it.
#include <filesystem>
#include <limits>
#include <string>

namespace gust {

// The tightest control-group limit over a process's group and its parents,
// and the least room left under any of them (limit minus usage, the
// inactive page cache not counted as used).
struct cgroup_memory {
    double limit = std::numeric_limits<double>::infinity();
    double room = std::numeric_limits<double>::infinity();
};

// Read from the cgroup file systems mounted under `root` (/sys/fs/cgroup:
// v2 there or in `unified/`, v1's memory controller in `memory/`) for the
// groups named in `self`, the text of /proc/self/cgroup. Files missing or
// unreadable, and "max" or v1's near-2^63 "unlimited", set no limit.
cgroup_memory read_cgroup_memory(const std::filesystem::path& root, const std::string& self);

struct memory_limit {
    double bytes = 0;
    bool by_control_group = false;  // below the machine's memory

    // As refusals end: "this machine's 24 GiB" or "the 4 GiB this job's
    // control group allows".
    std::string described() const;
};

// The machine's memory, or the process's control-group limit if lower, as
// they were at the first call.
memory_limit process_memory_limit();

// The kernel's estimate of what can be allocated without swapping
// (MemAvailable: free memory plus the page cache and reclaimable caches;
// where /proc/meminfo does not say, the free pages alone), or the room left
// under the process's control groups if less.
double available_memory_bytes();

// Bytes in whole GiB, as refusals name them ("24").
std::string whole_gib(double bytes);

}  // namespace gust
