#pragma once
// A spiking population advanced by the event backend: only candidates are
// evaluated, the neurons with image input that are not refractory. Each
// partition keeps its own ascending candidates; a neuron that fires leaves
// them, its spike goes to the router, and it rejoins them when its wake-up
// event falls due after the refractory period. The context is computed for
// the candidates' rows only (sim/demand_rows.hpp).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/demand_rows.hpp"
#include "sim/draw_source.hpp"
#include "sim/event_backend.hpp"
#include "sim/event_image_state.hpp"
#include "sim/spike_router.hpp"

namespace gust::event_detail {

class spiking_update {
public:
    spiking_update(const event_setup& s, const draw_source& draws, std::size_t population);

    std::size_t population() const { return p_; }

    // A new image: every neuron with input is a candidate, none has fired.
    void reset(const float* x);

    // The population at step k; returns true if no neuron fired.
    bool update(std::int64_t k, event_image_state& state, spike_router& router, demand_rows& context);

    // Partition q is another process's (sim/partition_exchange.hpp): the
    // neurons it fired at step k, ascending, become its fired list and are
    // sent through the router, as if this process had fired them.
    void take_fired(std::size_t q, std::int64_t k, const std::vector<std::uint32_t>& fired, spike_router& router);

    // The neurons partition q fired at the last step, ascending.
    const std::vector<std::uint32_t>& fired(std::size_t q) const { return part_[q].fired; }
    // The last step neuron i fired at (far in the past if never).
    std::int64_t last_fire(std::size_t i) const { return last_fire_[i]; }
    // Unit i's refractory counter after the update of step k (the dense
    // backend's counter, rebuilt from its last spike).
    refractory_t refractory_at(std::size_t i, std::int64_t k, std::int64_t tau) const {
        const std::int64_t r = tau - 1 - (k - last_fire_[i]);
        return static_cast<refractory_t>(r > 0 ? r : 0);
    }

    // Adds the spikes and context rows of this image to st.
    void add_counts(event_stats& st) const;

private:
    struct partition {
        std::vector<std::uint32_t> candidates, woken, merged, fired;
        std::vector<float> context;  // this step's context value of each candidate
        std::uint64_t spikes = 0, context_rows = 0;
    };

    const event_setup& s_;
    const network& net_;
    const draw_source& draws_;
    std::size_t p_;
    std::vector<partition> part_;
    std::vector<std::int64_t> last_fire_;
};

}  // namespace gust::event_detail
