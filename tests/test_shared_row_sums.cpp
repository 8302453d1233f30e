// A row list summed in chunks that idle threads take (sim/shared_row_sums):
// every row's sum has the bits of the list summed in one call, on one thread
// or several, whatever the list's length against the chunks.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <tbb/task_arena.h>

#include "neurons/graded_layer.hpp"
#include "sim/shared_row_sums.hpp"
#include "random_rows.hpp"

TEST_CASE("shared row sums: chunks taken by several threads give the bits of one call", "[shared-row-sums]") {
    // Rows of 0 to 60 synapses, 16-bit offsets as a local layer stores them.
    gust::weight_matrix W = gust::test::random_csr(3000, 400, 0, 60, 7);
    W.indices.narrow(W.indptr);
    const auto in = gust::test::random_input(W.cols, 11);
    // Lists shorter than two chunks (one call), exactly two, and longer and
    // ragged (its last chunk neither whole nor a multiple of eight rows).
    for (std::size_t n : {1023u, 1024u, 2601u}) {
        std::vector<std::uint32_t> rows;
        for (std::size_t i = 0; i < n; ++i) rows.push_back(static_cast<std::uint32_t>((i * 7 + i / 5) % W.rows));
        std::vector<float> start(n);
        for (std::size_t i = 0; i < n; ++i) start[i] = 0.5f * static_cast<float>(i % 3) - 0.25f;
        auto expect = start;
        gust::accumulate_sparse_row_list(W, rows.data(), n, in.data(), expect.data());
        for (int threads : {1, 2}) {
            auto got = start;
            tbb::task_arena(threads).execute(
                [&] { gust::event_detail::sum_rows_shared(W, rows.data(), n, in.data(), got.data()); });
            INFO("rows " << n << ", threads " << threads);
            CHECK(gust::test::bits(got) == gust::test::bits(expect));
        }
    }
}
