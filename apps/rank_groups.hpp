#pragma once
// The ranks of `gust run` and `gust compare` in groups, for
// --population-ranks K: each K consecutive ranks simulate every image of
// their share together, each owning a part of every population
// (sim/partition_exchange.hpp); the groups share the images as single
// ranks do without the option.
#include <cstddef>
#include <memory>

#include "sim/communicator.hpp"
#include "sim/network.hpp"

namespace gust::cli {

struct rank_groups {
    std::unique_ptr<communicator> group;  // this rank's group, when K > 1
    std::size_t index = 0, count = 1;     // this rank's group among the groups
    bool leader = true;                   // the group's first rank, which keeps its records
};

// Refuses (naming --population-ranks) a K that does not divide the ranks.
rank_groups group_ranks(std::size_t per_group, const communicator& job);

// Refuses a group whose ranks x partitions exceed a population's units.
void check_rank_parts(const rank_groups& g, std::size_t partitions, const network& net);

}  // namespace gust::cli
