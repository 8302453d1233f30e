#pragma once
// One image simulated by the event backend (sim/event_backend.hpp), step by
// step: it owns the image's state and advances every population in
// evaluation order, each the way the schedule says (sim/event_schedule.hpp).
// Internal to the event backend: used by sim/event_backend.cpp, and by
// sim/lockstep_images.hpp, which advances several images together and may
// compute their whole layers in one batch.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sim/demand_rows.hpp"
#include "sim/dirty_rows_update.hpp"
#include "sim/draw_source.hpp"
#include "sim/event_backend.hpp"
#include "sim/event_image_state.hpp"
#include "sim/event_observed_step.hpp"
#include "sim/event_schedule.hpp"
#include "sim/event_setup.hpp"
#include "sim/input_gatherer.hpp"
#include "sim/partition_exchange.hpp"
#include "sim/simulation.hpp"
#include "sim/spike_router.hpp"
#include "sim/spiking_update.hpp"
#include "sim/whole_layer_update.hpp"

namespace gust::event_detail {

class event_image_sim {
public:
    event_image_sim(const event_setup& s, const draw_source& draws, const sim_options& opt);
    // dirty_ points to this object's exchange_: a copy would share it.
    event_image_sim(const event_image_sim&) = delete;
    event_image_sim& operator=(const event_image_sim&) = delete;

    // The whole simulation of one image: begin(), every step, end().
    void run(const float* x, std::size_t batch_pos, std::size_t image_id, image_record& rec,
             const step_observer& observe, event_stats& st);

    std::int64_t steps() const { return static_cast<std::int64_t>(opt_.cycles) * s_.net.cycle; }

    // Resets the state for a new image.
    void begin(const float* x, std::size_t image_id, image_record& rec);

    // Updates population p at step k. A graded population that needs its
    // whole layer computed returns true and, when `defer` is set, leaves that
    // to the caller (a whole_layer_update on state(), for one image or
    // several).
    bool step_population(std::size_t p, std::int64_t k, event_stats& st, bool defer);

    // Records step k once every population is updated.
    void end_step(std::int64_t k, std::size_t batch_pos, image_record& rec, const step_observer& observe,
                  event_stats& st);

    // Adds this image's counts to st.
    void end(event_stats& st);

    // The image's state, which the updaters read and write.
    event_image_state& state() { return state_; }

private:
    const event_setup& s_;
    const draw_source& draws_;
    const sim_options& opt_;
    const population_schedule& schedule_;  // s_.schedule
    event_image_state state_;
    spike_router router_;
    input_gatherer inputs_;
    std::vector<spiking_update> spiking_;  // one per spiking population, as net.spiking lists them
    std::vector<std::size_t> spiking_of_;  // [population]: its updater in spiking_
    std::vector<bool> fed_by_spikes_;      // [population]: some afferent group's source spikes
    demand_rows demand_;
    std::unique_ptr<partition_exchange> exchange_;  // with other processes sharing the image
    dirty_rows_update dirty_;
    whole_layer_update whole_;
    event_observed_step observed_;
    std::vector<float> probe_rows_;
    std::vector<std::uint32_t> every_unit_;  // 0, 1, ...: a probe of every row pulled on demand
    std::vector<std::vector<std::uint32_t>> own_units_;  // [probe]: with others sharing the image, this one's
    // The exchange's totals already added to a stats total.
    std::uint64_t exchanges_counted_ = 0, bytes_counted_ = 0, spikes_counted_ = 0;
};

}  // namespace gust::event_detail
