#include "sim/event_schedule.hpp"

#include <algorithm>

namespace gust::event_detail {

namespace {

std::vector<bool> demand_driven_populations(const network& net, const afferent_plan& plan,
                                            const std::vector<std::size_t>& order) {
    const std::size_t n = net.populations.size();
    std::vector<bool> lazy(n, false);
    // Probes read demand-driven populations row by row too (only the probed
    // rows, at the probed steps), so recording changes nothing here.
    for (std::size_t p = 0; p < n; ++p) lazy[p] = plan.context_only[p];
    for (auto it = order.rbegin(); it != order.rend(); ++it) {  // readers come later in the order
        const std::size_t p = *it;
        if (lazy[p] || net.populations[p].type != population::kind::graded) continue;
        bool read = false, all_lazy = true;
        for (const auto& pr : net.projections)
            if (pr.source == p) {
                read = true;
                all_lazy &= pr.delay == 0 && lazy[pr.target] && pr.weights->sparse() && pr.release_p >= 1.0f;
            }
        for (const auto& q : net.populations) all_lazy &= !(q.type == population::kind::spiking && q.context == p);
        lazy[p] = read && all_lazy;
    }
    return lazy;
}

// Row by row needs sparse weights (a row's inputs are few) and inputs whose
// changed rows are known: spikes, or graded sources that are always
// released and not demand-driven. A population without a rest value has no
// rows to leave at rest.
bool rows_can_change_alone(const network& net, const afferent_plan& plan, const rest_state& rest,
                           const std::vector<bool>& lazy, std::size_t p) {
    if (net.populations[p].type != population::kind::graded || lazy[p] || !rest.defined[p]) return false;
    bool ok = !plan.groups[p].empty();
    for (const auto& g : plan.groups[p]) {
        ok &= g.weights->sparse();
        for (std::size_t j : g.projections)
            ok &= g.spiking_source ? true : net.projections[j].release_p >= 1.0f && !lazy[g.source];
    }
    return ok;
}

}  // namespace

population_schedule::population_schedule(const network& net, const afferent_plan& plan, const rest_state& rest,
                                         const std::vector<std::size_t>& order) {
    const std::vector<bool> lazy = demand_driven_populations(net, plan, order);
    const std::size_t n = net.populations.size();
    how_.assign(n, advance::whole_layer);
    for (std::size_t p = 0; p < n; ++p) {
        if (net.populations[p].type == population::kind::spiking) how_[p] = advance::spiking;
        else if (lazy[p]) how_[p] = advance::demand_rows;
        else if (rows_can_change_alone(net, plan, rest, lazy, p)) how_[p] = advance::dirty_rows;
    }
}

}  // namespace gust::event_detail
