#include "neurons/panel_layer.hpp"

#include <algorithm>

#include "core/float16_vector.hpp"

namespace gust {

namespace {
using simd::v16;
using simd::load16;
using simd::store16;

// Vectors per pass: 6 x 4 accumulators, 4 weights and a broadcast value fill
// 29 of the 32 AVX-512 registers. Each input costs 4 loads and 24 multiplies
// and adds, so the pass runs at the arithmetic units' rate.
constexpr std::size_t group = 6;

// Where a pass finds its inputs: a list of (column, value) for one vector...
struct listed_inputs {
    const column_input* in;
    std::uint32_t column(std::size_t e) const { return in[e].source; }
    float value(std::size_t, std::size_t e) const { return in[e].value; }
};
// ... or a list of columns and each vector's values.
struct vector_inputs {
    const std::uint32_t* cols;
    const float* const* v;
    std::uint32_t column(std::size_t e) const { return cols[e]; }
    float value(std::size_t j, std::size_t e) const { return v[j][cols[e]]; }
};

// NI vectors over one panel of 16 NV rows: acc[j][0..16 NV) += value(j, e)
// * panel column column(e), for each e < count, in order.
template <std::size_t NI, std::size_t NV, class Inputs>
void panel_pass(const float* panel, const Inputs& in, std::size_t count, float* const* acc) {
    v16 a[NI][NV];
    for (std::size_t j = 0; j < NI; ++j)
        for (std::size_t b = 0; b < NV; ++b) a[j][b] = load16(acc[j] + 16 * b);
    for (std::size_t e = 0; e < count; ++e) {
        const float* w = panel + static_cast<std::size_t>(in.column(e)) * (16 * NV);
        v16 wb[NV];
        for (std::size_t b = 0; b < NV; ++b) wb[b] = load16(w + 16 * b);
        for (std::size_t j = 0; j < NI; ++j) {
            const float x = in.value(j, e);
            for (std::size_t b = 0; b < NV; ++b) a[j][b] += x * wb[b];
        }
    }
    for (std::size_t j = 0; j < NI; ++j)
        for (std::size_t b = 0; b < NV; ++b) store16(acc[j] + 16 * b, a[j][b]);
}

template <std::size_t NV, class Inputs>
void panel_pass(std::size_t n, const float* panel, const Inputs& in, std::size_t count, float* const* acc) {
    switch (n) {
        case 6: panel_pass<6, NV>(panel, in, count, acc); break;
        case 5: panel_pass<5, NV>(panel, in, count, acc); break;
        case 4: panel_pass<4, NV>(panel, in, count, acc); break;
        case 3: panel_pass<3, NV>(panel, in, count, acc); break;
        case 2: panel_pass<2, NV>(panel, in, count, acc); break;
        case 1: panel_pass<1, NV>(panel, in, count, acc); break;
        default: break;
    }
}
static_assert(group == 6, "panel_pass dispatches up to six vectors");

template <class Inputs>
void panel_pass(std::size_t height, std::size_t n, const float* panel, const Inputs& in, std::size_t count,
                float* const* acc) {
    switch (height) {
        case 64: panel_pass<4>(n, panel, in, count, acc); break;
        case 48: panel_pass<3>(n, panel, in, count, acc); break;
        case 32: panel_pass<2>(n, panel, in, count, acc); break;
        case 16: panel_pass<1>(n, panel, in, count, acc); break;
        default: break;
    }
}

// Up to six vectors' rows [row_begin, row_end), panel by panel. A panel the
// range covers whole is summed in place; one it covers in part (a partition
// border, or the last panel's rows that are not a multiple of 16) is summed
// in a tile whose other rows start at zero and are dropped: every row's sum
// is still its own canonical sum.
template <class Inputs>
void panels_over_rows(const panel_matrix& W, const Inputs& in, std::size_t count, float* const* acc,
                      std::size_t n, std::size_t p, std::size_t row_begin, std::size_t row_end) {
    const std::size_t r0 = p * panel_height, h = W.height(p);
    const std::size_t a = std::max(row_begin, r0), b = std::min(row_end, std::min(r0 + h, W.rows));
    if (a == r0 && b == r0 + h) {
        float* at[group] = {};
        for (std::size_t j = 0; j < n; ++j) at[j] = acc[j] + r0;
        panel_pass(h, n, W.panel(p), in, count, at);
        return;
    }
    alignas(64) float tile[group][panel_height] = {};
    float* at[group] = {};
    for (std::size_t j = 0; j < n; ++j) {
        std::copy(acc[j] + a, acc[j] + b, tile[j] + (a - r0));
        at[j] = tile[j];
    }
    panel_pass(h, n, W.panel(p), in, count, at);
    for (std::size_t j = 0; j < n; ++j) std::copy(tile[j] + (a - r0), tile[j] + (b - r0), acc[j] + a);
}

// The inputs non-zero in any of n vectors of `cols` values, ascending, into
// list; returns their number. Sixteen columns at a time, then a compaction
// without branches: about half of a relu layer's outputs are zero, in no
// pattern a branch could predict.
std::size_t nonzero_union(const float* const* v, std::size_t n, std::size_t cols, std::uint32_t* list) {
    typedef std::int32_t i16 __attribute__((vector_size(64)));
    std::size_t k = 0, c = 0;
    for (; c + 16 <= cols; c += 16) {
        i16 any = {};
        for (std::size_t j = 0; j < n; ++j) any |= load16(v[j] + c) != 0.0f;
        for (std::size_t l = 0; l < 16; ++l) {
            list[k] = static_cast<std::uint32_t>(c + l);
            k += any[l] & 1;
        }
    }
    for (; c < cols; ++c) {
        bool any = false;
        for (std::size_t j = 0; j < n; ++j) any |= v[j][c] != 0.0f;
        list[k] = static_cast<std::uint32_t>(c);
        k += any;
    }
    return k;
}
}  // namespace

void accumulate_panels(const panel_matrix& W, const column_input* in, std::size_t count, float* acc,
                       std::size_t row_begin, std::size_t row_end) {
    if (row_begin >= row_end) return;
    const listed_inputs inputs{in};
    float* const at[1] = {acc};
    for (std::size_t p = row_begin / panel_height; p * panel_height < row_end; ++p)
        panels_over_rows(W, inputs, count, at, 1, p, row_begin, row_end);
}

void accumulate_panels_batch(const panel_matrix& W, const float* const* in, float* const* acc,
                             std::size_t vectors, std::size_t row_begin, std::size_t row_end, panel_scratch& s) {
    if (row_begin >= row_end || vectors == 0) return;
    // Per group of six vectors, the inputs non-zero in any of them.
    const std::size_t groups = (vectors + group - 1) / group;
    s.list.resize(groups * W.cols);
    s.ptr.resize(groups + 1);
    s.ptr[0] = 0;
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t first = g * group, n = std::min(group, vectors - first);
        s.ptr[g + 1] = s.ptr[g] + nonzero_union(in + first, n, W.cols, s.list.data() + s.ptr[g]);
    }
    // Panel by panel (one panel's weights, up to 200 KB, stay in the L2
    // cache while every group passes over them).
    for (std::size_t p = row_begin / panel_height; p * panel_height < row_end; ++p)
        for (std::size_t g = 0; g < groups; ++g) {
            const std::size_t first = g * group, n = std::min(group, vectors - first);
            const vector_inputs inputs{s.list.data() + s.ptr[g], in + first};
            panels_over_rows(W, inputs, s.ptr[g + 1] - s.ptr[g], acc + first, n, p, row_begin, row_end);
        }
}

void panel_layer(const panel_matrix& W, const float* bias, activation act, const float* in, std::size_t count,
                 float* out, panel_scratch& s) {
    const std::size_t rows = W.rows, cols = W.cols;
    s.in.resize(count);
    s.out.resize(count);
    for (std::size_t j = 0; j < count; ++j) {
        s.in[j] = in + j * cols;
        s.out[j] = out + j * rows;
        if (bias) std::copy(bias, bias + rows, s.out[j]);
        else std::fill(s.out[j], s.out[j] + rows, 0.0f);
    }
    accumulate_panels_batch(W, s.in.data(), s.out.data(), count, 0, rows, s);
    apply_activation(act, out, rows * count);
}

}  // namespace gust
