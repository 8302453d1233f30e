#pragma once
// How each graded population gathers its input, derived once from the
// network description and shared by every backend: afferent projections that
// use the same weight matrix form one group, whose delivered inputs are summed
// per source before one pass over the matrix (the reference computes
// W1 * (s + q) for the spike and its released copy). Kernels read the
// transposed matrix column by column (neurons/graded_layer.hpp).
#include <vector>

#include "core/procedural_synapses.hpp"
#include "neurons/graded_layer.hpp"
#include "sim/network.hpp"

namespace gust {

struct afferent_group {
    const weight_matrix* weights = nullptr;
    std::vector<std::size_t> projections;  // indices into network::projections
    std::size_t source = 0;                // every projection of a group has the same source
    bool spiking_source = false;
    // A sparse set fed by a graded source is summed row by row from `weights`
    // (its input is a whole vector, about half of it non-zero, so a row's
    // gather reads what a scatter would, without a second copy of every
    // weight); its fan-out, built only where a backend asks for it
    // (afferent_plan::add_listing_tables), holds targets only, to find the
    // rows a change reaches. Spikes are scattered through a fan-out that
    // holds the weights.
    bool by_rows = false;
    // All target rows, by source. When slices exist it keeps only its shape
    // and flag (rows, cols, dense) and no synapses: each synapse is held once,
    // in the slice of its target row. Read the synapses through fanout_of,
    // accumulate_rows, accumulate_all_rows or out_degree, which serve either
    // layout.
    fanout_matrix fanout;
    std::vector<fanout_matrix> slices;     // sparse weights split by partition (P > 1)
    // A procedural set (core/procedural_synapses.hpp) has neither: its
    // fan-out keeps only its shape, and a source's targets are regenerated
    // from the rule, restricted to a partition's rows by these bounds.
    std::vector<std::size_t> row_bounds;   // the target population's partition bounds
    // A by_rows local set's receptive fields, once add_listing_tables has
    // found every synapse in its row's field (always so for a procedural
    // set): the rows a change reaches are then found on the grid
    // (sim/grid_reach.hpp) and no table is built. Null otherwise.
    const local_window* fields = nullptr;
    std::size_t owned_begin = 0, owned_end = 0;  // the rows of this process's partitions

    // The fan-out to use for partition `part` (rows of its range); not for a procedural set.
    const fanout_matrix& fanout_of(std::size_t part) const { return slices.empty() ? fanout : slices[part]; }

    // f(target row) for each target of `source` among partition part's rows, ascending (sparse sets).
    template <class F>
    void for_each_target(std::size_t part, std::uint32_t source, F&& f) const {
        if (weights->procedural())
            weights->rule->for_each_target(source, row_bounds[part], row_bounds[part + 1], f);
        else
            fanout_of(part).for_each_target(source, [&](std::uint32_t r, std::uint32_t) { f(r); });
    }

    // acc[r] += the input's contributions for the rows [row_begin, row_end)
    // of partition `part`: `in` lists the non-zero entries of `dense_in`
    // (which only a set summed by rows reads; null for spikes).
    void accumulate_rows(std::size_t part, std::size_t row_begin, std::size_t row_end, const column_input* in,
                         std::size_t count, const float* dense_in, float* acc) const;

    // The same for every target row r, as the whole table would: each row
    // lies in exactly one slice, and within it gets its terms in input order,
    // so going slice after slice adds the same terms to each row in the same
    // order.
    void accumulate_all_rows(const column_input* in, std::size_t count, const float* dense_in, float* acc) const;

    // acc[r] += W * in for every target row r, `in` the group's whole input
    // vector: scattered from its non-zero entries (listed into `scratch`), or
    // gathered row by row for a set summed by rows, which needs no list.
    void accumulate_vector(const float* in, std::vector<column_input>& scratch, float* acc) const;

    // The number of synapses of `source` (its targets; every row if dense)
    // among this process's rows, for a group whose table is built (a
    // spiking source's always is): summed over the slices when the synapses
    // live there (this process's slices are the only ones built).
    std::size_t out_degree(std::uint32_t source) const;
};

// Offsets of `partitions` contiguous ranges of `size` units: equal ones,
// or with `split` (R + 1 fractions from 0 to 1, R dividing `partitions`)
// the units from split[r] to split[r + 1] of them for the partitions of
// process r, equal among those. A split that would leave a partition empty
// gives equal ranges.
std::vector<std::size_t> partition_bounds(std::size_t size, std::size_t partitions,
                                          const std::vector<double>& split = {});

struct afferent_plan {
    // groups[p]: the groups feeding population p (empty for the spiking one).
    std::vector<std::vector<afferent_group>> groups;
    // Populations read only as a spiking population's context: a backend may
    // evaluate just the rows it needs.
    std::vector<bool> context_only;

    // Partitions split every population into contiguous ranges, equal or
    // as the processes' split gives them (partition_bounds).
    std::size_t partitions = 1;
    std::vector<std::vector<std::size_t>> bounds;  // bounds[p]: partitions + 1 offsets

    // Partitions [first_owned, end_owned) are this process's (all of them
    // unless several processes share each image, sim/partition_exchange.hpp):
    // only their slices of the fan-out tables are built.
    std::size_t first_owned = 0, end_owned = 1;

    // Builds the fan-out tables that spikes and dense sets are scattered
    // through; a by_rows group keeps only its fan-out's shape.
    explicit afferent_plan(const network& net, std::size_t partitions = 1);
    afferent_plan(const network& net, std::size_t partitions, std::size_t first_owned, std::size_t end_owned,
                  const std::vector<double>& split = {});

    // Prepares the by_rows groups of every population p with listed[p]
    // for finding the rows their sources' changes reach
    // (sim/dirty_rows_update.hpp): on the grid where the set is local and
    // its synapses lie in their fields (`fields`), else through a table of
    // targets, built here. No other reader needs those tables, and at a
    // billion synapses they would take more than a byte per synapse.
    void add_listing_tables(const network& net, const std::vector<bool>& listed);

private:
    // Builds, in parallel, the tables of the groups (p, g) with want(p, g).
    template <class Want>
    void build_tables(Want want);
};

}  // namespace gust
