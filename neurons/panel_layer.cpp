#include "neurons/panel_layer.hpp"

#include <algorithm>
#include <cstring>

#include "neurons/graded_layer.hpp"

namespace gust {

namespace {
// Sixteen floats as one value (GCC/Clang vector extension): lane-wise adds
// keep every row's sum in input order.
typedef float v16 __attribute__((vector_size(64)));
inline v16 load16(const float* p) {
    v16 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store16(float* p, v16 v) { std::memcpy(p, &v, sizeof v); }

// Vectors per pass: 6 x 4 accumulators, 4 weights and a broadcast value fill
// 29 of the 32 AVX-512 registers. Each input costs 4 loads and 24 multiplies
// and adds, so the pass runs at the arithmetic units' rate.
constexpr std::size_t group = 6;

// NI vectors over one panel: acc[j][0..64) += values[j][c] * panel column c,
// for each c in cols, in order.
template <std::size_t NI>
void panel_pass(const float* panel, const std::uint32_t* cols, std::size_t count, const float* const* values,
                float* const* acc) {
    v16 a[NI][4];
    const float* v[NI];
    for (std::size_t j = 0; j < NI; ++j) {
        v[j] = values[j];
        for (std::size_t b = 0; b < 4; ++b) a[j][b] = load16(acc[j] + 16 * b);
    }
    for (std::size_t e = 0; e < count; ++e) {
        const std::uint32_t c = cols[e];
        const float* w = panel + static_cast<std::size_t>(c) * panel_height;
        const v16 w0 = load16(w), w1 = load16(w + 16), w2 = load16(w + 32), w3 = load16(w + 48);
        for (std::size_t j = 0; j < NI; ++j) {
            const float x = v[j][c];
            a[j][0] += x * w0;
            a[j][1] += x * w1;
            a[j][2] += x * w2;
            a[j][3] += x * w3;
        }
    }
    for (std::size_t j = 0; j < NI; ++j)
        for (std::size_t b = 0; b < 4; ++b) store16(acc[j] + 16 * b, a[j][b]);
}

void panel_pass(std::size_t n, const float* panel, const std::uint32_t* cols, std::size_t count,
                const float* const* values, float* const* acc) {
    switch (n) {
        case 6: panel_pass<6>(panel, cols, count, values, acc); break;
        case 5: panel_pass<5>(panel, cols, count, values, acc); break;
        case 4: panel_pass<4>(panel, cols, count, values, acc); break;
        case 3: panel_pass<3>(panel, cols, count, values, acc); break;
        case 2: panel_pass<2>(panel, cols, count, values, acc); break;
        case 1: panel_pass<1>(panel, cols, count, values, acc); break;
        default: break;
    }
}
static_assert(group == 6, "panel_pass dispatches up to six vectors");
}  // namespace

void panel_matrix::pack(const float* w, std::size_t rows_, std::size_t cols_) {
    rows = rows_;
    cols = cols_;
    data.assign(panels() * cols * panel_height, 0.0f);
    // Row by row: each row is read contiguously and written with a stride of
    // one panel column (256 bytes), within one panel.
    for (std::size_t r = 0; r < rows; ++r) {
        float* dst = data.data() + (r / panel_height) * cols * panel_height + r % panel_height;
        const float* src = w + r * cols;
        for (std::size_t c = 0; c < cols; ++c) dst[c * panel_height] = src[c];
    }
}

void panel_matrix::pack_rows(const float* w, std::size_t cols_, const std::uint32_t* which, std::size_t n) {
    rows = n;
    cols = cols_;
    data.assign(panels() * cols * panel_height, 0.0f);
    for (std::size_t r = 0; r < n; ++r) {
        float* dst = data.data() + (r / panel_height) * cols * panel_height + r % panel_height;
        const float* src = w + static_cast<std::size_t>(which[r]) * cols;
        for (std::size_t c = 0; c < cols; ++c) dst[c * panel_height] = src[c];
    }
}

void panel_layer(const panel_matrix& W, const float* bias, activation act, const float* in, std::size_t count,
                 float* out, panel_scratch& s) {
    const std::size_t rows = W.rows, cols = W.cols;
    // Per group of vectors, the inputs non-zero in any of them, ascending.
    // Branch-free: about half of a relu layer's outputs are zero, in no
    // pattern a branch could predict.
    const std::size_t groups = (count + group - 1) / group;
    s.list.resize(groups * cols);
    s.ptr.resize(groups + 1);
    s.ptr[0] = 0;
    std::size_t n_list = 0;
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t first = g * group, n = std::min(group, count - first);
        const float* v = in + first * cols;
        std::uint32_t* list = s.list.data() + n_list;
        std::size_t k = 0;
        for (std::size_t c = 0; c < cols; ++c) {
            bool any = false;
            for (std::size_t j = 0; j < n; ++j) any |= v[j * cols + c] != 0.0f;
            list[k] = static_cast<std::uint32_t>(c);
            k += any;
        }
        n_list += k;
        s.ptr[g + 1] = n_list;
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
        const std::size_t r0 = p * panel_height, height = std::min(panel_height, rows - r0);
        if (height < panel_height) s.tile.assign(group * panel_height, 0.0f);
        for (std::size_t g = 0; g < groups; ++g) {
            const std::size_t first = g * group, n = std::min(group, count - first);
            for (std::size_t j = 0; j < n; ++j) {
                values[j] = in + (first + j) * cols;
                float* o = out + (first + j) * rows + r0;
                // A partial panel's sums go to a tile of 64 rows (its padding
                // rows are sums of zero weights), and its real rows back.
                if (height < panel_height) {
                    std::copy(o, o + height, s.tile.data() + j * panel_height);
                    acc[j] = s.tile.data() + j * panel_height;
                } else {
                    acc[j] = o;
                }
            }
            panel_pass(n, panel, s.list.data() + s.ptr[g], s.ptr[g + 1] - s.ptr[g], values, acc);
            if (height < panel_height)
                for (std::size_t j = 0; j < n; ++j)
                    std::copy(acc[j], acc[j] + height, out + (first + j) * rows + r0);
        }
    }
    apply_activation(act, out, rows * count);
}

}  // namespace gust
