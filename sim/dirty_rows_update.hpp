#pragma once
// A sparse graded population advanced row by row: a row whose inputs all
// hold their rest values and that no spike reached computes exactly its rest
// value (same inputs, same order), so only the rows that can differ are
// computed and the others hold the rest value. Those rows are the targets of
// this step's spikes and of the source rows that changed at the delivered
// step, each partition finding its own: through its slice of the fan-out,
// or on the grid where the set is local (sim/grid_reach.hpp; the rows whose
// fields hold a changed source, a few more than its synapses reach).
// A history slot this updater wrote is the rest value but for the rows it
// listed, so only those are put back when the slot is used again.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/event_backend.hpp"
#include "sim/event_image_state.hpp"
#include "sim/event_schedule.hpp"
#include "sim/partition_exchange.hpp"
#include "sim/row_set.hpp"

namespace gust::event_detail {

class dirty_rows_update {
public:
    // `exchange`, when other processes own some partitions, makes them agree
    // on the choice between listed rows and the whole layer.
    dirty_rows_update(const event_setup& s, partition_exchange* exchange);

    // Forgets which rows were listed, for a new image.
    void reset();

    // Population p (advance::dirty_rows, not at rest) at step k: computes
    // the rows that can differ from rest, records them in state.changed(p, k)
    // and returns true; or returns false, computing nothing, when the whole
    // layer is cheaper (too many rows in some partition) or needed (a source
    // changed whole).
    bool update(std::size_t p, std::int64_t k, event_image_state& state, event_stats& st);

    // Adds the rows summed from lists since reset() and their runs to
    // st.listed_rows and st.listed_runs.
    void add_counts(event_stats& st) const;

private:
    // Lists into `changed` the rows of p that can differ at step k; false
    // when the whole layer must be computed instead. First brings the slot back
    // to rest: the rows `changed` still lists from the slot's last use, or
    // the whole range if the slot was written whole since.
    bool find_rows(std::size_t p, std::int64_t k, event_image_state& state, changed_rows& changed);

    // The layer at rest except the listed rows, each computed in the
    // kernels' order.
    void compute_rows(std::size_t p, std::int64_t k, event_image_state& state, changed_rows& changed);

    const event_setup& s_;
    const network& net_;
    std::vector<std::vector<row_set>> listed_;         // [population][partition]: the rows being listed
    std::vector<std::vector<float>> sums_;              // [partition]: the listed rows' sums being formed
    std::vector<listed_counts> counts_;                 // [partition]: rows summed from lists since reset()
    std::vector<char> partition_ok_;                   // find_rows(): each partition's verdict
    partition_exchange* exchange_;
};

}  // namespace gust::event_detail
