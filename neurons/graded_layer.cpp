#include "neurons/graded_layer.hpp"

#include <cmath>

namespace gust {

float dot(const float* a, const float* b, std::size_t n) {
    // Eight independent lanes let the compiler keep them in vector registers
    // without reassociating anything (no -ffast-math needed).
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t j = 0; j < 8; ++j) s[j] += a[i + j] * b[i + j];
    for (std::size_t j = 0; i < n; ++i, ++j) s[j] += a[i] * b[i];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

void matvec_rows(const float* W, std::size_t cols, const float* in, float* acc, std::size_t row_begin,
                 std::size_t row_end) {
    for (std::size_t r = row_begin; r < row_end; ++r) acc[r] += dot(W + r * cols, in, cols);
}

void accumulate_columns(const float* WT, std::size_t rows, const column_input* in, std::size_t count,
                        float* acc, std::size_t row_begin, std::size_t row_end) {
    for (std::size_t e = 0; e < count; ++e) {
        const float* col = WT + static_cast<std::size_t>(in[e].source) * rows;
        const float v = in[e].value;
        if (v == 1.0f) {  // the common case: one spike, no multiply
            for (std::size_t r = row_begin; r < row_end; ++r) acc[r] += col[r];
        } else {
            for (std::size_t r = row_begin; r < row_end; ++r) acc[r] += v * col[r];
        }
    }
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
