#pragma once
// A network prepared once for the event backend and shared, read-only, by
// every image and thread: the afferent plan and its partitions, the rest
// values, the evaluation order, how each population is advanced, and where
// each population's spikes go.
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "sim/afferents.hpp"
#include "sim/communicator.hpp"
#include "sim/event_schedule.hpp"
#include "sim/network.hpp"
#include "sim/rest_state.hpp"

namespace gust {

namespace event_detail {
struct exchange_plan;
}

struct event_setup {
    const network& net;
    afferent_plan plan;
    rest_state rest;
    std::vector<std::size_t> order;
    // Read from the plan's groups and the rest values (which populations have
    // one), not from its tables: decided before the tables it needs.
    event_detail::population_schedule schedule;
    // For each population, the (target population, group) its spikes feed.
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> fanout;
    // The processes that share each image's partitions (several), or null,
    // and which rows of each graded population each reads of the others'.
    const communicator* ranks = nullptr;
    std::shared_ptr<const event_detail::exchange_plan> exchange;
    // Of those processes, each records its own rows of every population
    // (rank_share::records_states), so it uses all of them.
    bool records_own_rows = false;

    event_setup(const network& n, std::size_t partitions) : event_setup(n, partitions, 0, partitions) {}
    // Partitions [first_owned, end_owned) of `partitions` are this process's.
    // Without `with_rest` the rest values are left zero (which populations
    // have one is known), for a caller that computes them with the other
    // processes (sim/exchange_plan.hpp) or needs none.
    // The plan's listing tables are built for the populations the schedule
    // advances by dirty rows (sim/event_schedule.hpp), and for no other.
    // With `split`, the processes' parts of every population are as it
    // gives them (partition_bounds).
    event_setup(const network& n, std::size_t partitions, std::size_t first_owned, std::size_t end_owned,
                bool with_rest = true, const std::vector<double>& split = {});
};

}  // namespace gust
