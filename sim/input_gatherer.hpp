#pragma once
// This step's input of every afferent group of a graded population, as the
// event backend forms it: spikes from the router (scattered into a vector
// too when sparse rows look them up by source), graded sources from their
// history or rest value, summed over the group's projections with their
// release draws as the dense backend sums them. Also says whether every
// input holds its rest value, the condition for the layer to rest.
#include <cstddef>
#include <cstdint>

#include "sim/draw_source.hpp"
#include "sim/event_backend.hpp"
#include "sim/event_image_state.hpp"
#include "sim/event_schedule.hpp"
#include "sim/spike_router.hpp"

namespace gust::event_detail {

class input_gatherer {
public:
    input_gatherer(const event_setup& s, const draw_source& draws)
        : s_(s), net_(s.net), schedule_(s.schedule), draws_(draws) {}

    // Fills state.input(p, g) for every group g of p at step k; true if
    // every input holds its rest value.
    bool gather(std::size_t p, std::int64_t k, event_image_state& state, spike_router& router, event_stats& st) const;

private:
    // The summed input of a graded-source group, as the dense backend forms it.
    const float* graded_input(const afferent_group& g, group_input& in, std::int64_t k, event_image_state& state) const;

    const event_setup& s_;
    const network& net_;
    const population_schedule& schedule_;
    const draw_source& draws_;
};

}  // namespace gust::event_detail
