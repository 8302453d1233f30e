#include "sim/rest_state.hpp"

#include <algorithm>

#include "neurons/graded_layer.hpp"

namespace gust {

rest_state rest_values(const network& net, const afferent_plan& plan,
                       const std::function<void(std::size_t, std::vector<float>&)>& defined, bool values) {
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
                if (defined) defined(p, rest.value[p]);
                continue;
            }
            const bool ready = std::all_of(plan.groups[p].begin(), plan.groups[p].end(), [&](const afferent_group& g) {
                return g.spiking_source || rest.defined[g.source];
            });
            if (!ready) continue;
            if (!values) {  // which populations have one, not what it is
                rest.defined[p] = progress = true;
                continue;
            }
            if (!pop.bias.empty()) rest.value[p] = pop.bias;
            std::vector<float> in;
            std::vector<column_input> nz;
            for (const auto& g : plan.groups[p]) {
                if (g.spiking_source) continue;  // silent sources deliver nothing
                // Summed like the backends sum several projections of one source.
                in.assign(g.weights->cols, 0.0f);
                for (std::size_t c = 0; c < g.projections.size(); ++c)
                    for (std::size_t i = 0; i < in.size(); ++i) in[i] += rest.value[g.source][i];
                if (g.projections.size() == 1) in = rest.value[g.source];
                g.accumulate_vector(in.data(), nz, rest.value[p].data());
            }
            apply_activation(pop.act, rest.value[p].data(), pop.size);
            rest.defined[p] = progress = true;
            if (defined) defined(p, rest.value[p]);
        }
    }
    return rest;
}

}  // namespace gust
