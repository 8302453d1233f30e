#include "sim/event_backend.hpp"

#include <tbb/blocked_range.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <mutex>

#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "sim/event_image_sim.hpp"
#include "sim/exchange_plan.hpp"
#include "sim/lockstep_images.hpp"
#include "sim/memory_account.hpp"
#include "sim/partition_exchange.hpp"
#include "sim/record_gather.hpp"

namespace gust {

namespace {

// Runs f, which exchanges with the other processes of `ranks` without
// agreeing on failures: if it throws, they cannot be told (each may be
// waiting in an exchange), so the whole job ends here.
template <class F>
void shared_failure_ends_job(const communicator& ranks, F&& f) {
    try {
        f();
    } catch (const std::bad_alloc&) {
        ranks.abandon("rank " + std::to_string(ranks.rank()) + " of a group sharing each image: out of memory");
        throw;
    } catch (const std::exception& e) {
        ranks.abandon("rank " + std::to_string(ranks.rank()) + " of a group sharing each image: " + e.what());
        throw;
    }
}

}  // namespace

using event_detail::event_image_sim;
using event_detail::lockstep_images;

event_engine::event_engine(const network& net, std::size_t partitions, const communicator* ranks, bool records_states,
                           const std::vector<double>& split)
    : net_(net) {
    net.validate();
    if (!ranks || ranks->size() == 1) {
        setup_ = std::make_unique<const event_setup>(net, partitions, 0, partitions);
        return;
    }
    const std::size_t R = ranks->size(), first = ranks->rank() * partitions;
    for (const auto& pop : net.populations)
        if (pop.size < R * partitions)
            throw input_error(std::to_string(R) + " processes x " + std::to_string(partitions) +
                              " partitions: more than the " + std::to_string(pop.size) + " units of population '" +
                              pop.name + "'");
    shared_failure_ends_job(*ranks, [&] {
        auto setup = std::make_unique<event_setup>(net, R * partitions, first, first + partitions, false, split);
        setup->ranks = ranks;
        setup->records_own_rows = records_states;
        setup->exchange = std::make_shared<const event_detail::exchange_plan>(
            event_detail::plan_exchange(*setup, *ranks));
        event_detail::share_rest(*setup, *setup->exchange);  // the model may be split (sim/held_rows.hpp)
        setup_ = std::move(setup);
    });
}

event_engine::~event_engine() = default;

memory_account event_engine::memory() const { return account_memory(net_, setup_->plan); }

std::size_t event_engine::neighbours() const {
    if (!setup_->exchange) return 0;
    std::size_t n = 0;
    for (std::size_t r = 0; r < setup_->exchange->sends_to.size(); ++r)
        n += setup_->exchange->sends_to[r] || setup_->exchange->receives_from[r];
    return n;
}

std::vector<image_record> event_engine::run(const image_batch& images, const draw_source& draws,
                                            const sim_options& opt, const step_observer& observe,
                                            event_stats* stats) const {
    net_.check_image_size(images.size);
    for (const probe& r : opt.record) validate(r, net_);
    // Processes sharing an image exchange at every step, in one order: its
    // images go one after another, and nothing observes the steps.
    const bool shared = setup_->ranks != nullptr;
    if (shared && observe) throw std::logic_error("event_engine: observers need the whole image in one process");
    if (shared && !opt.record.empty() && !setup_->records_own_rows)
        throw std::logic_error("event_engine: recording states needs an engine built to record them");
    std::vector<image_record> out(images.count);
    std::mutex stats_mutex;
    event_stats total;
    // Without an observer (which must see images one by one, in order) and
    // with one partition per image, images run four in lockstep.
    const bool lockstep = !observe && setup_->plan.partitions == 1;
    auto body = [&](const tbb::blocked_range<std::size_t>& r) {
        event_stats st;
        if (lockstep && r.size() > 1) {
            lockstep_images batch(*setup_, draws, opt);
            for (std::size_t b = r.begin(); b < r.end(); b += lockstep_images::width)
                batch.run(images, b, std::min(lockstep_images::width, r.end() - b), out, st);
        } else {
            event_image_sim sim(*setup_, draws, opt);
            for (std::size_t b = r.begin(); b != r.end(); ++b)
                sim.run(images.pixels + b * images.size, b, images.ids.empty() ? b : images.ids[b], out[b], observe,
                        st);
        }
        std::lock_guard lock(stats_mutex);
        total += st;
    };
    tbb::task_arena arena(opt.threads > 0 ? opt.threads : tbb::task_arena::automatic);
    auto all = [&] {
        arena.execute([&] {
            if (observe || shared || images.count <= 1) body({0, images.count});  // observers see images in order
            else gust::parallel_for(tbb::blocked_range<std::size_t>(0, images.count, lockstep ? lockstep_images::width : 1), body);
        });
        // Each process holds what it recorded of its own partitions.
        if (shared) gather_records(out, *setup_, opt.record, *setup_->ranks);
    };
    if (shared) shared_failure_ends_job(*setup_->ranks, all);
    else all();
    if (stats) *stats = total;
    return out;
}

std::vector<image_record> simulate_event(const network& net, const image_batch& images,
                                         const draw_source& draws, const sim_options& opt,
                                         const step_observer& observe, event_stats* stats) {
    return event_engine(net, opt.partitions).run(images, draws, opt, observe, stats);
}

}  // namespace gust
