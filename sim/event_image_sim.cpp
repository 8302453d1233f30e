#include "sim/event_image_sim.hpp"

#include <algorithm>
#include <limits>

namespace gust::event_detail {

event_image_sim::event_image_sim(const event_setup& s, const draw_source& draws, const sim_options& opt)
    : s_(s), net_(s.net), draws_(draws), hist_(s.net), opt_(opt), parts_(s.plan.partitions) {
    const std::size_t n = net_.populations.size();
    rest_flag_.resize(n);
    group_state_.resize(n);
    for (std::size_t p = 0; p < n; ++p) {
        rest_flag_[p].assign(static_cast<std::size_t>(net_.max_delay_from(p) + 1), 0);
        group_state_[p].resize(s.plan.groups[p].size());
    }
    lazy_ = demand_driven(opt);
    changed_.resize(n);
    row_level_.assign(n, false);
    row_mark_.resize(n);
    for (std::size_t p = 0; p < n; ++p) {
        changed_[p].resize(rest_flag_[p].size());
        for (auto& c : changed_[p]) c.rows.resize(parts_);
        const auto& pop = net_.populations[p];
        if (pop.type != population::kind::graded || lazy_[p] || !s.rest.defined[p]) continue;
        bool ok = !s.plan.groups[p].empty();
        for (const auto& g : s.plan.groups[p]) {
            ok &= g.weights->sparse();
            for (std::size_t j : g.projections)
                ok &= g.spiking_source ? true : net_.projections[j].release_p >= 1.0f && !lazy_[g.source];
        }
        row_level_[p] = ok;
        if (ok) row_mark_[p].assign(pop.size, -1);
    }
    partition_.resize(parts_);
    for (auto& part : partition_) {
        part.outgoing.resize(s.fanout[net_.spiking].size());
        part.rows.resize(n);
        for (std::size_t p = 0; p < n; ++p)
            if (lazy_[p] && !s.plan.context_only[p]) {
                part.rows[p].value.resize(net_.populations[p].size);
                part.rows[p].step.assign(net_.populations[p].size, -1);
            }
    }
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
    image_ = image_id;
    x_ = x;
    hist_.reset(image_id, draws_);
    for (auto& flags : rest_flag_) std::fill(flags.begin(), flags.end(), 0);
    for (auto& slots : changed_)  // the history before step 0 is not the rest state
        for (auto& c : slots) {
            c.all = true;
            for (auto& rows : c.rows) rows.clear();
        }
    for (auto& marks : row_mark_) std::fill(marks.begin(), marks.end(), -1);
    for (auto& part : partition_)
        for (auto& cache : part.rows) std::fill(cache.step.begin(), cache.step.end(), -1);
    const auto& spk = net_.populations[net_.spiking];
    last_fire_.assign(spk.size, std::numeric_limits<std::int64_t>::min() / 2);
    for (std::size_t q = 0; q < parts_; ++q) {
        auto& part = partition_[q];
        part.wake.clear();
        for (auto& out : part.outgoing) out.clear();
        part.candidates.clear();
        part.stats = {};
        for (std::size_t i = s_.plan.bounds[net_.spiking][q]; i < s_.plan.bounds[net_.spiking][q + 1]; ++i)
            if (x[i] != 0.0f) part.candidates.push_back(static_cast<std::uint32_t>(i));
    }

    rec.recorded.assign(opt_.record.size(), {});
}

bool event_image_sim::step_population(std::size_t p, std::int64_t k, event_stats& st, bool defer) {
    if (p == net_.spiking) {
        update_spiking(k);
        return false;
    }
    return update_graded(p, k, st, defer);
}

void event_image_sim::end_step(std::int64_t k, std::size_t batch_pos, image_record& rec,
                               const step_observer& observe, event_stats& st) {
    for (const auto& part : partition_)  // partitions are ascending ranges
        for (std::uint32_t i : part.fired) {
            rec.steps.push_back(k);
            rec.neurons.push_back(i);
        }
    for (std::size_t r = 0; r < opt_.record.size(); ++r) {
        const float* o = output(opt_.record[r], k);
        rec.recorded[r].insert(rec.recorded[r].end(), o, o + net_.populations[opt_.record[r]].size);
    }
    if (observe) notify(observe, batch_pos, k);
    ++st.steps;
}

void event_image_sim::end(event_stats& st) {
    for (auto& part : partition_) {
        st.spikes += part.stats.spikes;
        st.context_rows += part.stats.context_rows;
    }
}

std::vector<bool> event_image_sim::demand_driven(const sim_options& opt) const {
    const std::size_t n = net_.populations.size();
    std::vector<bool> lazy(n, false);
    auto recorded = [&](std::size_t p) { return std::find(opt.record.begin(), opt.record.end(), p) != opt.record.end(); };
    for (std::size_t p = 0; p < n; ++p) lazy[p] = s_.plan.context_only[p] && !recorded(p);
    const auto order = s_.order;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {  // readers come later in the order
        const std::size_t p = *it;
        if (lazy[p] || net_.populations[p].type != population::kind::graded || recorded(p)) continue;
        bool read = false, all_lazy = true;
        for (const auto& pr : net_.projections)
            if (pr.source == p) {
                read = true;
                all_lazy &= pr.delay == 0 && lazy[pr.target] && pr.weights->sparse() && pr.release_p >= 1.0f;
            }
        for (const auto& q : net_.populations) all_lazy &= !(q.type == population::kind::spiking && q.context == p);
        lazy[p] = read && all_lazy;
    }
    return lazy;
}

bool event_image_sim::gather(std::size_t p, std::int64_t k, event_stats& st) {
    bool rest = true;
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& g = groups[gi];
        auto& gs = group_state_[p][gi];
        if (g.spiking_source) {
            deliver_spikes(p, gi, k, st);
            for (const auto& c : gs.columns) st.synaptic_events += g.fanout.dense ? g.fanout.rows
                                                                   : g.fanout.col_ptr[c.source + 1] - g.fanout.col_ptr[c.source];
            gs.at_rest = gs.columns.empty();
            gs.dense_input = nullptr;
            if (g.weights->sparse()) {  // sparse rows look inputs up by source
                // Kept zero between steps: clear last step's entries only.
                if (gs.scratch.size() != g.weights->cols) gs.scratch.assign(g.weights->cols, 0.0f);
                for (std::uint32_t u : gs.scattered) gs.scratch[u] = 0.0f;
                gs.scattered.clear();
                for (const auto& c : gs.columns) {
                    gs.scratch[c.source] = c.value;
                    gs.scattered.push_back(c.source);
                }
                gs.dense_input = gs.scratch.data();
            }
        } else {
            gs.at_rest = true;
            for (std::size_t j : g.projections)
                gs.at_rest &= at_rest(g.source, k - net_.projections[j].delay) && net_.projections[j].release_p >= 1.0f;
            if (lazy_[g.source]) {  // its rows are pulled one by one (row())
                gs.dense_input = nullptr;
                gs.columns.clear();
            } else {
                gs.dense_input = graded_input(g, gs, k);
                // Rows of a demand-driven population walk the list (dense
                // weights); otherwise it is built only if the whole layer
                // is computed from it (whole_layer()).
                gs.columns_ready = lazy_[p] && !g.weights->sparse();
                if (gs.columns_ready) nonzero_inputs(gs.dense_input, g.weights->cols, gs.columns);
            }
        }
        rest &= gs.at_rest;
    }
    return rest;
}

