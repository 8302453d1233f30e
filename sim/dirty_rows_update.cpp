#include "sim/dirty_rows_update.hpp"

#include <algorithm>
#include <bit>

#include <boost/iterator/counting_iterator.hpp>

#include "neurons/graded_layer.hpp"
#include "sim/for_partitions.hpp"
#include "sim/grid_reach.hpp"
#include "sim/shared_row_sums.hpp"

namespace gust::event_detail {

dirty_rows_update::dirty_rows_update(const event_setup& s, partition_exchange* exchange)
    : s_(s), net_(s.net), listed_(s.net.populations.size()), sums_(s.plan.partitions),
      counts_(s.plan.partitions), exchange_(exchange) {
    for (std::size_t p = 0; p < listed_.size(); ++p)
        if (s.schedule.how(p) == advance::dirty_rows)
            for (std::size_t q = 0; q < s.plan.partitions; ++q) {
                const std::size_t rb = s.plan.bounds[p][q], re = s.plan.bounds[p][q + 1];
                listed_[p].emplace_back(q >= s.plan.first_owned && q < s.plan.end_owned ? row_set(rb, re - rb) : row_set());
            }
}

void dirty_rows_update::reset() {
    for (auto& sets : listed_)
        for (auto& set : sets) set.clear();
    std::fill(counts_.begin(), counts_.end(), listed_counts{});
}

void dirty_rows_update::add_counts(event_stats& st) const {
    for (const listed_counts& c : counts_) st.listed_rows += c.rows, st.listed_runs += c.runs;
}

bool dirty_rows_update::update(std::size_t p, std::int64_t k, event_image_state& state, event_stats& st) {
    auto& changed = state.changed(p, k);
    if (!find_rows(p, k, state, changed)) return false;
    changed.all = false;
    for (const auto& rows : changed.rows) st.row_updates += rows.size();
    compute_rows(p, k, state, changed);
    return true;
}

bool dirty_rows_update::find_rows(std::size_t p, std::int64_t k, event_image_state& state, changed_rows& changed) {
    const auto& groups = s_.plan.groups[p];
    for (const auto& g : groups)  // a source that changed whole reaches (nearly) every row
        if (!g.spiking_source)
            for (std::size_t j : g.projections) {
                const std::int64_t ks = k - net_.projections[j].delay;
                if (!state.at_rest(g.source, ks) && state.changed(g.source, ks).all) return false;
            }
    const std::size_t parts = s_.plan.partitions;
    partition_ok_.assign(parts, 1);
    // The slot of step k is first brought back to the rest value. It still
    // holds what compute_rows left in it at the slot's last use unless
    // something else wrote it since (changed.all): the rest value except the
    // rows listed then. Putting those back costs a few rows where copying
    // the rest value costs the whole range.
    float* out = state.layer(p, k);
    const auto& rest = s_.rest.value[p];
    const bool rest_but_listed = !changed.all;
    for_partitions(s_.plan.first_owned, s_.plan.end_owned, [&](std::size_t q) {
        const std::size_t rb = s_.plan.bounds[p][q], re = s_.plan.bounds[p][q + 1], limit = (re - rb) / 4;
        auto& rows = changed.rows[q];
        if (rest_but_listed) {
            for (std::uint32_t r : rows) out[r] = rest[r];
        } else {
            std::copy(rest.begin() + static_cast<std::ptrdiff_t>(rb), rest.begin() + static_cast<std::ptrdiff_t>(re),
                      out + rb);
        }
        rows.clear();
        auto& listed = listed_[p][q];
        // False, the list dropped, once it is too long to be worth it.
        auto short_enough = [&] {
            if (listed.size() <= limit) return true;
            listed.clear();
            return false;
        };
        // The targets of `source` among partition q's rows.
        auto add_targets = [&](const afferent_group& g, std::uint32_t source) {
            if (g.weights->procedural())  // sixteen candidate rows tested at once, added as one mask
                g.weights->rule->for_each_target_mask(source, rb, re, [&](std::size_t first, std::uint32_t keep) {
                    listed.insert_mask(first, keep);
                });
            else
                g.for_each_target(q, source, [&](std::size_t r) { listed.insert(r); });
            return short_enough();
        };
        // The targets of n sources, source_at(i), ascending: found on the
        // grid where the set has fields; else through the fan-out, of a
        // stored set only the sources that reach partition q's rows, their
        // fan-out asked of memory ahead of the walk.
        auto add_sources = [&](const afferent_group& g, std::size_t n, auto source_at) {
            if (g.fields != nullptr)
                return for_each_reached_range(*g.fields, n, source_at, rb, re, [&](std::size_t first, std::size_t last) {
                    listed.insert_range(first, last);
                    return short_enough();
                });
            const fanout_matrix* f = g.weights->procedural() ? nullptr : &g.fanout_of(q);
            std::size_t i = 0, end = n;
            if (f != nullptr) {
                // Counting iterators rather than std::views::iota, which
                // clang 14 cannot compile with libstdc++ 12's <ranges>.
                const boost::counting_iterator<std::size_t> first{0}, last{n};
                auto first_from = [&](std::uint32_t v) {  // the first i with source_at(i) >= v
                    return *std::partition_point(first, last, [&](std::size_t j) { return source_at(j) < v; });
                };
                i = first_from(f->reached_begin);
                end = std::max(i, first_from(f->reached_end));
            }
            constexpr std::size_t offsets_ahead = 16, targets_ahead = 8;
            for (; i < end; ++i) {
                if (f != nullptr) {
                    if (i + offsets_ahead < end) f->prefetch_offsets(source_at(i + offsets_ahead));
                    if (i + targets_ahead < end) f->prefetch_targets(source_at(i + targets_ahead));
                }
                if (!add_targets(g, source_at(i))) return false;
            }
            return true;
        };
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            if (g.spiking_source) {
                const auto& cols = state.input(p, gi).columns;
                if (!add_sources(g, cols.size(), [&](std::size_t i) { return cols[i].source; })) {
                    partition_ok_[q] = 0;
                    return;
                }
                continue;
            }
            for (std::size_t j : g.projections) {
                const std::int64_t ks = k - net_.projections[j].delay;
                if (state.at_rest(g.source, ks)) continue;
                for (const auto& source_rows : state.changed(g.source, ks).rows)
                    if (!add_sources(g, source_rows.size(), [&](std::size_t i) { return source_rows[i]; })) {
                        partition_ok_[q] = 0;
                        return;
                    }
            }
        }
        listed.take(rows);
    });
    const bool ok = std::all_of(partition_ok_.begin(), partition_ok_.end(), [](char c) { return c != 0; });
    return exchange_ ? exchange_->all(ok) : ok;
}

