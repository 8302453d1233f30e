// The memory gust may hold: control-group limits read from trees laid out as
// the kernel mounts them (v2, v1, and both at once), and the limit named in
// refusals.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "core/machine_memory.hpp"

using namespace gust;
using gust::test::temp_dir;

namespace {

void put(const temp_dir& root, const std::string& file, const std::string& text) {
    const std::filesystem::path p = root.path() / file;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text << "\n";
}

constexpr double gib = 1073741824.0;

}  // namespace

TEST_CASE("machine memory: the tightest limit of a v2 group and its parents, and the least room under them",
          "[machine_memory]") {
    temp_dir root;
    put(root, "cgroup.controllers", "cpu memory pids");
    put(root, "job/memory.max", "8589934592");  // the job: 8 GiB, 6 of them used
    put(root, "job/memory.current", "6442450944");
    put(root, "job/step/memory.max", "max");  // the step: no limit of its own
    put(root, "job/step/memory.current", "1073741824");
    put(root, "job/step/task/memory.max", "12884901888");  // looser than the job's
    put(root, "job/step/task/memory.current", "1073741824");
    const cgroup_memory m = read_cgroup_memory(root.path(), "0::/job/step/task\n");
    CHECK(m.limit == 8 * gib);
    CHECK(m.room == 2 * gib);
    // A group that is not in the mount (a container's view of a host path)
    // still meets its parents' limits.
    CHECK(read_cgroup_memory(root.path(), "0::/job/other\n").limit == 8 * gib);
    CHECK(read_cgroup_memory(root.path(), "0::/\n").limit == std::numeric_limits<double>::infinity());
    // Inactive page cache is room: the kernel reclaims it first.
    put(root, "job/memory.stat", "anon 4294967296\nfile 2147483648\ninactive_file 1073741824\nactive_file 1");
    CHECK(read_cgroup_memory(root.path(), "0::/job/step/task\n").room == 3 * gib);
    // Usage above the limit leaves no room, not a negative one.
    put(root, "job/memory.current", "9663676416");
    CHECK(read_cgroup_memory(root.path(), "0::/job/step/task\n").room == 0.0);
}

TEST_CASE("machine memory: v1's memory hierarchy, v2 beside it, and what sets no limit", "[machine_memory]") {
    temp_dir root;
    // v1: the memory controller may share a hierarchy with others.
    put(root, "memory/batch/memory.limit_in_bytes", "4294967296");
    put(root, "memory/batch/memory.usage_in_bytes", "1073741824");
    put(root, "memory/memory.limit_in_bytes", "9223372036854771712");  // v1's "unlimited"
    const std::string v1 = "12:pids:/batch\n4:cpuacct,memory:/batch\n1:name=systemd:/batch\n";
    cgroup_memory m = read_cgroup_memory(root.path(), v1);
    CHECK(m.limit == 4 * gib);
    CHECK(m.room == 3 * gib);
    // v1 counts the hierarchy's cache as total_inactive_file.
    put(root, "memory/batch/memory.stat", "inactive_file 1\ntotal_inactive_file 536870912\n");
    CHECK(read_cgroup_memory(root.path(), v1).room == 3.5 * gib);
    // Hybrid: v2 in unified/ beside v1; the tighter of the two binds.
    put(root, "unified/batch/memory.max", "2147483648");
    put(root, "unified/batch/memory.current", "2000000000");
    m = read_cgroup_memory(root.path(), v1 + "0::/batch\n");
    CHECK(m.limit == 2 * gib);
    CHECK(m.room == 2147483648.0 - 2000000000.0);
    // Files that say nothing usable set no limit; lines without a path are skipped.
    for (const char* text : {"max", "lots", "-5", "12 GiB", ""}) {
        put(root, "memory/batch/memory.limit_in_bytes", text);
        CHECK(read_cgroup_memory(root.path(), "4:memory:/batch\nbroken line\n").limit ==
              std::numeric_limits<double>::infinity());
    }
    CHECK(read_cgroup_memory(root.path(), "").limit == std::numeric_limits<double>::infinity());
}

