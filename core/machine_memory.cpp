#include "core/machine_memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace gust {

namespace {

// A byte count from a control-group file; none for "max", for v1's
// "unlimited" (PAGE_COUNTER_MAX pages, just under 2^63) and for anything
// that is not a number.
std::optional<double> read_bytes(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    unsigned long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v >= (1ULL << 62)) return std::nullopt;
    return static_cast<double>(v);
}

// A key's value in a group's memory.stat ("inactive_file 86016"), or 0.
// The number after `key` at the start of a line of `in`: the form of
// memory.stat ("inactive_file 4096"), /proc/meminfo and /proc/self/status
// ("MemAvailable:   1234 kB").
std::optional<double> keyed_number(std::istream& in, const std::string& key) {
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name;
        double value = 0;
        if (fields >> name >> value && name == key) return value;
    }
    return std::nullopt;
}

double stat_value(const std::filesystem::path& file, const std::string& key) {
    std::ifstream in(file);
    return keyed_number(in, key).value_or(0.0);
}

// Every group from `path` (relative to the hierarchy's mount) up to the
// mount itself. A group's limit binds all below it, and a process in a
// container may see its group's path from the host while the mount shows
// only its own subtree: the walk then finds the limits that exist.
// A group's usage counts the page cache of the files its processes read
// and wrote; the inactive part of it (`reclaimable` in memory.stat) is
// given back before the group runs out, as MemAvailable counts it too.
void visit_groups(const std::filesystem::path& mount, const std::string& path, const char* limit_file,
                  const char* usage_file, const char* reclaimable, cgroup_memory& m) {
    std::filesystem::path rel = std::filesystem::path(path).relative_path();
    for (;;) {
        const std::filesystem::path dir = mount / rel;
        if (const auto limit = read_bytes(dir / limit_file)) {
            m.limit = std::min(m.limit, *limit);
            const double usage = read_bytes(dir / usage_file).value_or(0.0),
                         cache = std::min(usage, stat_value(dir / "memory.stat", reclaimable));
            m.room = std::min(m.room, std::max(0.0, *limit - (usage - cache)));
        }
        if (rel.empty()) return;
        rel = rel.parent_path();
    }
}

double page_bytes() { return static_cast<double>(sysconf(_SC_PAGE_SIZE)); }

cgroup_memory this_process_cgroups() {
    std::ifstream in("/proc/self/cgroup");
    std::stringstream text;
    text << in.rdbuf();
    return read_cgroup_memory("/sys/fs/cgroup", text.str());
}

}  // namespace

cgroup_memory read_cgroup_memory(const std::filesystem::path& root, const std::string& self) {
    cgroup_memory m;
    std::istringstream lines(self);
    std::string line;
    // Each line is "hierarchy:controllers:path"; v2's has hierarchy 0 and no
    // controllers, v1's memory hierarchy lists "memory" among its controllers.
    while (std::getline(lines, line)) {
        const auto first = line.find(':'), second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) continue;
        const std::string id = line.substr(0, first), controllers = line.substr(first + 1, second - first - 1),
                          path = line.substr(second + 1);
        if (id == "0" && controllers.empty()) {
            const bool unified_root = std::filesystem::exists(root / "cgroup.controllers");
            visit_groups(unified_root ? root : root / "unified", path, "memory.max", "memory.current", "inactive_file",
                         m);
        } else {
            std::istringstream names(controllers);
            std::string name;
            while (std::getline(names, name, ','))
                if (name == "memory")
                    visit_groups(root / "memory", path, "memory.limit_in_bytes", "memory.usage_in_bytes",
                                 "total_inactive_file", m);
        }
    }
    return m;
}

std::string memory_limit::described() const {
    switch (set_by) {
        case source::control_group: return "the " + whole_gib(bytes) + " GiB this job's control group allows";
        case source::address_space: {
            char gib[32];
            std::snprintf(gib, sizeof gib, "%.1f", bytes / double(std::uint64_t{1} << 30));
            return "the " + std::string(gib) + " GiB of address space this process may still map (ulimit -v)";
        }
        case source::machine: break;
    }
    return "this machine's " + whole_gib(bytes) + " GiB";
}

memory_limit tightest_memory_limit(double machine, double control_group, double address_space_left) {
    memory_limit m{machine, memory_limit::source::machine};
    if (control_group < m.bytes) m = {control_group, memory_limit::source::control_group};
    if (address_space_left < m.bytes) m = {std::max(address_space_left, 0.0), memory_limit::source::address_space};
    return m;
}

double address_space_left(unsigned long long limit, const std::string& status) {
    if (limit == static_cast<unsigned long long>(RLIM_INFINITY)) return std::numeric_limits<double>::infinity();
    std::istringstream lines(status);
    return static_cast<double>(limit) - keyed_number(lines, "VmSize:").value_or(0.0) * 1024.0;
}

memory_limit process_memory_limit() {
    // Read once: every dataset read is weighed against it (a spike report
    // of 10,000 images is 20,000 reads), and a job's limit is set when it
    // starts.
    static const memory_limit limit = [] {
        const double machine = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * page_bytes();
        rlimit as{};
        double as_left = std::numeric_limits<double>::infinity();
        if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
            std::ifstream in("/proc/self/status");
            std::stringstream status;
            status << in.rdbuf();
            as_left = address_space_left(as.rlim_cur, status.str());
        }
        return tightest_memory_limit(machine, this_process_cgroups().limit, as_left);
    }();
    return limit;
}

double available_memory_bytes() {
    std::ifstream meminfo("/proc/meminfo");
    const std::optional<double> kib = keyed_number(meminfo, "MemAvailable:");
    const double available = kib ? *kib * 1024.0 : static_cast<double>(sysconf(_SC_AVPHYS_PAGES)) * page_bytes();
    return std::min(available, this_process_cgroups().room);
}

std::string whole_gib(double bytes) { return std::to_string(std::llround(bytes / 1073741824.0)); }

}  // namespace gust
