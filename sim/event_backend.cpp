#include "sim/event_backend.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include "neurons/graded_layer.hpp"
#include "sim/afferents.hpp"
#include "sim/error.hpp"
#include "sim/event_queue.hpp"
#include "sim/history.hpp"

namespace gust {
namespace {

// Output of every population when nothing reaches it: spiking populations
// are silent, graded ones settle to act(bias + W * rest of their sources).
// Computed with the shared kernels, so it equals what the dense backend
// computes on a silent step, bit for bit. A graded population inside a loop
// of graded populations (through delays) has no such constant: it gets no
// rest value and is always computed.
struct rest_state {
    std::vector<std::vector<float>> value;
    std::vector<bool> defined;
};

rest_state rest_values(const network& net, const afferent_plan& plan) {
    const std::size_t n = net.populations.size();
    rest_state rest{std::vector<std::vector<float>>(n), std::vector<bool>(n, false)};
    for (bool progress = true; progress;) {
        progress = false;
        for (std::size_t p = 0; p < n; ++p) {
            if (rest.defined[p]) continue;
            const auto& pop = net.populations[p];
            rest.value[p].assign(pop.size, 0.0f);
            if (pop.type == population::kind::spiking) {
                rest.defined[p] = progress = true;
                continue;
            }
            const bool ready = std::all_of(plan.groups[p].begin(), plan.groups[p].end(), [&](const afferent_group& g) {
                return g.spiking_source || rest.defined[g.source];
            });
            if (!ready) continue;
            if (!pop.bias.empty()) rest.value[p] = pop.bias;
            std::vector<float> in;
            for (const auto& g : plan.groups[p]) {
                if (g.spiking_source) continue;  // silent sources deliver nothing
                // Summed like the backends sum several projections of one source.
                in.assign(g.weights->cols, 0.0f);
                for (std::size_t c = 0; c < g.projections.size(); ++c)
                    for (std::size_t i = 0; i < in.size(); ++i) in[i] += rest.value[g.source][i];
                if (g.projections.size() == 1) in = rest.value[g.source];
                std::vector<column_input> nz;
                nonzero_inputs(in.data(), in.size(), nz);
                accumulate_columns(g.transposed.data(), pop.size, nz.data(), nz.size(), rest.value[p].data(), 0, pop.size);
            }
            apply_activation(pop.act, rest.value[p].data(), pop.size);
            rest.defined[p] = progress = true;
        }
    }
    return rest;
}

struct shared_setup {
    const network& net;
    afferent_plan plan;
    rest_state rest;
    std::vector<std::size_t> order;
    // For each population, the groups (population, group index) its spikes feed.
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> fanout;

    explicit shared_setup(const network& n)
        : net(n), plan(n), rest(rest_values(n, plan)), order(n.evaluation_order()), fanout(n.populations.size()) {
        for (std::size_t p = 0; p < n.populations.size(); ++p)
            for (std::size_t g = 0; g < plan.groups[p].size(); ++g)
                if (plan.groups[p][g].spiking_source) fanout[plan.groups[p][g].source].push_back({p, g});
    }
};

class event_image_sim {
public:
    event_image_sim(const shared_setup& s, const draw_source& draws, const sim_options& opt)
        : s_(s), net_(s.net), draws_(draws), hist_(s.net), opt_(opt) {
        const std::size_t n = net_.populations.size();
        rest_flag_.resize(n);
        for (std::size_t p = 0; p < n; ++p) rest_flag_[p].assign(static_cast<std::size_t>(net_.max_delay_from(p) + 1), 0);
        group_state_.resize(n);
        for (std::size_t p = 0; p < n; ++p) group_state_[p].resize(s.plan.groups[p].size());
        lazy_.assign(n, false);
        for (std::size_t p = 0; p < n; ++p)
            lazy_[p] = s.plan.context_only[p] &&
                       std::find(opt.record.begin(), opt.record.end(), p) == opt.record.end();
    }

