#pragma once
// Whether this machine's CPU has the instruction-set extensions the build
// was compiled for. gust is built with -march=native (GUST_NATIVE, the
// default): a build made on one machine and started on another of an older
// kind (an MPI machine file naming compute nodes older than the machine
// that built gust) would die of an illegal instruction in its first vector
// loop, and under mpirun take the job down with a signal instead of a
// reason. The check (core/cpu_check.cpp) runs before any such code: that
// file is compiled for the baseline x86-64 and uses the C library only,
// never a C++ template of which the linker might keep a copy compiled for
// the native machine. It asks the CPU itself (CPUID, and XGETBV for the
// register state the kernel saves), as the compiler did for -march=native;
// /proc/cpuinfo may leave out features a virtual machine's CPU has.
#include <cstddef>
#include <cstdint>

namespace gust {

// One extension: its name as the compiler's -m option spells it, the CPUID
// leaf and subleaf and the bit of register `reg` (0 eax, 1 ebx, 2 ecx,
// 3 edx) that report it, and the register state it needs the kernel to
// save (0 none, 1 AVX's, 2 AVX-512's too).
struct cpu_feature {
    const char* name;
    std::uint32_t leaf, subleaf;
    std::uint8_t reg, bit, state;
};

// The extensions the build assumed (core/cpu_build_flags.cpp); a name of
// nullptr ends the list.
extern const cpu_feature build_cpu_features[];

// How the check asks a CPU: CPUID of (leaf, subleaf) into eax..edx, and the
// enabled register state (XCR0; called only when CPUID says the kernel
// enabled XGETBV).
struct cpu_probe {
    void (*cpuid)(std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t regs[4]);
    std::uint64_t (*xcr0)();
};
cpu_probe this_cpu();

// Writes into `out` (`size` bytes, always NUL-terminated) the names of the
// features of `needed` that `cpu` lacks, joined by ", "; returns how many.
std::size_t missing_cpu_features(const cpu_feature* needed, const cpu_probe& cpu, char* out, std::size_t size);

// Whether `cpu` lacks features of `needed`; if so, writes into `line`
// (`size` bytes, NUL-terminated) one line saying so that names them, this
// machine's host name and the remedy.
bool cpu_refusal(const cpu_feature* needed, const cpu_probe& cpu, char* line, std::size_t size);

// When `cpu` lacks features of `needed`, writes that line to stderr
// ("gust: " first) and ends the process with exit status 2; otherwise
// returns.
void require_cpu_features(const cpu_feature* needed, const cpu_probe& cpu);

}  // namespace gust
