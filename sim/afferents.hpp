#pragma once
// How each graded population gathers its input, derived once from the
// network description and shared by every backend: afferent projections that
// use the same weight matrix form one group, whose delivered inputs are summed
// per source before one pass over the matrix (the reference computes
// W1 * (s + q) for the spike and its released copy). Kernels read the
// transposed matrix column by column (neurons/graded_layer.hpp).
#include <vector>

#include "sim/network.hpp"

namespace gust {

struct afferent_group {
    const weight_matrix* weights = nullptr;
    std::vector<std::size_t> projections;  // indices into network::projections
    std::size_t source = 0;                // every projection of a group has the same source
    bool spiking_source = false;
    fanout_matrix fanout;                  // all target rows, by source
    std::vector<fanout_matrix> slices;     // sparse weights split by partition (P > 1)

    // The fan-out to use for partition `part` (rows of its range).
    const fanout_matrix& fanout_of(std::size_t part) const { return slices.empty() ? fanout : slices[part]; }
};

// Offsets of `partitions` contiguous, balanced ranges of `size` units.
std::vector<std::size_t> partition_bounds(std::size_t size, std::size_t partitions);

struct afferent_plan {
    // groups[p]: the groups feeding population p (empty for the spiking one).
    std::vector<std::vector<afferent_group>> groups;
    // Populations read only as a spiking population's context: a backend may
    // evaluate just the rows it needs.
    std::vector<bool> context_only;

    // Partitions split every population into contiguous, balanced ranges.
    std::size_t partitions = 1;
    std::vector<std::vector<std::size_t>> bounds;  // bounds[p]: partitions + 1 offsets

    explicit afferent_plan(const network& net, std::size_t partitions = 1);
};

}  // namespace gust
