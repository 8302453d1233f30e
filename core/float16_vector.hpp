#pragma once
// Sixteen floats as one value (GCC/Clang vector extension): one AVX-512
// register, or two AVX/SSE ones where that is what the target has. Lane-wise
// adds keep every row's sum in input order, so kernels built on it keep the
// canonical order of neurons/graded_layer.hpp. Internal to the kernels and
// to the weight layouts they read.
#include <cstring>

namespace gust::simd {

typedef float v16 __attribute__((vector_size(64)));

inline v16 load16(const float* p) {
    v16 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store16(float* p, v16 v) { std::memcpy(p, &v, sizeof v); }

}  // namespace gust::simd
