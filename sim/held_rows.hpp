#pragma once
// What one of several processes that simulate each image together
// (sim_options::ranks) uses of a network, and the model it needs for that.
// It uses its own rows of every population that is computed whole, row by
// row or spiking; of a demand-driven population, the rows its readers pull:
// its neurons' context rows and, down the chain, their sources. Of every
// stored sparse weight set it needs only the rows it uses of the set's
// target, so hold_rows fills just those and the model is split among the
// processes as the work is. The rows it reads of the others' layers are
// worked out from the same rows (sim/exchange_plan.hpp).
#include <cstddef>
#include <functional>
#include <vector>

#include "core/weight_matrix.hpp"
#include "sim/memory_account.hpp"
#include "sim/network_model.hpp"
#include "sim/rank_share.hpp"

namespace gust {

struct event_setup;

namespace event_detail {

// Marks in `sources` every source of the rows of W marked in `rows` (of a
// procedural set, every candidate of them: a superset, found without
// drawing).
// Sources in [known_lo, known_hi) need not be marked: a stored row whose
// sources all lie there (its first and last, as they ascend) is passed
// over, so a process asking only which rows of other processes it reads
// walks the few rows near its borders instead of all its synapses.
void mark_sources(const weight_matrix& W, const std::vector<char>& rows, std::vector<char>& sources,
                  std::size_t known_lo = 0, std::size_t known_hi = 0);

// The rows this process (the owner of s.plan's first_owned..end_owned
// partitions) uses of every population, [population][row]; of a
// demand-driven one all its own too when s.records_own_rows. `ready(t, rows)`
// is called for each population t once its rows are final and before the
// sources of its rows are marked, when its weight sets may be filled.
std::vector<std::vector<char>> used_rows(
    const event_setup& s, const std::function<void(std::size_t population, const std::vector<char>& rows)>& ready = {});

}  // namespace event_detail

// Fills rows [lo, hi) of stored sparse weight set `set` (the k-th projection
// owning one) into W, whose other rows stay empty.
using row_filler = std::function<void(std::size_t set, std::size_t lo, std::size_t hi, weight_matrix& W)>;

// m's stored sparse sets come with every row empty. Fills, of each, the rows
// from the first to the last that the process of `share` uses.
void hold_rows(network_model& m, const rank_share& share, const row_filler& fill);

// Stored synapses of m (held rows only, for a model hold_rows filled).
std::size_t stored_synapses(const network_model& m);

// What the process of `share` holds of net's whole model once hold_rows has
// split it: every weight set (of a stored sparse one the rows hold_rows
// fills; the others whole), the synapses among them, and its partitions'
// fan-out tables.
memory_account rank_memory(const network& net, const rank_share& share);

}  // namespace gust
