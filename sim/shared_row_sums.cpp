#include "sim/shared_row_sums.hpp"

#include <algorithm>

#include <tbb/task_arena.h>

#include "core/parallel_for.hpp"
#include "neurons/graded_layer.hpp"

namespace gust::event_detail {

void sum_rows_shared(const weight_matrix& W, const std::uint32_t* rows, std::size_t n, const float* dense_in,
                     float* acc) {
    // Chunks of 256 rows or more (a grain of 512 rows, about 65,000
    // synapses at 128 a row): long enough that neither a task nor the cold
    // start of the kernel's prefetches at a chunk's first rows costs much
    // beside them, short enough that a step's largest lists give every
    // thread many. Whole blocks of eight rows, the kernel's batch. With one
    // thread, one call: no chunk boundaries at all.
    constexpr std::size_t batch = 8, chunk = 512;
    if (n < 2 * chunk || tbb::this_task_arena::max_concurrency() == 1) {
        accumulate_sparse_row_list(W, rows, n, dense_in, acc);
        return;
    }
    const std::size_t blocks = (n + batch - 1) / batch;
    // Isolated: a thread waiting for the chunks takes none of the caller's
    // other tasks (another image's, or a training worker's, with state of
    // its own) in the middle of this one.
    tbb::this_task_arena::isolate([&] {
        gust::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, chunk / batch),
                           [&](const tbb::blocked_range<std::size_t>& r) {
                               const std::size_t b = r.begin() * batch, e = std::min(n, r.end() * batch);
                               accumulate_sparse_row_list(W, rows + b, e - b, dense_in, acc + b);
                           });
    });
}

}  // namespace gust::event_detail
