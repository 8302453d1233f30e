#include "neurons/graded_layer_backward.hpp"

namespace gust {

void graded_layer_backward(const weight_matrix& W, const float* da, const float* in, float* dW, float* d_in) {
    for (std::size_t r = 0; r < W.rows; ++r) {
        const float a = da[r];
        if (a == 0.0f) continue;
        if (W.sparse()) {
            for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s) {
                const std::uint32_t source = W.indices.at(r, s);
                dW[s] += a * in[source];
                d_in[source] += W.w[s] * a;
            }
        } else {
            float* dw = dW + r * W.cols;
            const float* w = W.w.data() + r * W.cols;
            for (std::size_t i = 0; i < W.cols; ++i) {
                dw[i] += a * in[i];
                d_in[i] += w[i] * a;
            }
        }
    }
}

}  // namespace gust