namespace {

// Drops from `rows` those whose value came out as the rest value, bit for
// bit (a ReLU row whose sum stays below zero, as at rest): readers of the
// layer, and the processes it is sent to, see no change there, so the rows
// they read need not be recomputed for it.
void keep_changed(std::vector<std::uint32_t>& rows, const float* out, const float* rest) {
    std::erase_if(rows, [&](std::uint32_t r) {
        return std::bit_cast<std::uint32_t>(out[r]) == std::bit_cast<std::uint32_t>(rest[r]);
    });
}

}  // namespace

void dirty_rows_update::compute_rows(std::size_t p, std::int64_t k, event_image_state& state,
                                     changed_rows& changed) {
    const auto& pop = net_.populations[p];
    float* out = state.layer(p, k);
    const auto& rest = s_.rest.value[p];
    const auto& groups = s_.plan.groups[p];
    const bool spikes_only = std::all_of(groups.begin(), groups.end(), [](const afferent_group& g) { return g.spiking_source; });
    for_partitions(s_.plan.first_owned, s_.plan.end_owned, [&](std::size_t q) {
        const std::size_t rb = s_.plan.bounds[p][q], re = s_.plan.bounds[p][q + 1];
        auto& rows = changed.rows[q];
        if (spikes_only) {
            // The listed rows are exactly those the spikes reach: scatter
            // the spikes (ascending) onto their biases, as the whole layer
            // would, touching nothing else.
            for (std::uint32_t r : rows) out[r] = pop.bias.empty() ? 0.0f : pop.bias[r];
            for (std::size_t gi = 0; gi < groups.size(); ++gi) {
                const auto& cols = state.input(p, gi).columns;
                groups[gi].accumulate_rows(q, rb, re, cols.data(), cols.size(), nullptr, out);
            }
            for (std::uint32_t r : rows) out[r] = apply_activation(pop.act, out[r]);
            keep_changed(rows, out, rest.data());
            return;
        }
        // Every group's terms, group after group, for all listed rows at once.
        auto& sums = sums_[q];
        sums.resize(rows.size());
        counts_[q].count(rows);
        for (std::size_t i = 0; i < rows.size(); ++i) sums[i] = pop.bias.empty() ? 0.0f : pop.bias[rows[i]];
        for (std::size_t gi = 0; gi < groups.size(); ++gi)
            sum_rows_shared(*groups[gi].weights, rows.data(), rows.size(), state.input(p, gi).dense_input, sums.data());
        for (std::size_t i = 0; i < rows.size(); ++i) out[rows[i]] = apply_activation(pop.act, sums[i]);
        keep_changed(rows, out, rest.data());
    });
}

}  // namespace gust::event_detail
