#include "sim/afferents.hpp"

#include <algorithm>

#include "sim/error.hpp"

namespace gust {

afferent_plan::afferent_plan(const network& net)
    : groups(net.populations.size()), context_only(net.populations.size(), false) {
    for (std::size_t j = 0; j < net.projections.size(); ++j) {
        const auto& pr = net.projections[j];
        auto& g = groups[pr.target];
        auto it = std::find_if(g.begin(), g.end(), [&](const afferent_group& a) { return a.weights == pr.weights.get(); });
        if (it == g.end()) {
            afferent_group a;
            a.weights = pr.weights.get();
            a.projections = {j};
            a.source = pr.source;
            a.spiking_source = net.populations[pr.source].type == population::kind::spiking;
            g.push_back(std::move(a));
        } else {
            if (it->source != pr.source)
                throw input_error("network: projections sharing a weight matrix must share their source");
            it->projections.push_back(j);
        }
    }
    for (auto& per_target : groups)
        for (auto& g : per_target) {
            const std::size_t rows = g.weights->rows, cols = g.weights->cols;
            g.transposed.resize(rows * cols);
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t c = 0; c < cols; ++c) g.transposed[c * rows + r] = g.weights->w[r * cols + c];
        }
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
        if (net.populations[p].type != population::kind::graded) continue;
        bool read_by_projection = std::any_of(net.projections.begin(), net.projections.end(),
                                              [&](const projection& pr) { return pr.source == p; });
        bool read_as_context = std::any_of(net.populations.begin(), net.populations.end(), [&](const population& q) {
            return q.type == population::kind::spiking && q.context == p;
        });
        context_only[p] = read_as_context && !read_by_projection;
    }
}

}  // namespace gust
