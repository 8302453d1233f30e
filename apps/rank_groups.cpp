#include "apps/rank_groups.hpp"

#include <string>

#include "core/error.hpp"

namespace gust::cli {

rank_groups group_ranks(std::size_t per_group, const communicator& job) {
    if (job.size() % per_group != 0)
        throw input_error("--population-ranks " + std::to_string(per_group) + ": does not divide the " +
                          std::to_string(job.size()) + (job.size() == 1 ? " process" : " ranks mpirun started"));
    rank_groups g;
    g.count = job.size() / per_group;
    g.index = job.rank() / per_group;
    g.leader = job.rank() % per_group == 0;
    if (per_group > 1) g.group = job.split(g.index);
    return g;
}

void check_rank_parts(const rank_groups& g, std::size_t partitions, const network& net) {
    if (!g.group) return;
    const std::size_t parts = g.group->size() * partitions;
    for (const auto& pop : net.populations)
        if (pop.size < parts)
            throw input_error("--population-ranks " + std::to_string(g.group->size()) + " x --partitions " +
                              std::to_string(partitions) + ": " + std::to_string(parts) +
                              " parts, more than the " + std::to_string(pop.size) + " units of population '" +
                              pop.name + "'");
}

}  // namespace gust::cli
