#pragma once
// Eigen, for the learning code's GEMMs. GCC 12 reports -Wmaybe-uninitialized
// inside its own AVX-512 intrinsic headers when Eigen's packet code is
// inlined (a false positive: the "uninitialised" operand is a don't-care
// vector); it fires at the intrinsic header's location, so it is silenced
// before that header is first included.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Dense>