void event_image_sim::deliver_spikes(std::size_t p, std::size_t gi, std::int64_t k, event_stats& st) {
    auto& gs = group_state_[p][gi];
    const std::size_t src = s_.plan.groups[p][gi].source;
    const auto it = std::find(s_.fanout[src].begin(), s_.fanout[src].end(), std::make_pair(p, gi));
    const std::size_t out_index = static_cast<std::size_t>(it - s_.fanout[src].begin());
    gs.columns.clear();
    for (auto& part : partition_)
        part.outgoing[out_index].pop_due(k, [&](const spike_event& e) {
            ++st.events;
            const auto& pr = net_.projections[e.channel];
            if (pr.release_p < 1.0f && !(draws_.release_at(image_, e.channel, k, e.unit) < pr.release_p)) return;
            gs.columns.push_back({e.unit, 1.0f});
        });
    if (s_.plan.groups[p][gi].projections.size() > 1) {
        std::stable_sort(gs.columns.begin(), gs.columns.end(),
                         [](const column_input& a, const column_input& b) { return a.source < b.source; });
        std::size_t w = 0;
        for (std::size_t r = 0; r < gs.columns.size(); ++r) {
            if (w > 0 && gs.columns[w - 1].source == gs.columns[r].source) gs.columns[w - 1].value += gs.columns[r].value;
            else gs.columns[w++] = gs.columns[r];
        }
        gs.columns.resize(w);
    }
}

