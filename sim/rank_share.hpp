#pragma once
// Which share of each image's work one process does when several simulate
// each image together (sim_options::ranks): it is process `rank` of
// `ranks`, each owning `partitions` consecutive partitions of every
// population. Its share decides what it uses of the network (its own rows,
// and the rows its readers pull), so what it holds of the model
// (sim/held_rows.hpp) and what it reads of the others' rows
// (sim/exchange_plan.hpp).
#include <cstddef>
#include <vector>

namespace gust {

struct rank_share {
    std::size_t partitions = 1, rank = 0, ranks = 1;
    // The run records states: each process records its own rows of every
    // population, so it uses all of them, of a demand-driven population
    // (computed only where read) too.
    bool records_states = false;
    // Where each process's part of every population begins, as a fraction
    // of its units: ranks + 1 values from 0 to 1 (sim/rank_split.hpp), or
    // empty for equal parts.
    std::vector<double> split{};
};

}  // namespace gust
