#pragma once
// A projection's synapses grouped by source (CSC): for each source unit, the
// target rows it reaches, ascending, and (where spikes are scattered through
// it) their weights. This is how spikes fan out and how a changed source finds
// the rows it touches; it can be restricted to a range of target rows so that
// each partition writes only its own.
//
// It is the largest structure of a large sparse run besides the weights, so
// it holds no more than its users read:
// - a target takes 16 bits, its distance from the source's first target,
//   when every source's targets span fewer than 2^16 rows (receptive fields
//   on a grid do), else 32 bits;
// - weights are copied only when asked for (`with_values`): sets fed by a
//   graded source are summed row by row from the weight set itself.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/panel_matrix.hpp"
#include "core/weight_matrix.hpp"

namespace gust {

struct fanout_matrix {
    std::size_t rows = 0, cols = 0;
    bool dense = true;
    panel_matrix panels;                   // dense: the whole matrix, as the dense kernels read it

    std::vector<std::uint32_t> col_ptr;    // sparse: cols + 1 offsets into the entries
    std::vector<std::uint32_t> first;      // narrow: each source's first target
    std::vector<std::uint16_t> near;       // narrow: target - first[source] of each entry
    std::vector<std::uint32_t> targets;    // wide: target row of each entry
    std::vector<float> values;             // with values: weight of each entry
    // Sparse: the sources with a target among these rows lie in [reached_begin,
    // reached_end). A partition's slice of a local projection is reached
    // from about its own part of the source layer, so a walk over a step's
    // changed sources (ascending) need visit only those.
    std::uint32_t reached_begin = 0, reached_end = 0;

    bool narrow() const { return !first.empty(); }
    std::size_t entries() const { return col_ptr.empty() ? 0 : col_ptr.back(); }
    std::size_t out_degree(std::uint32_t source) const { return col_ptr[source + 1] - col_ptr[source]; }

    // f(target, entry) for each target of `source` (sparse), ascending.
    template <class F>
    void for_each_target(std::uint32_t source, F&& f) const {
        const std::uint32_t begin = col_ptr[source], end = col_ptr[source + 1];
        if (narrow()) {
            const std::uint32_t base = first[source];
            for (std::uint32_t s = begin; s < end; ++s) f(base + near[s], s);
        } else {
            for (std::uint32_t s = begin; s < end; ++s) f(targets[s], s);
        }
    }

    // Asks memory for what for_each_target(source) reads first: a step's
    // changed sources lie far apart, each a few cache misses (its offsets,
    // then its targets) that a walk over them would otherwise wait for one
    // after another. Targets need the offsets: ask for them later.
    void prefetch_offsets(std::uint32_t source) const {
        __builtin_prefetch(col_ptr.data() + source);
        if (narrow()) __builtin_prefetch(first.data() + source);
    }
    void prefetch_targets(std::uint32_t source) const {
        const std::uint32_t begin = col_ptr[source];
        if (narrow()) __builtin_prefetch(near.data() + begin);
        else __builtin_prefetch(targets.data() + begin);
    }

    // Rows [row_begin, row_end) of W, by source: turned in `pieces` ranges
    // of rows in parallel (0: one for a small set, one per oneTBB worker for
    // a large one), the same table for any number.
    static fanout_matrix build(const weight_matrix& W, std::size_t row_begin, std::size_t row_end,
                               bool with_values = true, std::size_t pieces = 0);
};

}  // namespace gust