    void run(const float* x, std::size_t batch_pos, std::size_t image_id, image_record& rec,
             const step_observer& observe, event_stats& st) {
        image_ = image_id;
        x_ = x;
        hist_.reset(image_id, draws_);
        for (std::size_t p = 0; p < rest_flag_.size(); ++p) {
            std::fill(rest_flag_[p].begin(), rest_flag_[p].end(), 0);
            for (auto& g : group_state_[p]) g.queue.clear();
        }
        const auto& spk = net_.populations[net_.spiking];
        wake_.clear();
        last_fire_.assign(spk.size, std::numeric_limits<std::int64_t>::min() / 2);
        candidates_.clear();
        for (std::size_t i = 0; i < spk.size; ++i)
            if (x[i] != 0.0f) candidates_.push_back(static_cast<std::uint32_t>(i));

        const std::int64_t steps = static_cast<std::int64_t>(opt_.cycles) * net_.cycle;
        rec.recorded.assign(opt_.record.size(), {});
        for (std::int64_t k = 0; k < steps; ++k) {
            for (std::size_t p : s_.order) {
                if (net_.populations[p].type == population::kind::spiking) update_spiking(p, k, st);
                else update_graded(p, k, st);
            }
            for (std::uint32_t i : fired_) {
                rec.steps.push_back(k);
                rec.neurons.push_back(i);
            }
            for (std::size_t r = 0; r < opt_.record.size(); ++r) {
                const float* o = output(opt_.record[r], k);
                rec.recorded[r].insert(rec.recorded[r].end(), o, o + net_.populations[opt_.record[r]].size);
            }
            if (observe) notify(observe, batch_pos, k);
            ++st.steps;
            st.spikes += fired_.size();
        }
    }

private:
    struct group_state {
        event_queue queue;                  // spike deliveries into this group
        std::vector<column_input> columns;  // this step's non-zero inputs, ascending
        std::vector<float> summed;          // scratch when several projections sum
        bool at_rest = true;
    };

    std::size_t slot(std::size_t p, std::int64_t k) const {
        const std::int64_t d = static_cast<std::int64_t>(rest_flag_[p].size());
        return static_cast<std::size_t>(((k % d) + d) % d);
    }
    bool at_rest(std::size_t p, std::int64_t k) const { return rest_flag_[p][slot(p, k)] != 0; }
    const float* output(std::size_t p, std::int64_t k) {
        return at_rest(p, k) ? s_.rest.value[p].data() : hist_.at(p, k);
    }

    // Collects this step's input of every afferent group of p; true if all are at rest.
    bool gather(std::size_t p, std::int64_t k, event_stats& st) {
        bool rest = true;
        const auto& groups = s_.plan.groups[p];
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            auto& gs = group_state_[p][gi];
            if (g.spiking_source) {
                gs.columns.clear();
                gs.queue.pop_due(k, [&](const spike_event& e) {
                    ++st.events;
                    const auto& pr = net_.projections[e.channel];
                    if (pr.release_p < 1.0f && !(draws_.release_at(image_, e.channel, k, e.unit) < pr.release_p)) return;
                    gs.columns.push_back({e.unit, 1.0f});
                });
                // Events pop by (projection, unit): merge to ascending units,
                // summing a unit delivered by several projections.
                if (g.projections.size() > 1) {
                    std::stable_sort(gs.columns.begin(), gs.columns.end(),
                                     [](const column_input& a, const column_input& b) { return a.source < b.source; });
                    std::size_t w = 0;
                    for (std::size_t r = 0; r < gs.columns.size(); ++r) {
                        if (w > 0 && gs.columns[w - 1].source == gs.columns[r].source) gs.columns[w - 1].value += gs.columns[r].value;
                        else gs.columns[w++] = gs.columns[r];
                    }
                    gs.columns.resize(w);
                }
                gs.at_rest = gs.columns.empty();
            } else {
                gs.at_rest = true;
                for (std::size_t j : g.projections)
                    gs.at_rest &= at_rest(g.source, k - net_.projections[j].delay) && net_.projections[j].release_p >= 1.0f;
                nonzero_inputs(graded_input(g, gs, k), g.weights->cols, gs.columns);
            }
            rest &= gs.at_rest;
        }
        return rest;
    }

