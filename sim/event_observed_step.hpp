#pragma once
// What a step observer sees of one image of the event backend: every
// population's output at the step, as the dense backend would show it,
// except where the event backend computed only some rows of a demand-driven
// population (NaN in the others), and the refractory counters the dense
// backend keeps, rebuilt from the last firing steps.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/demand_rows.hpp"
#include "sim/event_image_state.hpp"
#include "sim/event_schedule.hpp"
#include "sim/simulation.hpp"
#include "sim/spiking_update.hpp"

namespace gust::event_detail {

class event_observed_step {
public:
    explicit event_observed_step(const event_setup& s);

    // Calls observe with image batch_pos's view of step k; spiking[j] is the
    // updater of the spiking population net.spiking[j].
    void notify(const step_observer& observe, std::size_t batch_pos, std::int64_t k, event_image_state& state,
                const std::vector<spiking_update>& spiking, demand_rows& rows);

private:
    const network& net_;
    const event_setup& s_;
    const population_schedule& schedule_;
    std::vector<std::size_t> updater_;                 // [population]: a spiking one's updater
    std::vector<std::size_t> reader_;                  // [population]: the updater whose context it is, if any
    std::vector<std::vector<refractory_t>> refractory_;  // per spiking population
    std::vector<std::vector<float>> observed_;  // per population, when its output is not stored whole
};

}  // namespace gust::event_detail
