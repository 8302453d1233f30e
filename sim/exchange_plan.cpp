#include "sim/exchange_plan.hpp"

#include <algorithm>
#include <cstring>

#include "core/procedural_synapses.hpp"
#include "sim/event_schedule.hpp"

namespace gust::event_detail {

namespace {

// Marks in `sources` every candidate of the rows of a procedural set marked
// in `rows`: a superset of their synapses (reading a row more than needed
// changes nothing), found without drawing any. Per target grid row, the
// fields of its marked units span one rectangle of the source grid.
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

// Marks in `sources` every source of the rows of W marked in `rows`.
void mark_sources(const weight_matrix& W, const std::vector<char>& rows, std::vector<char>& sources) {
    if (!W.sparse()) {
        if (std::find(rows.begin(), rows.end(), 1) != rows.end()) std::fill(sources.begin(), sources.end(), 1);
        return;
    }
    if (W.procedural()) {
        mark_candidates(W.rule->window, rows, sources);
        return;
    }
    for (std::size_t i = 0; i < W.rows; ++i)
        if (rows[i])
            for (std::uint32_t e = W.indptr[i]; e < W.indptr[i + 1]; ++e) sources[W.indices[e]] = 1;
}

}  // namespace

exchange_plan plan_exchange(const event_setup& s, const population_schedule& schedule, const communicator& ranks) {
    const network& net = s.net;
    const std::size_t n = net.populations.size(), R = ranks.size(), me = ranks.rank();
    const std::size_t per_rank = s.plan.end_owned - s.plan.first_owned;
    const auto& bounds = s.plan.bounds;
    auto own_first = [&](std::size_t p, std::size_t r) { return bounds[p][r * per_rank]; };
    auto own_end = [&](std::size_t p, std::size_t r) { return bounds[p][(r + 1) * per_rank]; };

    // The rows this process uses of each population.
    std::vector<std::vector<char>> used(n);
    for (std::size_t p = 0; p < n; ++p) {
        used[p].assign(net.populations[p].size, 0);
        if (!schedule.demand_driven(p))
            std::fill(used[p].begin() + static_cast<std::ptrdiff_t>(own_first(p, me)),
                      used[p].begin() + static_cast<std::ptrdiff_t>(own_end(p, me)), 1);
    }
    for (std::size_t sp : net.spiking) {  // context row i is neuron i's
        const std::size_t c = net.populations[sp].context;
        std::fill(used[c].begin() + static_cast<std::ptrdiff_t>(own_first(sp, me)),
                  used[c].begin() + static_cast<std::ptrdiff_t>(own_end(sp, me)), 1);
    }
    for (auto it = s.order.rbegin(); it != s.order.rend(); ++it)  // readers come later in the order
        if (schedule.demand_driven(*it))
            for (const auto& g : s.plan.groups[*it])
                if (!g.spiking_source && schedule.demand_driven(g.source))
                    mark_sources(*g.weights, used[*it], used[g.source]);

    // The rows this process reads of each exchanged population.
    auto exchanged = [&](std::size_t p) {
        return net.populations[p].type == population::kind::graded && !schedule.demand_driven(p);
    };
    exchange_plan plan;
    plan.receive.assign(n, std::vector<std::vector<std::uint32_t>>(R));
    plan.send.assign(n, std::vector<std::vector<std::uint32_t>>(R));
    plan.reader_at.resize(n);
    plan.readers.resize(n);
    std::vector<char> read;
    for (std::size_t p = 0; p < n; ++p) {
        if (!exchanged(p)) continue;
        read.assign(net.populations[p].size, 0);
        for (std::size_t t = 0; t < n; ++t)
            for (const auto& g : s.plan.groups[t])
                if (g.source == p) mark_sources(*g.weights, used[t], read);
        for (std::size_t r = 0; r < R; ++r)
            if (r != me)
                for (std::size_t i = own_first(p, r); i < own_end(p, r); ++i)
                    if (read[i]) plan.receive[p][r].push_back(static_cast<std::uint32_t>(i));
    }

    // Tell each owner what this process reads of its rows; learn who reads
    // which of this one's.
    std::vector<char> out, in;
    std::vector<std::size_t> out_at{0}, in_at;
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t p = 0; p < n; ++p) {
            const auto& rows = plan.receive[p][r];
            const std::uint64_t count = rows.size();
            const std::size_t at = out.size();
            out.resize(at + sizeof count + rows.size() * sizeof(std::uint32_t));
            std::memcpy(out.data() + at, &count, sizeof count);
            if (!rows.empty()) std::memcpy(out.data() + at + sizeof count, rows.data(), rows.size() * sizeof(std::uint32_t));
        }
        out_at.push_back(out.size());
    }
    ranks.all_to_all(out, out_at, in, in_at);
    for (std::size_t r = 0; r < R; ++r) {
        std::size_t at = in_at[r];
        for (std::size_t p = 0; p < n; ++p) {
            std::uint64_t count = 0;
            std::memcpy(&count, in.data() + at, sizeof count);
            at += sizeof count;
            auto& rows = plan.send[p][r];
            rows.resize(count);
            if (count) std::memcpy(rows.data(), in.data() + at, count * sizeof(std::uint32_t));
            at += count * sizeof(std::uint32_t);
        }
    }
    for (std::size_t p = 0; p < n; ++p) {
        if (!exchanged(p)) continue;
        const std::size_t first = own_first(p, me), size = own_end(p, me) - first;
        auto& at = plan.reader_at[p];
        at.assign(size + 1, 0);
        for (std::size_t r = 0; r < R; ++r)
            for (std::uint32_t i : plan.send[p][r]) ++at[i - first + 1];
        for (std::size_t i = 0; i < size; ++i) at[i + 1] += at[i];
        plan.readers[p].resize(at[size]);
        std::vector<std::uint32_t> next(at.begin(), at.end() - 1);
        for (std::size_t r = 0; r < R; ++r)  // ascending readers per row
            for (std::uint32_t i : plan.send[p][r]) plan.readers[p][next[i - first]++] = static_cast<std::uint32_t>(r);
    }
    return plan;
}

}  // namespace gust::event_detail
