#include "neurons/graded_layer.hpp"

#include <cmath>
#include <cstring>
#include <vector>

namespace gust {

namespace {
// Eight floats as one value (GCC/Clang vector extension): lowered to AVX or
// SSE as available. Lane-wise adds keep every row's sum in input order.
typedef float v8 __attribute__((vector_size(32)));
inline v8 load8(const float* p) {
    v8 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store8(float* p, v8 v) { std::memcpy(p, &v, sizeof v); }
}  // namespace

void accumulate_columns(const float* WT, std::size_t rows, const column_input* in, std::size_t count,
                        float* acc, std::size_t row_begin, std::size_t row_end) {
    // A block of 32 rows stays in registers while every input is added to it,
    // in input order; blocks are independent, so this is the canonical order.
    std::size_t r0 = row_begin;
    for (; r0 + 32 <= row_end; r0 += 32) {
        v8 a0 = load8(acc + r0), a1 = load8(acc + r0 + 8), a2 = load8(acc + r0 + 16), a3 = load8(acc + r0 + 24);
        for (std::size_t e = 0; e < count; ++e) {
            const float* col = WT + static_cast<std::size_t>(in[e].source) * rows + r0;
            const float v = in[e].value;  // v * w == w exactly for a spike (v = 1)
            a0 += v * load8(col);
            a1 += v * load8(col + 8);
            a2 += v * load8(col + 16);
            a3 += v * load8(col + 24);
        }
        store8(acc + r0, a0);
        store8(acc + r0 + 8, a1);
        store8(acc + r0 + 16, a2);
        store8(acc + r0 + 24, a3);
    }
    for (; r0 + 8 <= row_end; r0 += 8) {
        v8 a0 = load8(acc + r0);
        for (std::size_t e = 0; e < count; ++e)
            a0 += in[e].value * load8(WT + static_cast<std::size_t>(in[e].source) * rows + r0);
        store8(acc + r0, a0);
    }
    for (std::size_t r = r0; r < row_end; ++r) {
        float a = acc[r];
        for (std::size_t e = 0; e < count; ++e) a += in[e].value * WT[static_cast<std::size_t>(in[e].source) * rows + r];
        acc[r] = a;
    }
}

void nonzero_inputs(const float* in, std::size_t n, std::vector<column_input>& out) {
    out.clear();
    for (std::size_t i = 0; i < n; ++i)
        if (in[i] != 0.0f) out.push_back({static_cast<std::uint32_t>(i), in[i]});
}

void accumulate_fanout(const fanout_matrix& f, const column_input* in, std::size_t count, float* acc,
                       std::size_t row_begin, std::size_t row_end) {
    if (f.dense) {
        accumulate_columns(f.wt.data(), f.rows, in, count, acc, row_begin, row_end);
        return;
    }
    for (std::size_t e = 0; e < count; ++e) {
        const float v = in[e].value;
        for (std::uint32_t s = f.col_ptr[in[e].source]; s < f.col_ptr[in[e].source + 1]; ++s)
            acc[f.targets[s]] += v * f.values[s];
    }
}

float accumulate_row(const weight_matrix& W, std::size_t row, const column_input* in, std::size_t count,
                     const float* dense_in, float acc) {
    if (!W.sparse()) {
        const float* w = W.w.data() + row * W.cols;
        for (std::size_t e = 0; e < count; ++e) acc += in[e].value * w[in[e].source];
        return acc;
    }
    for (std::uint32_t s = W.indptr[row]; s < W.indptr[row + 1]; ++s) {
        const float v = dense_in[W.indices[s]];
        if (v != 0.0f) acc += v * W.w[s];
    }
    return acc;
}

float apply_activation(activation act, float v) {
    switch (act) {
        case activation::relu: return v > 0.0f ? v : 0.0f;
        case activation::sigmoid: return 1.0f / (1.0f + std::exp(-v));
    }
    return v;
}

void apply_activation(activation act, float* v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) v[i] = apply_activation(act, v[i]);
}

}  // namespace gust