TEST_CASE("machine memory: refusals name the machine's memory, the control group's limit or the address space left",
          "[machine_memory]") {
    using source = memory_limit::source;
    CHECK(memory_limit{24 * gib, source::machine}.described() == "this machine's 24 GiB");
    CHECK(memory_limit{4 * gib, source::control_group}.described() == "the 4 GiB this job's control group allows");
    CHECK(memory_limit{3.8 * gib, source::address_space}.described() ==
          "the 3.8 GiB of address space this process may still map (ulimit -v)");
    // The least of the three.
    const double none = std::numeric_limits<double>::infinity();
    CHECK(tightest_memory_limit(24 * gib, none, none).set_by == source::machine);
    CHECK(tightest_memory_limit(24 * gib, 4 * gib, none).set_by == source::control_group);
    const memory_limit as = tightest_memory_limit(24 * gib, 4 * gib, 3 * gib);
    CHECK(as.set_by == source::address_space);
    CHECK(as.bytes == 3 * gib);
    CHECK(tightest_memory_limit(24 * gib, 2 * gib, 3 * gib).set_by == source::control_group);
    CHECK(tightest_memory_limit(24 * gib, none, -1.0).bytes == 0);  // mapped beyond the limit already: no room
    // RLIMIT_AS less what the process has mapped (VmSize, in kB).
    const std::string status = "Name:\tgust\nVmPeak:\t  300000 kB\nVmSize:\t  102400 kB\nVmRSS:\t 5000 kB\n";
    CHECK(address_space_left(4ull << 30, status) == 4 * gib - 100.0 * (1 << 20));
    CHECK(address_space_left(4ull << 30, "Name:\tgust\n") == 4 * gib);
    CHECK(address_space_left(static_cast<unsigned long long>(RLIM_INFINITY), status) == none);
    const memory_limit here = process_memory_limit();
    CHECK(here.bytes > 0);
    CHECK(available_memory_bytes() <= here.bytes * 1.01);  // what can be taken is within the limit
}

TEST_CASE("machine memory: under ulimit -v a network beyond the address space left is refused before it is drawn, "
          "gust init writes it as it draws it, and topology builds each rank's part in turn",
          "[machine_memory][cli]") {
    // Grid Engine's h_vmem and PBS's vmem limit a job this way. Not run under
    // the sanitizers, whose shadow memory needs terabytes of address space.
    gust::test::temp_dir dir;
    const auto limited = [&](const std::string& limit, const std::string& args) {
        return gust::test::run_command(
            "sh -c 'ulimit -v " + limit + " && exec " + std::string(GUST_BINARY) + " " + args + "'", dir);
    };
    const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";
    const gust::test::cli_result r = limited("2000000", "topology --network " + networks + "sparse_local_1g.toml");
    INFO(r.err);
    CHECK(gust::test::refused_in_one_line(r, "GiB of address space this process may still map (ulimit -v)"));
    CHECK(r.err.find("the network's weights need 8 GiB") != std::string::npos);

    // The same network on 600 x 600: 1.1 GiB of weights, which 0.95 GiB of
    // address space cannot hold, while gust init holds a block of rows.
    std::ifstream in(networks + "sparse_local_1g.toml");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"height = 1600", "height = 600"}, {"width = 1600", "width = 600"}, {"size = 320000", "size = 45000"}})
        text.replace(text.find(from), from.size(), to);
    std::ofstream(dir / "s600.toml") << text;
    const gust::test::cli_result held = limited("1000000", "topology --network " + (dir / "s600.toml"));
    CHECK(gust::test::refused_in_one_line(held, "the network's weights need 1 GiB"));
    // What each of 4 ranks would hold, each part built in turn (the same
    // account as the whole model's: test_held_rows.cpp).
    const gust::test::cli_result parts = limited("1000000", "topology --network " + (dir / "s600.toml") + " --population-ranks 4");
    INFO(parts.err);
    REQUIRE(parts.status == 0);
    CHECK(parts.out.find("each rank's part is built in turn") != std::string::npos);
    for (int r = 0; r < 4; ++r)
        CHECK(parts.out.find("rank " + std::to_string(r) + " of 4: 3") != std::string::npos);  // 36-37 M synapses each
    CHECK(parts.out.find("bandwidth") == std::string::npos);
    const gust::test::cli_result init = limited("1000000", "init --network " + (dir / "s600.toml") + " --out " + (dir / "m.h5"));
    INFO(init.err);
    REQUIRE(init.status == 0);
    CHECK(init.out.find("143428364 synapses") != std::string::npos);
    CHECK(std::filesystem::file_size(dir / "m.h5") > 1000000ull * 1024);  // beyond the address space
    CHECK(dir.file_count() == 2);  // the description and the model
}
