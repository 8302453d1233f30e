#pragma once
// The receptive-field reconstruction loss of docs/model.md, for one image:
//   R  = (1/T) sum_t C_last[t]        R^ = R / (sum R + 1e-6)
//   y^ = y / (sum y + 1e-6)           loss = sum_i (y^_i - R^_i)^2
// computed in double (the reference uses float32; the difference is far
// below the 1e-5 relative agreement the golden traces ask for).
#include <cstddef>

namespace gust::learning {

// ctx_last: T rows of n contexts (the last cycle, phase by phase); clean: the
// uncorrupted image y. When d_ctx is not null it receives d loss / d C_last[t][i],
// which is the same for every phase t, so n values are written.
double receptive_field_loss(const float* ctx_last, const float* clean, std::size_t T, std::size_t n,
                            float* d_ctx);

}  // namespace gust::learning