const float* event_image_sim::graded_input(const afferent_group& g, group_state& gs, std::int64_t k) {
    if (g.projections.size() == 1 && net_.projections[g.projections[0]].release_p >= 1.0f)
        return output(g.source, k - net_.projections[g.projections[0]].delay);
    const std::size_t n = g.weights->cols;
    gs.scratch.assign(n, 0.0f);
    for (std::size_t j : g.projections) {
        const auto& pr = net_.projections[j];
        const float* src = output(pr.source, k - pr.delay);
        for (std::size_t i = 0; i < n; ++i)
            if (pr.release_p >= 1.0f || draws_.release_at(image_, j, k, i) < pr.release_p) gs.scratch[i] += src[i];
    }
    return gs.scratch.data();
}

bool event_image_sim::update_graded(std::size_t p, std::int64_t k, event_stats& st, bool defer) {
    const bool rest = gather(p, k, st) && s_.rest.defined[p];
    rest_flag_[p][slot(p, k)] = rest;
    if (rest) {
        ++st.rest_layer_steps;
        return false;
    }
    if (lazy_[p]) return false;  // rows are evaluated on demand by the spiking population
    auto& changed = changed_[p][slot(p, k)];
    if (row_level_[p] && dirty_rows(p, k, changed)) {
        changed.all = false;
        for (const auto& rows : changed.rows) st.row_updates += rows.size();
        update_rows(p, k, changed);
        return false;
    }
    changed.all = true;
    ++st.dense_layer_updates;
    if (!defer) whole_layer(p, k);
    return true;
}

void event_image_sim::whole_layer(std::size_t p, std::int64_t k) {
    const auto& pop = net_.populations[p];
    float* out = hist_.at(p, k);
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        auto& gs = group_state_[p][gi];
        if (!groups[gi].spiking_source && !gs.columns_ready) {
            nonzero_inputs(gs.dense_input, groups[gi].weights->cols, gs.columns);
            gs.columns_ready = true;
        }
    }
    for_partitions([&](std::size_t q) {
        const std::size_t rb = s_.plan.bounds[p][q], re = s_.plan.bounds[p][q + 1];
        if (pop.bias.empty()) std::fill(out + rb, out + re, 0.0f);
        else std::copy(pop.bias.begin() + static_cast<std::ptrdiff_t>(rb), pop.bias.begin() + static_cast<std::ptrdiff_t>(re), out + rb);
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& cols = group_state_[p][gi].columns;
            accumulate_fanout(groups[gi].fanout_of(q), cols.data(), cols.size(), out, rb, re);
        }
        apply_activation(pop.act, out + rb, re - rb);
    });
}

bool event_image_sim::dirty_rows(std::size_t p, std::int64_t k, changed_rows& changed) {
    const auto& groups = s_.plan.groups[p];
    for (const auto& g : groups)  // a source that changed whole reaches (nearly) every row
        if (!g.spiking_source)
            for (std::size_t j : g.projections) {
                const std::int64_t ks = k - net_.projections[j].delay;
                if (!at_rest(g.source, ks) && changed_[g.source][slot(g.source, ks)].all) return false;
            }
    partition_ok_.assign(parts_, 1);
    auto& mark = row_mark_[p];  // partitions own disjoint rows, so they share it safely
    for_partitions([&](std::size_t q) {
        auto& rows = changed.rows[q];
        rows.clear();
        const std::size_t limit = (s_.plan.bounds[p][q + 1] - s_.plan.bounds[p][q]) / 4;
        // f: the slice of the fan-out whose targets are partition q's rows.
        auto add_targets = [&](const fanout_matrix& f, std::uint32_t source) {
            for (std::uint32_t s = f.col_ptr[source]; s < f.col_ptr[source + 1]; ++s)
                if (mark[f.targets[s]] != k) {
                    mark[f.targets[s]] = k;
                    rows.push_back(f.targets[s]);
                }
            return rows.size() <= limit;
        };
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            const fanout_matrix& f = g.fanout_of(q);
            if (g.spiking_source) {
                for (const auto& c : group_state_[p][gi].columns)
                    if (!add_targets(f, c.source)) {
                        partition_ok_[q] = 0;
                        return;
                    }
                continue;
            }
            for (std::size_t j : g.projections) {
                const std::int64_t ks = k - net_.projections[j].delay;
                if (at_rest(g.source, ks)) continue;
                for (const auto& source_rows : changed_[g.source][slot(g.source, ks)].rows)
                    for (std::uint32_t u : source_rows)
                        if (!add_targets(f, u)) {
                            partition_ok_[q] = 0;
                            return;
                        }
            }
        }
        std::sort(rows.begin(), rows.end());
    });
    return std::all_of(partition_ok_.begin(), partition_ok_.end(), [](char ok) { return ok != 0; });
}

