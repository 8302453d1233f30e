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
    // What sets it: the machine's memory, a control group's limit, or the
    // address space the process may map (RLIMIT_AS: `ulimit -v`, and the
    // limit Grid Engine's h_vmem and PBS's vmem set), less what it has
    // mapped already.
    enum class source { machine, control_group, address_space };
    double bytes = 0;
    source set_by = source::machine;

    // As refusals end: "this machine's 24 GiB", "the 4 GiB this job's
    // control group allows" or "the 3.8 GiB of address space this process
    // may still map (ulimit -v)".
    std::string described() const;
};

// The least of the three; a tie goes to the machine, then the group.
memory_limit tightest_memory_limit(double machine, double control_group, double address_space_left);

// Parses the RLIMIT_AS room: `limit` bytes (RLIM_INFINITY: none) less the
// "VmSize:" line of `status`, the text of /proc/self/status; infinity
// when there is no limit.
double address_space_left(unsigned long long limit, const std::string& status);

// The tightest of the machine's memory, the process's control-group limit
// and its address space left, as they were at the first call.
memory_limit process_memory_limit();

// The kernel's estimate of what can be allocated without swapping
// (MemAvailable: free memory plus the page cache and reclaimable caches;
// where /proc/meminfo does not say, the free pages alone), or the room left
// under the process's control groups if less.
double available_memory_bytes();

// Bytes in whole GiB, as refusals name them ("24").
std::string whole_gib(double bytes);

}  // namespace gust
