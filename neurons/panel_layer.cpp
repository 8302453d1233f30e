#include "neurons/panel_layer.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "neurons/float16_vector.hpp"
#include "neurons/graded_layer.hpp"

namespace gust {

namespace {
using simd::v16;
using simd::load16;
using simd::store16;

// Vectors per pass: 6 x 4 accumulators, 4 weights and a broadcast value fill
// 29 of the 32 AVX-512 registers. Each input costs 4 loads and 24 multiplies
// and adds, so the pass runs at the arithmetic units' rate.
constexpr std::size_t group = 6;

// NI vectors over one panel of 16 NV rows: acc[j][0..16 NV) += values[j][c]
// * panel column c, for each c in cols, in order.
template <std::size_t NI, std::size_t NV>
void panel_pass(const float* panel, const std::uint32_t* cols, std::size_t count, const float* const* values,
                float* const* acc) {
    v16 a[NI][NV];
    const float* v[NI];
    for (std::size_t j = 0; j < NI; ++j) {
        v[j] = values[j];
        for (std::size_t b = 0; b < NV; ++b) a[j][b] = load16(acc[j] + 16 * b);
    }
    for (std::size_t e = 0; e < count; ++e) {
        const std::uint32_t c = cols[e];
        const float* w = panel + static_cast<std::size_t>(c) * (16 * NV);
        v16 wb[NV];
        for (std::size_t b = 0; b < NV; ++b) wb[b] = load16(w + 16 * b);
        for (std::size_t j = 0; j < NI; ++j) {
            const float x = v[j][c];
            for (std::size_t b = 0; b < NV; ++b) a[j][b] += x * wb[b];
        }
    }
    for (std::size_t j = 0; j < NI; ++j)
        for (std::size_t b = 0; b < NV; ++b) store16(acc[j] + 16 * b, a[j][b]);
}

template <std::size_t NV>
void panel_pass(std::size_t n, const float* panel, const std::uint32_t* cols, std::size_t count,
                const float* const* values, float* const* acc) {
    switch (n) {
        case 6: panel_pass<6, NV>(panel, cols, count, values, acc); break;
        case 5: panel_pass<5, NV>(panel, cols, count, values, acc); break;
        case 4: panel_pass<4, NV>(panel, cols, count, values, acc); break;
        case 3: panel_pass<3, NV>(panel, cols, count, values, acc); break;
        case 2: panel_pass<2, NV>(panel, cols, count, values, acc); break;
        case 1: panel_pass<1, NV>(panel, cols, count, values, acc); break;
        default: break;
    }
}
static_assert(group == 6, "panel_pass dispatches up to six vectors");

void panel_pass(std::size_t height, std::size_t n, const float* panel, const std::uint32_t* cols, std::size_t count,
                const float* const* values, float* const* acc) {
    switch (height) {
        case 64: panel_pass<4>(n, panel, cols, count, values, acc); break;
        case 48: panel_pass<3>(n, panel, cols, count, values, acc); break;
        case 32: panel_pass<2>(n, panel, cols, count, values, acc); break;
        case 16: panel_pass<1>(n, panel, cols, count, values, acc); break;
        default: break;
    }
}

// The vectors' inputs non-zero in any of them (n vectors of `cols` values,
// one after another), ascending, into list; returns their number. Sixteen
// columns at a time, then a compaction without branches: about half of a
// relu layer's outputs are zero, in no pattern a branch could predict.
std::size_t nonzero_union(const float* v, std::size_t n, std::size_t cols, std::uint32_t* list) {
    typedef std::int32_t i16 __attribute__((vector_size(64)));
    std::size_t k = 0, c = 0;
    for (; c + 16 <= cols; c += 16) {
        i16 any = {};
        for (std::size_t j = 0; j < n; ++j) any |= load16(v + j * cols + c) != 0.0f;
        for (std::size_t l = 0; l < 16; ++l) {
            list[k] = static_cast<std::uint32_t>(c + l);
            k += any[l] & 1;
        }
    }
    for (; c < cols; ++c) {
        bool any = false;
        for (std::size_t j = 0; j < n; ++j) any |= v[j * cols + c] != 0.0f;
        list[k] = static_cast<std::uint32_t>(c);
        k += any;
    }
    return k;
}
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

void panel_layer(const panel_matrix& W, const float* bias, activation act, const float* in, std::size_t count,
                 float* out, panel_scratch& s) {
    const std::size_t rows = W.rows, cols = W.cols;
    // Per group of vectors, the inputs non-zero in any of them, ascending.
    const std::size_t groups = (count + group - 1) / group;
    s.list.resize(groups * cols);
    s.ptr.resize(groups + 1);
    s.ptr[0] = 0;
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t first = g * group, n = std::min(group, count - first);
        s.ptr[g + 1] = s.ptr[g] + nonzero_union(in + first * cols, n, cols, s.list.data() + s.ptr[g]);
    }

    for (std::size_t j = 0; j < count; ++j) {
        if (bias) std::copy(bias, bias + rows, out + j * rows);
        else std::fill(out + j * rows, out + (j + 1) * rows, 0.0f);
    }
    // Panel by panel (one panel's weights, up to 200 KB, stay in the L2
    // cache while every group passes over them).
    const float* values[group];
    float* acc[group];
    for (std::size_t p = 0; p < W.panels(); ++p) {
        const float* panel = W.data.data() + p * cols * panel_height;
        const std::size_t r0 = p * panel_height, h = W.height(p), real = std::min(h, rows - r0);
        // Rows that are not a multiple of 16 leave the last panel's sums to a
        // tile (its padding rows are sums of zero weights), then its real rows
        // go back.
        const bool tiled = real < h;
        if (tiled) s.tile.assign(group * h, 0.0f);
        for (std::size_t g = 0; g < groups; ++g) {
            const std::size_t first = g * group, n = std::min(group, count - first);
            for (std::size_t j = 0; j < n; ++j) {
                values[j] = in + (first + j) * cols;
                float* o = out + (first + j) * rows + r0;
                if (tiled) {
                    std::copy(o, o + real, s.tile.data() + j * h);
                    acc[j] = s.tile.data() + j * h;
                } else {
                    acc[j] = o;
                }
            }
            panel_pass(h, n, panel, s.list.data() + s.ptr[g], s.ptr[g + 1] - s.ptr[g], values, acc);
            if (tiled)
                for (std::size_t j = 0; j < n; ++j) std::copy(acc[j], acc[j] + real, out + (first + j) * rows + r0);
        }
    }
    apply_activation(act, out, rows * count);
}

}  // namespace gust