    // The summed input of a graded-source group, as the dense backend forms it.
    const float* graded_input(const afferent_group& g, group_state& gs, std::int64_t k) {
        if (g.projections.size() == 1 && net_.projections[g.projections[0]].release_p >= 1.0f)
            return output(g.source, k - net_.projections[g.projections[0]].delay);
        const std::size_t n = g.weights->cols;
        gs.summed.assign(n, 0.0f);
        for (std::size_t j : g.projections) {
            const auto& pr = net_.projections[j];
            const float* src = output(pr.source, k - pr.delay);
            for (std::size_t i = 0; i < n; ++i)
                if (pr.release_p >= 1.0f || draws_.release_at(image_, j, k, i) < pr.release_p) gs.summed[i] += src[i];
        }
        return gs.summed.data();
    }

    void update_graded(std::size_t p, std::int64_t k, event_stats& st) {
        const bool rest = gather(p, k, st) && s_.rest.defined[p];
        rest_flag_[p][slot(p, k)] = rest;
        if (rest) {
            ++st.rest_layer_steps;
            return;
        }
        if (lazy_[p]) return;  // rows are evaluated on demand by the spiking population
        ++st.dense_layer_updates;
        const auto& pop = net_.populations[p];
        float* out = hist_.at(p, k);
        if (pop.bias.empty()) std::fill(out, out + pop.size, 0.0f);
        else std::copy(pop.bias.begin(), pop.bias.end(), out);
        const auto& groups = s_.plan.groups[p];
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            const auto& gs = group_state_[p][gi];
            accumulate_columns(g.transposed.data(), pop.size, gs.columns.data(), gs.columns.size(), out, 0, pop.size);
        }
        apply_activation(pop.act, out, pop.size);
    }

