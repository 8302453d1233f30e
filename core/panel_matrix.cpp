#include "core/panel_matrix.hpp"

#include <utility>

#include "core/float16_vector.hpp"

namespace gust {

namespace {
using simd::v16;
using simd::load16;
using simd::store16;
}  // namespace

namespace {
// 16 x 16 floats transposed in registers: four rounds, each of which swaps
// the off-diagonal blocks of size B within every block of size 2B
// (B = 8, 4, 2, 1), one two-register shuffle per row.
template <std::size_t B, std::size_t... L>
v16 block_low(v16 a, v16 b, std::index_sequence<L...>) {
    return __builtin_shufflevector(a, b, ((L & B) == 0 ? L : 16 + L - B)...);
}
template <std::size_t B, std::size_t... L>
v16 block_high(v16 a, v16 b, std::index_sequence<L...>) {
    return __builtin_shufflevector(a, b, ((L & B) == 0 ? L + B : 16 + L)...);
}
template <std::size_t B>
void swap_blocks(v16* m) {
    for (std::size_t i = 0; i < 16; ++i)
        if ((i & B) == 0) {
            const v16 low = block_low<B>(m[i], m[i + B], std::make_index_sequence<16>{});
            const v16 high = block_high<B>(m[i], m[i + B], std::make_index_sequence<16>{});
            m[i] = low;
            m[i + B] = high;
        }
}

// Packs the rows row(0), row(1), ... (each `cols` floats): sixteen rows by
// sixteen columns at a time, read as rows and written as panel columns. Every
// value of the panels is written, the padding rows with zeros.
template <class Row>
void pack_panels(panel_matrix& m, Row row) {
    const std::size_t cols = m.cols;
    for (std::size_t p = 0; p < m.panels(); ++p) {
        const std::size_t r0 = p * panel_height, h = m.height(p), real = std::min(h, m.rows - r0);
        float* dst = m.data.data() + p * cols * panel_height;
        for (std::size_t k0 = 0; k0 < h; k0 += 16) {
            const float* src[16];
            for (std::size_t i = 0; i < 16; ++i) src[i] = k0 + i < real ? row(r0 + k0 + i) : nullptr;
            std::size_t c0 = 0;
            for (; c0 + 16 <= cols; c0 += 16) {
                v16 t[16];
                for (std::size_t i = 0; i < 16; ++i) t[i] = src[i] ? load16(src[i] + c0) : v16{};
                swap_blocks<8>(t);
                swap_blocks<4>(t);
                swap_blocks<2>(t);
                swap_blocks<1>(t);
                for (std::size_t l = 0; l < 16; ++l) store16(dst + (c0 + l) * h + k0, t[l]);
            }
            for (; c0 < cols; ++c0)
                for (std::size_t i = 0; i < 16; ++i) dst[c0 * h + k0 + i] = src[i] ? src[i][c0] : 0.0f;
        }
    }
}
}  // namespace

void panel_matrix::pack(const float* w, std::size_t rows_, std::size_t cols_) {
    rows = rows_;
    cols = cols_;
    data.resize(size());
    pack_panels(*this, [&](std::size_t r) { return w + r * cols; });
}

void panel_matrix::pack_rows(const float* w, std::size_t cols_, const std::uint32_t* which, std::size_t n) {
    rows = n;
    cols = cols_;
    data.resize(size());
    pack_panels(*this, [&](std::size_t r) { return w + static_cast<std::size_t>(which[r]) * cols; });
}

}  // namespace gust
