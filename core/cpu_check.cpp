// The check of core/cpu_features.hpp. Compiled for the baseline x86-64
// (CMakeLists.txt) and written against the C library alone, so that it runs
// on any x86-64 CPU whatever the rest of the build assumed.
#include <cpuid.h>
#include <unistd.h>

#include <cstring>

#include "core/cpu_features.hpp"

namespace gust {

namespace {

void real_cpuid(std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t regs[4]) {
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
}

std::uint64_t real_xcr0() {
    std::uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (std::uint64_t{hi} << 32) | lo;
}

// Whether the state `state` needs is enabled: the kernel saves the SSE and
// AVX registers (XCR0 bits 1, 2), and for AVX-512 its mask and upper
// registers too (bits 5-7). XGETBV exists when CPUID leaf 1 says OSXSAVE.
bool state_enabled(std::uint8_t state, const cpu_probe& cpu) {
    if (state == 0) return true;
    std::uint32_t r[4];
    cpu.cpuid(1, 0, r);
    if (!(r[2] & (1u << 27))) return false;
    const std::uint64_t need = state == 1 ? 0x6 : 0xe6;
    return (cpu.xcr0() & need) == need;
}

bool has(const cpu_feature& f, const cpu_probe& cpu) {
    std::uint32_t r[4];
    cpu.cpuid(f.leaf & 0x80000000u, 0, r);  // the highest leaf of the range
    if (r[0] < f.leaf) return false;
    cpu.cpuid(f.leaf, f.subleaf, r);
    return ((r[f.reg] >> f.bit) & 1u) && state_enabled(f.state, cpu);
}

// Appends `text` to the NUL-terminated `out` of `size` bytes, cutting it short.
void append(char* out, std::size_t size, const char* text) {
    const std::size_t at = std::strlen(out), n = std::strlen(text);
    const std::size_t room = size - 1 - at, k = n < room ? n : room;
    std::memcpy(out + at, text, k);
    out[at + k] = '\0';
}

}  // namespace

cpu_probe this_cpu() { return {real_cpuid, real_xcr0}; }

std::size_t missing_cpu_features(const cpu_feature* needed, const cpu_probe& cpu, char* out, std::size_t size) {
    if (size > 0) out[0] = '\0';
    std::size_t missing = 0;
    for (const cpu_feature* f = needed; f->name; ++f) {
        if (has(*f, cpu)) continue;
        if (size > 0) {
            if (missing > 0) append(out, size, ", ");
            append(out, size, f->name);
        }
        ++missing;
    }
    return missing;
}

bool cpu_refusal(const cpu_feature* needed, const cpu_probe& cpu, char* line, std::size_t size) {
    char missing[1024];
    if (missing_cpu_features(needed, cpu, missing, sizeof missing) == 0) return false;
    char host[256] = "?";
    if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
    host[sizeof host - 1] = '\0';
    line[0] = '\0';
    append(line, size, "this machine (");
    append(line, size, host);
    append(line, size, ") lacks CPU extensions this build of gust was compiled for (-march=native on another machine): ");
    append(line, size, missing);
    append(line, size, "; build gust on a machine of this kind, or configure it with -DGUST_NATIVE=OFF");
    return true;
}

void require_cpu_features(const cpu_feature* needed, const cpu_probe& cpu) {
    char line[2048] = "gust: ";
    if (!cpu_refusal(needed, cpu, line + 6, sizeof line - 7)) return;
    std::strcat(line, "\n");
    const std::size_t n = std::strlen(line);
    for (std::size_t at = 0; at < n;) {
        const ssize_t w = ::write(2, line + at, n - at);
        if (w <= 0) break;
        at += static_cast<std::size_t>(w);
    }
    ::_exit(2);
}

}  // namespace gust
