#pragma once
// A partition's list of rows summed in chunks that idle threads may take.
// An image's objects do not fall evenly on the partitions, so in a step one
// partition can have many more rows to sum than another; with one task per
// partition the other threads wait for it. The chunks are taken by whichever
// thread is free. Each row's sum is its own, so the bits do not depend on who
// sums it.
#include <cstddef>
#include <cstdint>

#include "core/weight_matrix.hpp"

namespace gust::event_detail {

// acc[i] += the sum of row rows[i] of the sparse W for i < n, as
// accumulate_sparse_row_list forms it.
void sum_rows_shared(const weight_matrix& W, const std::uint32_t* rows, std::size_t n, const float* dense_in,
                     float* acc);

}  // namespace gust::event_detail
