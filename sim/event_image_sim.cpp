#include "sim/event_image_sim.hpp"

#include "sim/probe_recording.hpp"
#include "sim/record_gather.hpp"

namespace gust::event_detail {

event_image_sim::event_image_sim(const event_setup& s, const draw_source& draws, const sim_options& opt)
    : s_(s), draws_(draws), opt_(opt), schedule_(s.schedule), state_(s), router_(s, draws), inputs_(s, draws),
      spiking_of_(s.net.spiking_places()), fed_by_spikes_(s.net.populations.size(), false), demand_(s),
      exchange_(s.ranks ? std::make_unique<partition_exchange>(s, *s.ranks) : nullptr),
      dirty_(s, exchange_.get()), whole_(s), observed_(s) {
    for (std::size_t p = 0; p < s.net.populations.size(); ++p)
        for (const auto& g : s.plan.groups[p]) fed_by_spikes_[p] = fed_by_spikes_[p] || g.spiking_source;
    spiking_.reserve(s.net.spiking.size());
    for (std::size_t p : s.net.spiking) spiking_.emplace_back(s, draws, p);
    if (exchange_)
        for (const probe& pr : opt.record) own_units_.push_back(own_units(s, pr, s.ranks->rank()));
}

void event_image_sim::run(const float* x, std::size_t batch_pos, std::size_t image_id, image_record& rec,
                          const step_observer& observe, event_stats& st) {
    begin(x, image_id, rec);
    for (std::int64_t k = 0; k < steps(); ++k) {
        for (std::size_t p : s_.order) step_population(p, k, st, false);
        end_step(k, batch_pos, rec, observe, st);
    }
    end(st);
}

void event_image_sim::begin(const float* x, std::size_t image_id, image_record& rec) {
    state_.reset(image_id, x, draws_);
    router_.clear();
    for (auto& u : spiking_) u.reset(x);
    demand_.reset();
    dirty_.reset();
    begin_probes(s_.net, opt_.record, steps(), rec, exchange_ ? &own_units_ : nullptr);
}

bool event_image_sim::step_population(std::size_t p, std::int64_t k, event_stats& st, bool defer) {
    const advance how = schedule_.how(p);
    if (how == advance::spiking) {
        spiking_update& u = spiking_[spiking_of_[p]];
        bool silent = u.update(k, state_, router_, demand_);
        if (exchange_) silent = exchange_->spikes(k, u, router_);
        state_.set_at_rest(p, k, silent);  // silent: at rest
        return false;
    }
    // A graded population whose inputs all hold their rest values holds its
    // own: no arithmetic at all.
    bool rest = inputs_.gather(p, k, state_, router_, st) && s_.rest.defined[p];
    // Spikes come only where they are read, so whether any arrived anywhere
    // is agreed on: every process makes the same exchanges.
    if (exchange_ && s_.rest.defined[p] && fed_by_spikes_[p]) rest = exchange_->all(rest);
    state_.set_at_rest(p, k, rest);
    if (rest) {
        ++st.rest_layer_steps;
        return false;
    }
    if (how == advance::demand_rows) return false;  // rows are computed when the spiking population reads them
    if (how == advance::dirty_rows && dirty_.update(p, k, state_, st)) {
        if (exchange_) exchange_->rows(p, k, state_);
        return false;
    }
    state_.changed(p, k).all = true;
    ++st.dense_layer_updates;
    if (!defer) {
        whole_.compute(p, k, state_);
        if (exchange_) exchange_->rows(p, k, state_);
    }
    return true;
}

void event_image_sim::end_step(std::int64_t k, std::size_t batch_pos, image_record& rec,
                               const step_observer& observe, event_stats& st) {
    // The read-out's spikes and the probes' units of this process's own
    // partitions: with others sharing the image, the first process gathers
    // them after the images (sim/record_gather.hpp).
    const std::size_t first = s_.plan.first_owned, end = s_.plan.end_owned;
    for (std::size_t q = first; q < end; ++q)  // partitions are ascending ranges
        for (std::uint32_t i : spiking_[spiking_of_[s_.net.readout]].fired(q)) {
            rec.steps.push_back(k);
            rec.neurons.push_back(i);
        }
    if (!opt_.record.empty()) {
        record_probes(
            s_.net, opt_.record, k,
            [&](std::size_t p, const std::vector<std::uint32_t>& units, float* out) {
                // A demand-driven population (the context) is not computed
                // whole: a few probed rows are computed alone, many with the
                // layer (the column kernel is the faster way to all rows);
                // the same bits either way. The layer needs its sources'
                // whole outputs, which a demand-driven source does not
                // have: then every probed row is pulled.
                const std::size_t size = s_.net.populations[p].size;
                if (schedule_.demand_driven(p) && !state_.at_rest(p, k)) {
                    bool sources_whole = true;
                    for (const auto& g : s_.plan.groups[p])
                        sources_whole &= !schedule_.demand_driven(g.source) || state_.at_rest(g.source, k);
                    // Sharing the image, a process pulls its own probed rows.
                    if (!sources_whole || exchange_ || (!units.empty() && units.size() * 8 < size)) {
                        const std::vector<std::uint32_t>* ids = &units;
                        if (units.empty()) {
                            every_unit_.resize(size);
                            for (std::size_t i = 0; i < size; ++i) every_unit_[i] = static_cast<std::uint32_t>(i);
                            ids = &every_unit_;
                        }
                        demand_.rows(p, k, *ids, probe_rows_, 0, state_);
                        std::copy(probe_rows_.begin(), probe_rows_.end(), out);
                        return;
                    }
                    whole_.compute(p, k, state_);
                }
                const float* o = state_.output(p, k);
                if (units.empty()) std::copy(o, o + size, out);
                else
                    for (std::uint32_t i : units) *out++ = o[i];
            },
            [&](std::size_t p, std::uint32_t i) { return spiking_[spiking_of_[p]].last_fire(i) == k; },
            [&](std::size_t p, std::uint32_t i) {
                return spiking_[spiking_of_[p]].refractory_at(i, k, s_.net.populations[p].refractory);
            },
            rec, exchange_ ? &own_units_ : nullptr);
    }
    if (observe) observed_.notify(observe, batch_pos, k, state_, spiking_, demand_);
    ++st.steps;
}

void event_image_sim::end(event_stats& st) {
    for (const auto& u : spiking_) u.add_counts(st);
    demand_.add_counts(st);
    dirty_.add_counts(st);
    if (exchange_) {  // the totals so far: taken once, at the last image's end
        st.exchanges += exchange_->exchanges() - exchanges_counted_;
        st.exchanged_bytes += exchange_->bytes_sent() - bytes_counted_;
        st.exchanged_spikes += exchange_->spikes_sent() - spikes_counted_;
        exchanges_counted_ = exchange_->exchanges();
        bytes_counted_ = exchange_->bytes_sent();
        spikes_counted_ = exchange_->spikes_sent();
    }
}

}  // namespace gust::event_detail
