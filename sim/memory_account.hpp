#pragma once
// What a network holds in memory, by structure: its weight sets as stored
// (dense values; or CSR values, source indices and row offsets) and the
// fan-out tables a plan built from them (the same synapses by source; for
// sparse sets with several partitions, split into one slice per partition,
// each synapse in one slice; only the tables a run reads, sim/afferents.hpp). A procedural set holds neither:
// its synapses are counted (the expected number, not enumerated) at the
// few bytes of its rule. `gust topology` and the Python module report it
// per synapse.
#include <cstddef>

#include "core/fanout_matrix.hpp"
#include "core/weight_matrix.hpp"
#include "sim/afferents.hpp"
#include "sim/network.hpp"

namespace gust {

double weight_set_bytes(const weight_matrix& w);
double fanout_bytes(const fanout_matrix& f);

struct memory_account {
    std::size_t synapses = 0;   // of the weight sets (a shared set counted once; a procedural set's expected count)
    double weights = 0;         // bytes of the weight sets
    double fanouts = 0;         // bytes of the fan-out tables of `plan`
};

memory_account account_memory(const network& net, const afferent_plan& plan);

}  // namespace gust