// The layer at rest except the changed rows, each computed in the kernels' order.
void event_image_sim::update_rows(std::size_t p, std::int64_t k, const changed_rows& changed) {
    const auto& pop = net_.populations[p];
    float* out = hist_.at(p, k);
    const auto& groups = s_.plan.groups[p];
    const bool spikes_only = std::all_of(groups.begin(), groups.end(), [](const afferent_group& g) { return g.spiking_source; });
    for_partitions([&](std::size_t q) {
        const std::size_t rb = s_.plan.bounds[p][q], re = s_.plan.bounds[p][q + 1];
        std::copy(s_.rest.value[p].begin() + static_cast<std::ptrdiff_t>(rb),
                  s_.rest.value[p].begin() + static_cast<std::ptrdiff_t>(re), out + rb);
        const auto& rows = changed.rows[q];
        if (spikes_only) {
            // The listed rows are exactly those the spikes reach: scatter
            // the spikes (ascending) onto their biases, as whole_layer()
            // would, touching nothing else.
            for (std::uint32_t r : rows) out[r] = pop.bias.empty() ? 0.0f : pop.bias[r];
            for (std::size_t gi = 0; gi < groups.size(); ++gi) {
                const auto& cols = group_state_[p][gi].columns;
                accumulate_fanout(groups[gi].fanout_of(q), cols.data(), cols.size(), out, rb, re);
            }
            for (std::uint32_t r : rows) out[r] = apply_activation(pop.act, out[r]);
            return;
        }
        for (std::uint32_t r : rows) {
            float acc = pop.bias.empty() ? 0.0f : pop.bias[r];
            for (std::size_t gi = 0; gi < groups.size(); ++gi)
                acc = accumulate_row(*groups[gi].weights, r, nullptr, 0, group_state_[p][gi].dense_input, acc);
            out[r] = apply_activation(pop.act, acc);
        }
    });
}

float event_image_sim::row(std::size_t p, std::int64_t k, std::size_t i, std::size_t q) {
    if (!lazy_[p] || at_rest(p, k)) return output(p, k)[i];
    auto& cache = partition_[q].rows[p];
    if (!cache.step.empty() && cache.step[i] == k) return cache.value[i];
    const auto& pop = net_.populations[p];
    float acc = pop.bias.empty() ? 0.0f : pop.bias[i];
    const auto& groups = s_.plan.groups[p];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& gs = group_state_[p][gi];
        const weight_matrix& W = *groups[gi].weights;
        if (!groups[gi].spiking_source && lazy_[groups[gi].source]) {
            for (std::uint32_t s = W.indptr[i]; s < W.indptr[i + 1]; ++s) {
                const float v = row(groups[gi].source, k, W.indices[s], q);
                if (v != 0.0f) acc += v * W.w[s];
            }
            continue;
        }
        acc = accumulate_row(W, i, gs.columns.data(), gs.columns.size(), gs.dense_input, acc);
    }
    const float out = apply_activation(pop.act, acc);
    if (!cache.step.empty()) {
        cache.step[i] = k;
        cache.value[i] = out;
    }
    return out;
}

void event_image_sim::context_rows(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids,
                                   std::vector<float>& out, std::size_t q) {
    out.resize(ids.size());
    const auto& groups = s_.plan.groups[p];
    bool batched = lazy_[p] && !at_rest(p, k);
    for (const auto& g : groups) batched &= !g.weights->sparse() && (g.spiking_source || !lazy_[g.source]);
    if (!batched) {
        for (std::size_t j = 0; j < ids.size(); ++j) out[j] = row(p, k, ids[j], q);
        return;
    }
    const auto& pop = net_.populations[p];
    for (std::size_t j = 0; j < ids.size(); ++j) out[j] = pop.bias.empty() ? 0.0f : pop.bias[ids[j]];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& gs = group_state_[p][gi];
        accumulate_dense_rows(*groups[gi].weights, ids.data(), ids.size(), gs.columns.data(), gs.columns.size(),
                              out.data());
    }
    apply_activation(pop.act, out.data(), out.size());
}

