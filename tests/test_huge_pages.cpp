// core/huge_pages.hpp: a large array is asked onto transparent huge pages
// before it is first written (the mapping holding it carries the kernel's
// "hg" flag, MADV_HUGEPAGE), a small one is left alone, and either way the
// array is what resize would have made; fault_in leaves every page of its
// range in memory, whatever the thread count.
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <tbb/global_control.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/huge_pages.hpp"

namespace {

// The VmFlags of the mapping of this process that holds address p
// (/proc/self/smaps), or "" if none does.
std::string vm_flags_at(const void* p) {
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(' ') > line.find('-')) {
            inside = at >= lo && at < hi;
            continue;
        }
        if (inside && line.rfind("VmFlags:", 0) == 0) return line;
    }
    return "";
}

}  // namespace

TEST_CASE("huge pages: a large array is asked onto huge pages before it is written, a small one is not",
          "[huge-pages]") {
    std::vector<float> big;
    gust::resize_on_huge_pages(big, std::size_t{96} << 20 >> 2);  // 96 MiB
    REQUIRE(big.size() == std::size_t{96} << 20 >> 2);
    CHECK(big.front() == 0.0f);
    CHECK(big[big.size() / 2] == 0.0f);
    CHECK(big.back() == 0.0f);
    const std::string flags = vm_flags_at(big.data() + big.size() / 2);
    INFO(flags);
    REQUIRE_FALSE(flags.empty());
    CHECK(flags.find(" hg") != std::string::npos);

    std::vector<std::uint32_t> small = {7};
    gust::resize_on_huge_pages(small, std::size_t{1} << 18);  // 1 MiB: below the size asked for
    CHECK(small.size() == std::size_t{1} << 18);
    CHECK(small[0] == 7);
    CHECK(small[1] == 0);
    const std::string small_flags = vm_flags_at(small.data() + small.size() / 2);
    INFO(small_flags);
    REQUIRE_FALSE(small_flags.empty());
    CHECK(small_flags.find(" hg") == std::string::npos);

    // Grown again past its capacity: the values kept, the new storage asked for too.
    std::vector<float> grown(1000, 2.5f);
    gust::resize_on_huge_pages(grown, std::size_t{80} << 20 >> 2);
    CHECK(grown[999] == 2.5f);
    CHECK(grown[1000] == 0.0f);
    CHECK(vm_flags_at(grown.data() + grown.size() / 2).find(" hg") != std::string::npos);
}

TEST_CASE("huge pages: fault_in brings every page of its range into memory, zero, on one thread or two",
          "[huge-pages]") {
    constexpr std::size_t page = 4096, pages = 1500;  // not a whole number of 2 MiB chunks
    for (std::size_t threads : {1u, 2u}) {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        void* p = mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        REQUIRE(p != MAP_FAILED);
        std::vector<unsigned char> resident(pages, 1);
        REQUIRE(mincore(p, pages * page, resident.data()) == 0);
        CHECK(std::count_if(resident.begin(), resident.end(), [](unsigned char r) { return r & 1; }) == 0);
        gust::fault_in(p, pages * page);
        REQUIRE(mincore(p, pages * page, resident.data()) == 0);
        INFO(threads << " threads");
        CHECK(std::count_if(resident.begin(), resident.end(), [](unsigned char r) { return r & 1; }) == long(pages));
        const auto* c = static_cast<const unsigned char*>(p);
        CHECK(std::count(c, c + pages * page, 0) == long(pages * page));
        munmap(p, pages * page);
    }
}
