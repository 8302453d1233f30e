#include "sim/event_setup.hpp"

namespace gust {

event_setup::event_setup(const network& n, std::size_t partitions, std::size_t first_owned, std::size_t end_owned,
                         bool with_rest, const std::vector<double>& split)
    : net(n), plan(n, partitions, first_owned, end_owned, split), rest(rest_values(n, plan, {}, with_rest)),
      order(n.evaluation_order()), schedule(n, plan, rest, order), fanout(n.populations.size()) {
    for (std::size_t p = 0; p < n.populations.size(); ++p)
        for (std::size_t g = 0; g < plan.groups[p].size(); ++g)
            if (plan.groups[p][g].spiking_source) fanout[plan.groups[p][g].source].push_back({p, g});
    std::vector<bool> listed(n.populations.size());
    for (std::size_t p = 0; p < listed.size(); ++p) listed[p] = schedule.how(p) == event_detail::advance::dirty_rows;
    plan.add_listing_tables(n, listed);
}

}  // namespace gust
