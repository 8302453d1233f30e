#include "sim/topology.hpp"

#include <boost/graph/bandwidth.hpp>
#include <boost/graph/cuthill_mckee_ordering.hpp>

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/procedural_synapses.hpp"
#include "sim/afferents.hpp"

namespace gust {
namespace {

// Calls f(source unit, target unit) for every synapse of a projection.
template <class F>
void for_each_synapse(const weight_matrix& w, F&& f) {
    for (std::size_t r = 0; r < w.rows; ++r) {
        if (w.procedural()) {  // regenerated, row by row, as the kernels see them
            w.rule->for_each_in_row(r, [&](std::uint32_t s, float) { f(s, r); });
        } else if (w.sparse()) {
            for (std::uint32_t s = w.indptr[r]; s < w.indptr[r + 1]; ++s) f(w.indices.at(r, s), r);
        } else {
            for (std::size_t c = 0; c < w.cols; ++c)
                if (w.w[r * w.cols + c] != 0.0f) f(c, r);
        }
    }
}

// Projections sharing a weight matrix (spike and delayed copy) are one set
// of synapses: visit each matrix once.
template <class F>
void for_each_matrix(const network& net, F&& f) {
    std::vector<const weight_matrix*> seen;
    for (const auto& pr : net.projections) {
        if (std::find(seen.begin(), seen.end(), pr.weights.get()) != seen.end()) continue;
        seen.push_back(pr.weights.get());
        f(pr);
    }
}

std::vector<std::size_t> population_offsets(const network& net) {
    std::vector<std::size_t> offset{0};
    for (const auto& p : net.populations) offset.push_back(offset.back() + p.size);
    return offset;
}

// f(u, v) for every edge of the graph, its ends as vertices: each synapse
// (source, target) and each context link (unit i -> neuron i).
template <class F>
void for_each_edge(const network& net, const std::vector<std::size_t>& offset, F&& f) {
    for_each_matrix(net, [&](const projection& pr) {
        const std::size_t from = offset[pr.source], to = offset[pr.target];
        for_each_synapse(*pr.weights, [&](std::size_t s, std::size_t t) { f(from + s, to + t); });
    });
    for (std::size_t p = 0; p < net.populations.size(); ++p)
        if (net.populations[p].type == population::kind::spiking)
            for (std::size_t i = 0; i < net.populations[p].size; ++i)
                f(offset[net.populations[p].context] + i, offset[p] + i);
}

}  // namespace

graph_extent count_connectivity(const network& net) {
    const std::vector<std::size_t> offset = population_offsets(net);
    graph_extent c;
    c.vertices = offset.back();
    for_each_edge(net, offset, [&](std::size_t u, std::size_t v) {
        ++c.edges;
        c.bandwidth = std::max(c.bandwidth, u > v ? u - v : v - u);
    });
    return c;
}

double topology_graph_bytes(const graph_extent& c) {
    return 16.0 * static_cast<double>(c.edges) + 16.0 * static_cast<double>(c.vertices + 1);
}

std::string graph_out_of_reach(const graph_extent& c, double available) {
    std::ostringstream why;
    why << std::fixed << std::setprecision(2);
    if (c.vertices > std::numeric_limits<std::uint32_t>::max())
        why << "its " << c.vertices << " vertices are more than 32-bit vertex numbers reach";
    else if (const double need = topology_graph_bytes(c); need > 0.9 * available)
        why << "its graph would take " << need / 1073741824.0 << " GiB, more than 90% of the "
            << available / 1073741824.0 << " GiB available";
    return why.str();
}

network_topology::network_topology(const network& net) : offset(population_offsets(net)) {
    const std::size_t n = offset.back();
    if (n > std::numeric_limits<std::uint32_t>::max())
        throw input_error("the network's " + std::to_string(n) +
                          " units are more than a graph of 32-bit vertex numbers holds");
    // The edges are listed by their first end, ascending, so that Boost's
    // in-place sort finds each where it belongs: sorted from a listing in
    // synapse order, the swaps of a few hundred million ends would each miss
    // the cache.
    std::vector<std::size_t> start(n + 1, 0);
    for_each_edge(net, offset, [&](std::size_t u, std::size_t v) {
        ++start[u + 1];
        ++start[v + 1];
    });
    for (std::size_t v = 0; v < n; ++v) start[v + 1] += start[v];
    std::vector<std::uint32_t> from(start.back()), to(start.back());
    {
        std::vector<std::size_t> next(start.begin(), start.end() - 1);
        for_each_edge(net, offset, [&](std::size_t u, std::size_t v) {
            to[next[u]++] = static_cast<std::uint32_t>(v);
            to[next[v]++] = static_cast<std::uint32_t>(u);
        });
    }
    for (std::size_t v = 0; v < n; ++v)
        std::fill(from.begin() + std::ptrdiff_t(start[v]), from.begin() + std::ptrdiff_t(start[v + 1]),
                  static_cast<std::uint32_t>(v));
    std::vector<std::size_t>().swap(start);
    graph = topology_graph(boost::construct_inplace_from_sources_and_targets, from, to, static_cast<std::uint32_t>(n));
}

vertex_ordering reverse_cuthill_mckee(const network_topology& t) {
    const std::size_t n = boost::num_vertices(t.graph);
    vertex_ordering o;
    o.order.resize(n);
    // Each connected component starts from a pseudo-peripheral vertex of low
    // degree (Boost's default choice); the reverse iterator gives RCM.
    std::vector<boost::default_color_type> colour(n);
    std::vector<std::size_t> degree(n);
    for (std::size_t v = 0; v < n; ++v) degree[v] = boost::out_degree(static_cast<std::uint32_t>(v), t.graph);
    const auto index = boost::get(boost::vertex_index, t.graph);
    boost::cuthill_mckee_ordering(t.graph, o.order.rbegin(), boost::make_iterator_property_map(colour.begin(), index),
                                  boost::make_iterator_property_map(degree.begin(), index));
    std::vector<std::size_t> position(n);
    for (std::size_t i = 0; i < n; ++i) position[o.order[i]] = i;
    o.bandwidth = boost::bandwidth(t.graph, boost::make_iterator_property_map(position.begin(), index));
    return o;
}

partition_cut cut_between_partitions(const network& net, std::size_t partitions) {
    std::vector<std::vector<std::size_t>> bounds;
    for (const auto& pop : net.populations) bounds.push_back(partition_bounds(pop.size, partitions));
    auto part_of = [&](std::size_t p, std::size_t unit) {
        const auto& b = bounds[p];
        return static_cast<std::size_t>(std::upper_bound(b.begin(), b.end(), unit) - b.begin()) - 1;
    };
    partition_cut cut;
    for_each_matrix(net, [&](const projection& pr) {
        for_each_synapse(*pr.weights, [&](std::size_t s, std::size_t t) {
            ++cut.synapses;
            cut.crossing += part_of(pr.source, s) != part_of(pr.target, t);
        });
    });
    return cut;
}

}  // namespace gust
