#pragma once
// Sixteen consecutive Philox4x32-10 blocks at once, one per vector lane:
// bit for bit the blocks Random123 makes one at a time (it has no vector
// Philox), for code that draws many blocks of one sequence (a billion
// initial weights, a row's sources). With AVX-512 a round takes two
// 32 x 32 -> 64-bit multiplies per eight lanes; elsewhere the blocks are
// made one by one.
#include <Random123/philox.h>

#include <cstdint>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace gust {

// GCC 12 warns inside its own AVX-512 header, where intrinsics start from
// _mm512_undefined_epi32() (GCC bug 105593), not about this code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// word[k][i] = word k of the block with counter {first + i, c1, c2, c3}
// under `key`, for i < 16.
inline void philox_sixteen(const r123::Philox4x32::key_type& key, std::uint32_t first, std::uint32_t c1,
                           std::uint32_t c2, std::uint32_t c3, std::uint32_t (&word)[4][16]) {
#if defined(__AVX512F__)
    // hi:lo = x * m per 32-bit lane: the even lanes' 64-bit products in
    // place, the odd lanes' from x with each pair of lanes swapped, then each
    // half put back in its lane (swapping pairs again).
    const auto swap_pairs = [](__m512i v) { return _mm512_shuffle_epi32(v, _MM_PERM_CDAB); };
    const auto mulhilo = [&](__m512i x, __m512i m, __m512i& hi, __m512i& lo) {
        const __m512i even = _mm512_mul_epu32(x, m), odd = _mm512_mul_epu32(swap_pairs(x), m);
        lo = _mm512_mask_blend_epi32(0xAAAA, even, swap_pairs(odd));
        hi = _mm512_mask_blend_epi32(0xAAAA, swap_pairs(even), odd);
    };
    const auto lane = [](std::uint32_t v) { return _mm512_set1_epi32(static_cast<int>(v)); };
    const __m512i m0 = lane(PHILOX_M4x32_0), m1 = lane(PHILOX_M4x32_1);
    __m512i x0 = _mm512_add_epi32(lane(first), _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    __m512i x1 = lane(c1), x2 = lane(c2), x3 = lane(c3);
    std::uint32_t k0 = key.v[0], k1 = key.v[1];
    for (int round = 0; round < 10; ++round) {
        __m512i hi0, lo0, hi1, lo1;
        mulhilo(x0, m0, hi0, lo0);
        mulhilo(x2, m1, hi1, lo1);
        x0 = _mm512_ternarylogic_epi32(hi1, x1, lane(k0), 0x96);  // three-way xor
        x1 = lo1;
        x2 = _mm512_ternarylogic_epi32(hi0, x3, lane(k1), 0x96);
        x3 = lo0;
        k0 += PHILOX_W32_0;
        k1 += PHILOX_W32_1;
    }
    _mm512_storeu_si512(word[0], x0);
    _mm512_storeu_si512(word[1], x1);
    _mm512_storeu_si512(word[2], x2);
    _mm512_storeu_si512(word[3], x3);
#else
    for (std::uint32_t i = 0; i < 16; ++i) {
        const auto r = r123::Philox4x32()(r123::Philox4x32::ctr_type{{first + i, c1, c2, c3}}, key);
        for (int k = 0; k < 4; ++k) word[k][i] = r.v[k];
    }
#endif
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace gust
