#pragma once
// Work split over the partitions of an image (contiguous ranges of every
// population, sim/afferents.hpp): each partition writes only its own rows,
// so they run in parallel without sharing a write.
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <cstddef>

namespace gust::event_detail {

// Runs f(q) for every partition q < parts: in parallel when there are
// several, inline (no task) when there is one.
template <class F>
void for_partitions(std::size_t parts, F&& f) {
    if (parts == 1) {
        f(std::size_t{0});
        return;
    }
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t q) { f(q); }, tbb::static_partitioner());
}

}  // namespace gust::event_detail
