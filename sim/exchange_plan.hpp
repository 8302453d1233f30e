#pragma once
// Which rows of each population the processes sharing an image read of
// each other's (sim/partition_exchange.hpp), worked out once when the
// engine is built: of a graded population its values, of a spiking one its
// spikes. A process reads, of a population p computed by others:
// the sources, through each afferent set fed by p, of the rows it uses of
// the set's target. It uses its own rows of every population computed whole
// or row by row; of a demand-driven one, the rows its readers pull: its
// spiking neurons' context rows, and the sources of the rows it uses of a
// demand-driven reader. A dense set reads every source row. Each process
// works out what it reads; one all-to-all tells each owner who reads which
// of its rows.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/communicator.hpp"
#include "sim/event_setup.hpp"

namespace gust::event_detail {

struct exchange_plan {
    // [population][process]: the rows of that process this one reads,
    // ascending (empty for this process, and for demand-driven populations,
    // which are not exchanged).
    std::vector<std::vector<std::vector<std::uint32_t>>> receive;
    // [population][process]: this process's rows that process reads, ascending.
    std::vector<std::vector<std::vector<std::uint32_t>>> send;
    // [population]: for each of this process's rows (from its first), the
    // processes that read it: readers[p][reader_at[p][i] ..  reader_at[p][i + 1]).
    std::vector<std::vector<std::uint32_t>> reader_at, readers;
    // The processes this one sends rows or spikes of some population to,
    // and those it receives from, ascending; and [process]: whether it is
    // one of them. p sends to q exactly when q receives from p.
    std::vector<std::size_t> to, from;
    std::vector<char> sends_to, receives_from;
    // The graph of those pairs, for the per-step exchanges.
    std::shared_ptr<const neighbourhood> neighbours;
};

// A collective of `ranks`: every process calls it with the same network.
// It also makes the neighbourhood.
exchange_plan plan_exchange(const event_setup& s, const communicator& ranks);

// Recomputes s.rest so that every row a process reads of the others' layers
// holds its owner's rest value: with a model split by hold_rows
// (sim/held_rows.hpp) only a row's owner holds its weights. Layer after
// layer, in the order rest values are defined, each process sends the rows
// the others read as soon as it has computed them, to its neighbours.
void share_rest(event_setup& s, const exchange_plan& plan);

}  // namespace gust::event_detail
