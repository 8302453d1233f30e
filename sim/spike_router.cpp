#include "sim/spike_router.hpp"

#include <algorithm>

namespace gust::event_detail {

spike_router::spike_router(const event_setup& s, const draw_source& draws)
    : s_(s), net_(s.net), draws_(draws), spiking_index_(s.net.spiking_places()), queues_(s.plan.partitions) {
    const std::size_t P = net_.populations.size();
    first_outgoing_.assign(P, 0);
    std::size_t queues = 0;
    for (std::size_t src : net_.spiking) {
        first_outgoing_[src] = queues;
        queues += s.fanout[src].size();
    }
    // Only spiking sources have queues; other groups keep index 0, unused.
    outgoing_index_.resize(P);
    for (std::size_t p = 0; p < P; ++p)
        for (std::size_t g = 0; g < s.plan.groups[p].size(); ++g) {
            const std::size_t src = s.plan.groups[p][g].source;
            const auto& out = s.fanout[src];
            const auto at = std::find(out.begin(), out.end(), std::make_pair(p, g));
            outgoing_index_[p].push_back(at == out.end() ? 0 : first_outgoing_[src] + std::size_t(at - out.begin()));
        }
    for (auto& part : queues_) {
        part.wake.resize(net_.spiking.size());
        part.outgoing.resize(queues);
    }
}

void spike_router::clear() {
    for (auto& part : queues_) {
        for (auto& w : part.wake) w.clear();
        for (auto& out : part.outgoing) out.clear();
    }
}

void spike_router::send(std::size_t p, std::size_t q, std::int64_t k, const std::vector<std::uint32_t>& fired) {
    const auto& out = s_.fanout[p];
    for (std::size_t o = 0; o < out.size(); ++o) {
        const auto& [target, gi] = out[o];
        event_queue& queue = queues_[q].outgoing[first_outgoing_[p] + o];
        for (std::size_t j : s_.plan.groups[target][gi].projections)
            for (std::uint32_t i : fired)
                queue.push({k + net_.projections[j].delay, static_cast<std::uint32_t>(j), i});
    }
}

void spike_router::deliver(std::size_t p, std::size_t group, std::int64_t k, std::size_t image,
                           std::vector<column_input>& columns, event_stats& st) {
    const std::size_t o = outgoing_index_[p][group];
    columns.clear();
    for (auto& part : queues_)
        part.outgoing[o].pop_due(k, [&](const spike_event& e) {
            ++st.events;
            const auto& pr = net_.projections[e.channel];
            if (pr.release_p < 1.0f && !(draws_.release_at(image, e.channel, k, e.unit) < pr.release_p)) return;
            columns.push_back({e.unit, 1.0f});
        });
    if (s_.plan.groups[p][group].projections.size() > 1) {
        std::stable_sort(columns.begin(), columns.end(),
                         [](const column_input& a, const column_input& b) { return a.source < b.source; });
        std::size_t w = 0;
        for (std::size_t r = 0; r < columns.size(); ++r) {
            if (w > 0 && columns[w - 1].source == columns[r].source) columns[w - 1].value += columns[r].value;
            else columns[w++] = columns[r];
        }
        columns.resize(w);
    }
}

}  // namespace gust::event_detail
