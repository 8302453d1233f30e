// core/cpu_features.hpp: the CPU extensions a build assumed are asked of
// the CPU (CPUID, and the register state the kernel saves), and a CPU
// without them ends the program with one line and exit status 2 before
// anything else runs.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "core/cpu_features.hpp"

using namespace gust;
using gust::test::temp_dir;

namespace {

// A made-up CPU: basic leaves up to 7, extended ones up to 0x80000001,
// SSE2 and AVX2 with AVX state enabled, AVX-512F reported but its state
// not enabled, LZCNT; nothing else.
void fake_cpuid(std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t r[4]) {
    r[0] = r[1] = r[2] = r[3] = 0;
    if (leaf == 0) r[0] = 7;
    if (leaf == 0x80000000u) r[0] = 0x80000001u;
    if (leaf == 1) r[3] = 1u << 26, r[2] = (1u << 27) | (1u << 28);  // sse2; osxsave, avx
    if (leaf == 7 && subleaf == 0) r[1] = (1u << 5) | (1u << 16);     // avx2, avx512f
    if (leaf == 0x80000001u) r[2] = 1u << 5;                            // lzcnt
}
std::uint64_t fake_xcr0() { return 0x7; }  // x87, SSE and AVX state, no AVX-512 state
const cpu_probe fake{fake_cpuid, fake_xcr0};

const cpu_feature sse2{"sse2", 1, 0, 3, 26, 0}, avx{"avx", 1, 0, 2, 28, 1}, avx2{"avx2", 7, 0, 1, 5, 1},
    avx512f{"avx512f", 7, 0, 1, 16, 2}, bmi2{"bmi2", 7, 0, 1, 8, 0}, lzcnt{"lzcnt", 0x80000001u, 0, 2, 5, 0},
    clzero{"clzero", 0x80000008u, 0, 1, 0, 0}, xsaveopt{"xsaveopt", 0xD, 1, 0, 0, 0}, end{nullptr, 0, 0, 0, 0, 0};

std::string missing(std::vector<cpu_feature> needed, std::size_t* count = nullptr, std::size_t size = 256) {
    needed.push_back(end);
    std::string out(size, 'x');
    const std::size_t n = missing_cpu_features(needed.data(), fake, out.data(), size);
    if (count) *count = n;
    return out.c_str();
}

}  // namespace

TEST_CASE("cpu features: a feature is there when its CPUID bit is set within the CPU's leaves and its registers' "
          "state is enabled",
          "[cpu]") {
    std::size_t n = 0;
    CHECK(missing({sse2, avx, avx2, lzcnt}, &n).empty());
    CHECK(n == 0);
    CHECK(missing({bmi2}) == "bmi2");          // its bit is clear
    CHECK(missing({avx512f}) == "avx512f");    // its bit is set, but the kernel does not save its registers
    CHECK(missing({clzero}) == "clzero");      // a leaf beyond the CPU's highest extended one
    CHECK(missing({xsaveopt}) == "xsaveopt");  // a leaf beyond its highest basic one
    CHECK(missing({sse2, bmi2, avx2, avx512f, clzero}, &n) == "bmi2, avx512f, clzero");  // in the order asked
    CHECK(n == 3);
    // A small buffer is cut short, still terminated; the count is whole.
    CHECK(missing({bmi2, avx512f, clzero}, &n, 8) == "bmi2, a");
    CHECK(n == 3);
}

TEST_CASE("cpu features: the machine that built the tests has every extension the build assumed", "[cpu]") {
    // Each compiler macro is paired with a CPUID bit by hand
    // (core/cpu_build_features.cpp); a wrong pairing shows here, on the
    // machine -march=native was taken from.
    std::size_t assumed = 0;
    for (const cpu_feature* f = build_cpu_features; f->name; ++f) ++assumed;
    CHECK(assumed >= 2);  // x86-64 has SSE and SSE2 at least
    char out[1024];
    INFO("missing: " << (missing_cpu_features(build_cpu_features, this_cpu(), out, sizeof out), out));
    CHECK(missing_cpu_features(build_cpu_features, this_cpu(), out, sizeof out) == 0);
    CHECK_FALSE(cpu_refusal(build_cpu_features, this_cpu(), out, sizeof out));
}

TEST_CASE("cpu features: a CPU without them ends the process with one line naming them and exit status 2",
          "[cpu][bad-input]") {
    temp_dir dir;
    const std::string said = dir / "stderr";
    const std::vector<cpu_feature> needed{sse2, bmi2, avx512f, end};
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const int fd = ::open(said.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 2);
        require_cpu_features(needed.data(), fake);
        ::_exit(0);  // not reached when features are missing
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    std::ifstream in(said);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(text);
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    CHECK(text == "gust: this machine (" + std::string(host) +
                      ") lacks CPU extensions this build of gust was compiled for (-march=native on another "
                      "machine): bmi2, avx512f; build gust on a machine of this kind, or configure it with "
                      "-DGUST_NATIVE=OFF\n");
    // A CPU that has them all: the call returns.
    const std::vector<cpu_feature> present{sse2, avx2, end};
    require_cpu_features(present.data(), fake);
}