void event_image_sim::update_spiking(std::int64_t k) {
    const std::size_t p = net_.spiking;
    const auto& pop = net_.populations[p];
    for_partitions([&](std::size_t q) {
        auto& part = partition_[q];
        // Neurons whose refractoriness ends now rejoin the candidates.
        part.woken.clear();
        part.wake.pop_due(k, [&](const spike_event& e) { part.woken.push_back(e.unit); });
        if (!part.woken.empty()) {
            part.merged.clear();
            std::merge(part.candidates.begin(), part.candidates.end(), part.woken.begin(), part.woken.end(),
                       std::back_inserter(part.merged));
            part.candidates.swap(part.merged);
        }
        part.fired.clear();
        context_rows(pop.context, k, part.candidates, part.context, q);
        std::size_t keep = 0;
        for (std::size_t j = 0; j < part.candidates.size(); ++j) {
            const std::uint32_t i = part.candidates[j];
            const float c = part.context[j];
            const float u = draws_.membrane_noise_at(image_, p, k, i);
            if (gust_fires(x_[i], c, u, 0, pop.theta)) {
                part.fired.push_back(i);
                last_fire_[i] = k;
                part.wake.push({k + pop.refractory, spike_event::wake_channel, i});
            } else {
                part.candidates[keep++] = i;
            }
        }
        part.stats.context_rows += part.candidates.size() + part.fired.size();
        part.stats.spikes += part.fired.size();
        part.candidates.resize(keep);
        // One event per spike and outgoing projection, never one per synapse.
        for (std::size_t o = 0; o < s_.fanout[p].size(); ++o) {
            const auto& [target, gi] = s_.fanout[p][o];
            for (std::size_t j : s_.plan.groups[target][gi].projections)
                for (std::uint32_t i : part.fired)
                    part.outgoing[o].push({k + net_.projections[j].delay, static_cast<std::uint32_t>(j), i});
        }
    });
    bool silent = true;
    for (const auto& part : partition_) silent &= part.fired.empty();
    rest_flag_[p][slot(p, k)] = silent;
}

void event_image_sim::notify(const step_observer& observe, std::size_t batch_pos, std::int64_t k) {
    const auto& spk = net_.populations[net_.spiking];
    refractory_.resize(spk.size);
    const std::int64_t tau = spk.refractory;
    for (std::size_t i = 0; i < spk.size; ++i) {
        const std::int64_t r = tau - 1 - (k - last_fire_[i]);
        refractory_[i] = static_cast<refractory_t>(r > 0 ? r : 0);
    }
    step_view v{batch_pos, k, {}, refractory_.data()};
    observed_.resize(net_.populations.size());
    for (std::size_t p = 0; p < net_.populations.size(); ++p) {
        auto& buf = observed_[p];
        if (p == net_.spiking) {
            buf.assign(spk.size, 0.0f);
            for (const auto& part : partition_)
                for (std::uint32_t i : part.fired) buf[i] = 1.0f;
            v.outputs.push_back(buf.data());
        } else if (!lazy_[p] || at_rest(p, k)) {
            v.outputs.push_back(output(p, k));
        } else if (!s_.plan.context_only[p]) {
            // Only the rows some partition pulled this step: NaN elsewhere.
            buf.assign(net_.populations[p].size, std::numeric_limits<float>::quiet_NaN());
            for (const auto& part : partition_)
                for (std::size_t i = 0; i < buf.size(); ++i)
                    if (part.rows[p].step[i] == k) buf[i] = part.rows[p].value[i];
            v.outputs.push_back(buf.data());
        } else {
            // Only rows of neurons that could fire were computed: NaN elsewhere.
            buf.assign(net_.populations[p].size, std::numeric_limits<float>::quiet_NaN());
            for (std::size_t i = 0; i < buf.size(); ++i)
                if (x_[i] != 0.0f && (k - last_fire_[i] >= tau || last_fire_[i] == k)) buf[i] = row(p, k, i, 0);
            v.outputs.push_back(buf.data());
        }
    }
    observe(v);
}

}  // namespace gust::event_detail
