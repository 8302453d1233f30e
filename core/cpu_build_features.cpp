// The extensions the compiler was told the CPU has (-march=native), read
// from its own predefined macros; compiled with the project's flags, unlike
// the check that reads it (core/cpu_features.hpp). Data only: nothing here
// runs. Each macro is paired with where CPUID reports the feature (Intel's
// and AMD's manuals, as GCC's cpuid.h names the bits) and the register
// state it needs; a macro that names no CPU feature is left out.
#include "core/cpu_features.hpp"

namespace gust {

const cpu_feature build_cpu_features[] = {
#if defined(__SSE__)
    {"sse", 1, 0, 3, 25, 0},
#endif
#if defined(__SSE2__)
    {"sse2", 1, 0, 3, 26, 0},
#endif
#if defined(__SSE3__)
    {"sse3", 1, 0, 2, 0, 0},
#endif
#if defined(__PCLMUL__)
    {"pclmul", 1, 0, 2, 1, 0},
#endif
#if defined(__SSSE3__)
    {"ssse3", 1, 0, 2, 9, 0},
#endif
#if defined(__FMA__)
    {"fma", 1, 0, 2, 12, 1},
#endif
#if defined(__SSE4_1__)
    {"sse4.1", 1, 0, 2, 19, 0},
#endif
#if defined(__SSE4_2__)
    {"sse4.2", 1, 0, 2, 20, 0},
#endif
#if defined(__MOVBE__)
    {"movbe", 1, 0, 2, 22, 0},
#endif
#if defined(__POPCNT__)
    {"popcnt", 1, 0, 2, 23, 0},
#endif
#if defined(__AES__)
    {"aes", 1, 0, 2, 25, 0},
#endif
#if defined(__XSAVE__)
    {"xsave", 1, 0, 2, 26, 0},
#endif
#if defined(__AVX__)
    {"avx", 1, 0, 2, 28, 1},
#endif
#if defined(__F16C__)
    {"f16c", 1, 0, 2, 29, 1},
#endif
#if defined(__RDRND__)
    {"rdrnd", 1, 0, 2, 30, 0},
#endif
#if defined(__FSGSBASE__)
    {"fsgsbase", 7, 0, 1, 0, 0},
#endif
#if defined(__BMI__)
    {"bmi", 7, 0, 1, 3, 0},
#endif
#if defined(__AVX2__)
    {"avx2", 7, 0, 1, 5, 1},
#endif
#if defined(__BMI2__)
    {"bmi2", 7, 0, 1, 8, 0},
#endif
#if defined(__AVX512F__)
    {"avx512f", 7, 0, 1, 16, 2},
#endif
#if defined(__AVX512DQ__)
    {"avx512dq", 7, 0, 1, 17, 2},
#endif
#if defined(__RDSEED__)
    {"rdseed", 7, 0, 1, 18, 0},
#endif
#if defined(__ADX__)
    {"adx", 7, 0, 1, 19, 0},
#endif
#if defined(__AVX512IFMA__)
    {"avx512ifma", 7, 0, 1, 21, 2},
#endif
#if defined(__CLFLUSHOPT__)
    {"clflushopt", 7, 0, 1, 23, 0},
#endif
#if defined(__CLWB__)
    {"clwb", 7, 0, 1, 24, 0},
#endif
#if defined(__AVX512CD__)
    {"avx512cd", 7, 0, 1, 28, 2},
#endif
#if defined(__SHA__)
    {"sha", 7, 0, 1, 29, 0},
#endif
#if defined(__AVX512BW__)
    {"avx512bw", 7, 0, 1, 30, 2},
#endif
#if defined(__AVX512VL__)
    {"avx512vl", 7, 0, 1, 31, 2},
#endif
#if defined(__AVX512VBMI__)
    {"avx512vbmi", 7, 0, 2, 1, 2},
#endif
#if defined(__AVX512VBMI2__)
    {"avx512vbmi2", 7, 0, 2, 6, 2},
#endif
#if defined(__GFNI__)
    {"gfni", 7, 0, 2, 8, 0},
#endif
#if defined(__VAES__)
    {"vaes", 7, 0, 2, 9, 1},
#endif
#if defined(__VPCLMULQDQ__)
    {"vpclmulqdq", 7, 0, 2, 10, 1},
#endif
#if defined(__AVX512VNNI__)
    {"avx512vnni", 7, 0, 2, 11, 2},
#endif
#if defined(__AVX512BITALG__)
    {"avx512bitalg", 7, 0, 2, 12, 2},
#endif
#if defined(__AVX512VPOPCNTDQ__)
    {"avx512vpopcntdq", 7, 0, 2, 14, 2},
#endif
#if defined(__RDPID__)
    {"rdpid", 7, 0, 2, 22, 0},
#endif
#if defined(__MOVDIRI__)
    {"movdiri", 7, 0, 2, 27, 0},
#endif
#if defined(__MOVDIR64B__)
    {"movdir64b", 7, 0, 2, 28, 0},
#endif
#if defined(__AVX512VP2INTERSECT__)
    {"avx512vp2intersect", 7, 0, 3, 8, 2},
#endif
#if defined(__AVX512FP16__)
    {"avx512fp16", 7, 0, 3, 23, 2},
#endif
#if defined(__AVXVNNI__)
    {"avxvnni", 7, 1, 0, 4, 1},
#endif
#if defined(__AVX512BF16__)
    {"avx512bf16", 7, 1, 0, 5, 2},
#endif
#if defined(__XSAVEOPT__)
    {"xsaveopt", 13, 1, 0, 0, 0},
#endif
#if defined(__XSAVEC__)
    {"xsavec", 13, 1, 0, 1, 0},
#endif
#if defined(__LZCNT__)
    {"lzcnt", 0x80000001, 0, 2, 5, 0},
#endif
#if defined(__SSE4A__)
    {"sse4a", 0x80000001, 0, 2, 6, 0},
#endif
#if defined(__PRFCHW__)
    {"prfchw", 0x80000001, 0, 2, 8, 0},
#endif
#if defined(__XOP__)
    {"xop", 0x80000001, 0, 2, 11, 1},
#endif
#if defined(__FMA4__)
    {"fma4", 0x80000001, 0, 2, 16, 1},
#endif
#if defined(__TBM__)
    {"tbm", 0x80000001, 0, 2, 21, 0},
#endif
#if defined(__MWAITX__)
    {"mwaitx", 0x80000001, 0, 2, 29, 0},
#endif
#if defined(__CLZERO__)
    {"clzero", 0x80000008, 0, 1, 0, 0},
#endif
#if defined(__WBNOINVD__)
    {"wbnoinvd", 0x80000008, 0, 1, 9, 0},
#endif
    {nullptr, 0, 0, 0, 0, 0},
};

}  // namespace gust
