#include "sim/memory_account.hpp"

#include <set>

#include "core/procedural_synapses.hpp"

namespace gust {

double weight_set_bytes(const weight_matrix& w) {
    // A procedural set holds its rule: per target grid row and column, the
    // receptive field's centre and its extent; per source grid row and
    // column, the range of targets it reaches.
    if (w.procedural()) {
        const procedural_synapses& p = *w.rule;
        return double(sizeof(procedural_synapses)) +
               double(p.window.centre_y.size() + p.window.centre_x.size()) * sizeof(std::int64_t) +
               double(p.window.reach_y.size() + p.window.reach_x.size()) * sizeof(p.window.reach_y[0]) +
               double(p.full_rows.size() + p.reaches_last.size() + p.columns.size() + p.last_columns.size()) *
                   sizeof(std::uint32_t);
    }
    return double(w.w.size()) * sizeof(float) + double(w.indices.bytes()) + double(w.indptr.size()) * sizeof(std::uint32_t);
}

double fanout_bytes(const fanout_matrix& f) {
    return double(f.panels.data.size() + f.values.size()) * sizeof(float) +
           double(f.col_ptr.size() + f.first.size() + f.targets.size()) * sizeof(std::uint32_t) +
           double(f.near.size()) * sizeof(std::uint16_t);
}

memory_account account_memory(const network& net, const afferent_plan& plan) {
    memory_account a;
    std::set<const weight_matrix*> seen;
    for (const auto& pr : net.projections)
        if (seen.insert(pr.weights.get()).second) {
            a.synapses += pr.weights->synapses();
            a.weights += weight_set_bytes(*pr.weights);
        }
    for (const auto& groups : plan.groups)
        for (const auto& g : groups) {
            a.fanouts += fanout_bytes(g.fanout);
            for (const auto& s : g.slices) a.fanouts += fanout_bytes(s);
        }
    return a;
}

}  // namespace gust
