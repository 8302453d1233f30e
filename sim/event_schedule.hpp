#pragma once
// How the event backend advances each population, decided once per run from
// the network and the populations the caller records: the spiking
// population by its candidates; a graded population whole, row by row when
// few rows can differ from rest, or row by row on demand of its readers.
#include <cstddef>
#include <vector>

#include "sim/afferents.hpp"
#include "sim/network.hpp"
#include "sim/rest_state.hpp"

namespace gust::event_detail {

enum class advance {
    spiking,      // sim/spiking_update.hpp
    whole_layer,  // sim/whole_layer_update.hpp
    // Sparse layers whose inputs are spikes or graded populations advanced
    // whole or row by row, always released: only the rows that can differ
    // from rest are computed (sim/dirty_rows_update.hpp), the whole layer
    // when too many can.
    dirty_rows,
    // Read only through rows that are needed: the spiking population's
    // context, and (the chain behind it) graded populations read only at
    // delay 0 through sparse weights by demand-driven ones
    // (sim/demand_rows.hpp). In a sparse network with local connectivity the
    // rows the candidates need are a small part of each layer.
    demand_rows,
};

class population_schedule {
public:
    // Decided by the network alone (its plan's groups, which populations
    // have a rest value, the evaluation order), not by what is recorded:
    // probes read a demand-driven population row by row like the spiking
    // population does. Held by event_setup, decided once per run.
    population_schedule(const network& net, const afferent_plan& plan, const rest_state& rest,
                        const std::vector<std::size_t>& order);

    advance how(std::size_t p) const { return how_[p]; }
    bool demand_driven(std::size_t p) const { return how_[p] == advance::demand_rows; }

private:
    std::vector<advance> how_;
};

}  // namespace gust::event_detail
