#include "sim/held_rows.hpp"

#include <algorithm>

#include "core/procedural_synapses.hpp"
#include "sim/event_schedule.hpp"
#include "sim/event_setup.hpp"

namespace gust {

namespace event_detail {

namespace {

// Marks in `sources` every candidate of the rows of a procedural set marked
// in `rows`. Per target grid row, the fields of its marked units span one
// rectangle of the source grid.
void mark_candidates(const local_window& win, const std::vector<char>& rows, std::vector<char>& sources) {
    const std::size_t tc = win.target.cols;
    for (std::size_t ty = 0; ty * tc < win.rows; ++ty) {
        std::size_t lo = tc, hi = 0;
        for (std::size_t tx = 0; tx < tc && ty * tc + tx < win.rows; ++tx)
            if (rows[ty * tc + tx]) {
                lo = std::min(lo, tx);
                hi = tx;
            }
        if (lo > hi) continue;
        const local_window::span a = win.field_at(ty, lo), b = win.field_at(ty, hi);
        for (std::int64_t y = a.y0; y <= a.y1; ++y) {
            const std::int64_t base = y * std::int64_t(win.source.cols), end = win.row_end(b, y);
            for (std::int64_t x = a.x0; x < end; ++x) sources[static_cast<std::size_t>(base + x)] = 1;
        }
    }
}

}  // namespace

void mark_sources(const weight_matrix& W, const std::vector<char>& rows, std::vector<char>& sources,
                  std::size_t known_lo, std::size_t known_hi) {
    if (!W.sparse()) {
        if (std::find(rows.begin(), rows.end(), 1) != rows.end()) std::fill(sources.begin(), sources.end(), 1);
        return;
    }
    if (W.procedural()) {
        mark_candidates(W.rule->window, rows, sources);
        return;
    }
    for (std::size_t i = 0; i < W.rows; ++i) {
        const std::uint32_t b = W.indptr[i], e = W.indptr[i + 1];
        if (!rows[i] || b == e || (W.indices.at(i, b) >= known_lo && W.indices.at(i, e - 1) < known_hi)) continue;
        W.indices.for_each_in_row(i, b, e, [&](std::uint32_t, std::uint32_t u) { sources[u] = 1; });
    }
}

std::vector<std::vector<char>> used_rows(
    const event_setup& s, const std::function<void(std::size_t population, const std::vector<char>& rows)>& ready) {
    const population_schedule& schedule = s.schedule;
    const network& net = s.net;
    const std::size_t n = net.populations.size();
    const auto& bounds = s.plan.bounds;
    auto mark_own = [&](std::vector<char>& rows, std::size_t p) {
        std::fill(rows.begin() + static_cast<std::ptrdiff_t>(bounds[p][s.plan.first_owned]),
                  rows.begin() + static_cast<std::ptrdiff_t>(bounds[p][s.plan.end_owned]), 1);
    };
    std::vector<std::vector<char>> used(n);
    for (std::size_t p = 0; p < n; ++p) {
        used[p].assign(net.populations[p].size, 0);
        if (!schedule.demand_driven(p) || s.records_own_rows) mark_own(used[p], p);
    }
    for (std::size_t sp : net.spiking) mark_own(used[net.populations[sp].context], sp);  // context row i is neuron i's
    for (auto it = s.order.rbegin(); it != s.order.rend(); ++it) {  // readers come later in the order
        const std::size_t t = *it;
        if (ready) ready(t, used[t]);
        if (!schedule.demand_driven(t)) continue;
        for (const auto& g : s.plan.groups[t])
            if (!g.spiking_source && schedule.demand_driven(g.source)) mark_sources(*g.weights, used[t], used[g.source]);
    }
    return used;
}

}  // namespace event_detail

namespace {

// Rows [lo, hi) from the first marked row to the last; empty if none is.
std::pair<std::size_t, std::size_t> row_hull(const std::vector<char>& rows) {
    const auto first = std::find(rows.begin(), rows.end(), 1);
    if (first == rows.end()) return {0, 0};
    const auto last = std::find(rows.rbegin(), rows.rend(), 1);
    return {static_cast<std::size_t>(first - rows.begin()), rows.size() - static_cast<std::size_t>(last - rows.rbegin())};
}

bool stored_sparse(const weight_matrix& W) { return W.sparse() && !W.procedural(); }

// The plan of the process of `share`, without rest values: what it uses
// depends on the network alone.
event_setup setup_of(const network& net, const rank_share& share) {
    const std::size_t first = share.rank * share.partitions;
    event_setup s(net, share.partitions * share.ranks, first, first + share.partitions, false, share.split);
    s.records_own_rows = share.records_states;
    return s;
}

}  // namespace

void hold_rows(network_model& m, const rank_share& share, const row_filler& fill) {
    const network_description& d = m.description;
    // Weight set k of the description, and whether it waits to be filled.
    std::vector<const weight_matrix*> sets;
    for (std::size_t j = 0; j < d.projections.size(); ++j)
        if (d.projections[j].owns_weights()) sets.push_back(m.net.projections[j].weights.get());
    std::vector<char> filled(sets.size(), 0);
    for (std::size_t k = 0; k < sets.size(); ++k) filled[k] = !stored_sparse(*sets[k]);
    // The network as it is (stored sparse sets empty) is all the schedule
    // and the demand chains need; a set is filled before its rows' sources
    // are marked.
    const event_setup s = setup_of(m.net, share);
    event_detail::used_rows(s, [&](std::size_t t, const std::vector<char>& rows) {
        const auto [lo, hi] = row_hull(rows);
        if (lo == hi) return;
        for (const auto& g : s.plan.groups[t])
            for (std::size_t k = 0; k < sets.size(); ++k)
                if (sets[k] == g.weights && !filled[k]) {
                    // The network's weight sets are made as non-const objects
                    // (sim/network_model.cpp); only this filling writes them.
                    fill(k, lo, hi, const_cast<weight_matrix&>(*sets[k]));
                    filled[k] = 1;
                }
    });
}

std::size_t stored_synapses(const network_model& m) {
    std::size_t n = 0;
    for (std::size_t j = 0; j < m.description.projections.size(); ++j)
        if (m.description.projections[j].owns_weights()) n += m.net.projections[j].weights->nnz();
    return n;
}

memory_account rank_memory(const network& net, const rank_share& share) {
    const event_setup s = setup_of(net, share);
    const auto used = event_detail::used_rows(s);
    memory_account a = account_memory(net, s.plan);  // the fan-out tables of its partitions
    a.synapses = 0;
    a.weights = 0;
    std::vector<const weight_matrix*> seen;
    for (const auto& pr : net.projections) {
        const weight_matrix& W = *pr.weights;
        if (std::find(seen.begin(), seen.end(), &W) != seen.end()) continue;
        seen.push_back(&W);
        if (!stored_sparse(W)) {
            a.synapses += W.synapses();
            a.weights += weight_set_bytes(W);
            continue;
        }
        const auto [lo, hi] = row_hull(used[pr.target]);
        const std::size_t held = W.indptr[hi] - W.indptr[lo];
        a.synapses += held;
        a.weights += double(held) * sizeof(float) +
                     double(synapse_sources::bytes_of(held, W.rows, W.indices.rows_fit(W.indptr, lo, hi))) +
                     double(W.indptr.size()) * sizeof(std::uint32_t);
    }
    return a;
}

}  // namespace gust
