#pragma once
// Work split over the partitions of an image (contiguous ranges of every
// population, sim/afferents.hpp): each partition writes only its own rows,
// so they run in parallel without sharing a write.
#include <tbb/partitioner.h>

#include <cstddef>

#include "core/parallel_for.hpp"

namespace gust::event_detail {

// Runs f(q) for every partition q in [first, end) (this process's,
// afferent_plan::first_owned..end_owned): in parallel when there are
// several, inline (no task) when there is one.
template <class F>
void for_partitions(std::size_t first, std::size_t end, F&& f) {
    if (end - first == 1) {
        f(first);
        return;
    }
    gust::parallel_for(first, end, [&](std::size_t q) { f(q); }, tbb::static_partitioner());
}

}  // namespace gust::event_detail