    // One row of a lazily evaluated population, in the dense kernels' order.
    float row(std::size_t p, std::int64_t k, std::size_t i) {
        if (!lazy_[p] || at_rest(p, k)) return output(p, k)[i];
        const auto& pop = net_.populations[p];
        float acc = pop.bias.empty() ? 0.0f : pop.bias[i];
        const auto& groups = s_.plan.groups[p];
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            const auto& gs = group_state_[p][gi];
            acc = accumulate_row(g.weights->w.data() + i * g.weights->cols, gs.columns.data(), gs.columns.size(), acc);
        }
        return apply_activation(pop.act, acc);
    }

    void update_spiking(std::size_t p, std::int64_t k, event_stats& st) {
        const auto& pop = net_.populations[p];
        // Neurons whose refractoriness ends now rejoin the candidates.
        woken_.clear();
        wake_.pop_due(k, [&](const spike_event& e) { woken_.push_back(e.unit); });
        if (!woken_.empty()) {
            merged_.clear();
            std::merge(candidates_.begin(), candidates_.end(), woken_.begin(), woken_.end(), std::back_inserter(merged_));
            candidates_.swap(merged_);
        }
        fired_.clear();
        std::size_t keep = 0;
        for (std::uint32_t i : candidates_) {
            const float c = row(pop.context, k, i);
            ++st.context_rows;
            const float u = draws_.membrane_noise_at(image_, p, k, i);
            if (gust_fires(x_[i], c, u, 0, pop.theta)) {
                fired_.push_back(i);
                last_fire_[i] = k;
                wake_.push({k + pop.refractory, spike_event::wake_channel, i});
            } else {
                candidates_[keep++] = i;
            }
        }
        candidates_.resize(keep);
        // One event per spike and outgoing projection, never one per synapse.
        for (const auto& [target, gi] : s_.fanout[p])
            for (std::size_t j : s_.plan.groups[target][gi].projections)
                for (std::uint32_t i : fired_)
                    group_state_[target][gi].queue.push({k + net_.projections[j].delay, static_cast<std::uint32_t>(j), i});
        rest_flag_[p][slot(p, k)] = fired_.empty();
    }

    void notify(const step_observer& observe, std::size_t batch_pos, std::int64_t k) {
        const auto& spk = net_.populations[net_.spiking];
        refractory_.resize(spk.size);
        const std::int64_t tau = spk.refractory;
        for (std::size_t i = 0; i < spk.size; ++i) {
            const std::int64_t r = tau - 1 - (k - last_fire_[i]);
            refractory_[i] = static_cast<refractory_t>(r > 0 ? r : 0);
        }
        step_view v{batch_pos, k, {}, refractory_.data()};
        lazy_rows_.resize(net_.populations.size());
        for (std::size_t p = 0; p < net_.populations.size(); ++p) {
            if (p == net_.spiking) {
                auto& s = lazy_rows_[p];
                s.assign(spk.size, 0.0f);
                for (std::uint32_t i : fired_) s[i] = 1.0f;
                v.outputs.push_back(s.data());
                continue;
            }
            if (!lazy_[p] || at_rest(p, k)) {
                v.outputs.push_back(output(p, k));
                continue;
            }
            // Only rows of neurons that could fire were computed: NaN elsewhere.
            auto& rows = lazy_rows_[p];
            rows.assign(net_.populations[p].size, std::numeric_limits<float>::quiet_NaN());
            for (std::size_t i = 0; i < rows.size(); ++i)
                if (x_[i] != 0.0f && (k - last_fire_[i] >= tau || last_fire_[i] == k)) rows[i] = row(p, k, i);
            v.outputs.push_back(rows.data());
        }
        observe(v);
    }

    const shared_setup& s_;
    const network& net_;
    const draw_source& draws_;
    population_history hist_;
    const sim_options& opt_;
    std::vector<std::vector<char>> rest_flag_;
    std::vector<std::vector<group_state>> group_state_;
    std::vector<bool> lazy_;
    std::size_t image_ = 0;
    const float* x_ = nullptr;
    event_queue wake_;
    std::vector<std::int64_t> last_fire_;
    std::vector<std::uint32_t> candidates_, woken_, merged_, fired_;
    std::vector<refractory_t> refractory_;
    std::vector<std::vector<float>> lazy_rows_;
};

}  // namespace

std::vector<image_record> simulate_event(const network& net, const image_batch& images,
                                         const draw_source& draws, const sim_options& opt,
                                         const step_observer& observe, event_stats* stats) {
    net.validate();
    if (images.size != net.populations[net.spiking].size)
        throw input_error("images have " + std::to_string(images.size) + " pixels, the network has " +
                          std::to_string(net.populations[net.spiking].size) + " spiking neurons");
    const shared_setup setup(net);
    std::vector<image_record> out(images.count);
    std::mutex stats_mutex;
    event_stats total;
    auto body = [&](const tbb::blocked_range<std::size_t>& r) {
        event_image_sim sim(setup, draws, opt);
        event_stats st;
        for (std::size_t b = r.begin(); b != r.end(); ++b)
            sim.run(images.pixels + b * images.size, b, images.ids.empty() ? b : images.ids[b], out[b], observe, st);
        std::lock_guard lock(stats_mutex);
        total.steps += st.steps;
        total.spikes += st.spikes;
        total.events += st.events;
        total.dense_layer_updates += st.dense_layer_updates;
        total.rest_layer_steps += st.rest_layer_steps;
        total.context_rows += st.context_rows;
    };
    if (observe || images.count <= 1) {
        body({0, images.count});
    } else {
        tbb::task_arena arena(opt.threads > 0 ? opt.threads : tbb::task_arena::automatic);
        arena.execute([&] { tbb::parallel_for(tbb::blocked_range<std::size_t>(0, images.count, 1), body); });
    }
    if (stats) *stats = total;
    return out;
}

}  // namespace gust
