#include "sim/exchange_plan.hpp"

#include <algorithm>
#include <cstring>

#include "sim/event_schedule.hpp"
#include "sim/held_rows.hpp"

namespace gust::event_detail {

exchange_plan plan_exchange(const event_setup& s, const communicator& ranks) {
    const network& net = s.net;
    const std::size_t n = net.populations.size(), R = ranks.size(), me = ranks.rank();
    const std::size_t per_rank = s.plan.end_owned - s.plan.first_owned;
    const auto& bounds = s.plan.bounds;
    auto own_first = [&](std::size_t p, std::size_t r) { return bounds[p][r * per_rank]; };
    auto own_end = [&](std::size_t p, std::size_t r) { return bounds[p][(r + 1) * per_rank]; };

    const std::vector<std::vector<char>> used = used_rows(s);

    // The rows this process reads of each exchanged population: of a
    // spiking one, the neurons whose spikes reach rows it uses.
    auto exchanged = [&](std::size_t p) { return !s.schedule.demand_driven(p); };
    exchange_plan plan;
    plan.receive.assign(n, std::vector<std::vector<std::uint32_t>>(R));
    plan.send.assign(n, std::vector<std::vector<std::uint32_t>>(R));
    plan.reader_at.resize(n);
    plan.readers.resize(n);
    std::vector<char> read;
    for (std::size_t p = 0; p < n; ++p) {
        if (!exchanged(p)) continue;
        read.assign(net.populations[p].size, 0);
        for (std::size_t t = 0; t < n; ++t) {
            // A weight set shared by two groups into t (a delayed twin) reads
            // the same sources: marked once.
            std::vector<const weight_matrix*> marked;
            for (const auto& g : s.plan.groups[t]) {
                if (g.source != p || std::find(marked.begin(), marked.end(), g.weights) != marked.end()) continue;
                marked.push_back(g.weights);
                mark_sources(*g.weights, used[t], read, own_first(p, me), own_end(p, me));  // only others' rows are asked for
            }
        }
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
    plan.sends_to.assign(R, 0);
    plan.receives_from.assign(R, 0);
    for (std::size_t p = 0; p < n; ++p)
        for (std::size_t r = 0; r < R; ++r) {
            plan.sends_to[r] |= !plan.send[p][r].empty();
            plan.receives_from[r] |= !plan.receive[p][r].empty();
        }
    for (std::size_t r = 0; r < R; ++r) {
        if (plan.sends_to[r]) plan.to.push_back(r);
        if (plan.receives_from[r]) plan.from.push_back(r);
    }
    plan.neighbours = ranks.neighbours(plan.to, plan.from);
    return plan;
}

void share_rest(event_setup& s, const exchange_plan& plan) {
    const std::size_t R = plan.sends_to.size();
    std::vector<char> out, in;
    std::vector<std::size_t> out_at, in_at;
    s.rest = rest_values(s.net, s.plan, [&](std::size_t p, std::vector<float>& value) {
        if (s.net.populations[p].type == population::kind::spiking) return;  // silent: zero everywhere
        out.clear();
        out_at.assign(1, 0);
        for (std::size_t d = 0; d < R; ++d) {
            for (std::uint32_t i : plan.send[p][d]) {
                const std::size_t at = out.size();
                out.resize(at + sizeof(float));
                std::memcpy(out.data() + at, &value[i], sizeof(float));
            }
            out_at.push_back(out.size());
        }
        plan.neighbours->exchange(out, out_at, in, in_at);
        for (std::size_t r = 0; r < R; ++r) {
            std::size_t at = in_at[r];
            for (std::uint32_t i : plan.receive[p][r]) {
                std::memcpy(&value[i], in.data() + at, sizeof(float));
                at += sizeof(float);
            }
        }
    });
}

}  // namespace gust::event_detail
