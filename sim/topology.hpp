#pragma once
// The network's connectivity as a Boost.Graph: one vertex per unit of every
// population (spiking neurons and graded units, numbered population by
// population), one undirected edge per synapse. Orderings and partition
// quality are computed on it: how far apart connected units are numbered
// (bandwidth, before and after reverse Cuthill-McKee), and how many synapses
// cross between the contiguous partitions the event backend runs in parallel.
#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <vector>

#include "sim/network.hpp"

namespace gust {

using topology_graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

struct network_topology {
    topology_graph graph;
    std::vector<std::size_t> offset;  // first vertex of each population (+ total at the end)

    explicit network_topology(const network& net);
    std::size_t vertex(std::size_t population, std::size_t unit) const { return offset[population] + unit; }
};

// Largest |index(u) - index(v)| over the edges, with the current numbering.
std::size_t bandwidth(const network_topology& t);

// The reverse Cuthill-McKee order of every vertex (order[i] = vertex placed
// i-th) and the bandwidth it achieves.
struct vertex_ordering {
    std::vector<std::size_t> order;
    std::size_t bandwidth = 0;
};
vertex_ordering reverse_cuthill_mckee(const network_topology& t);

// Synapses whose two ends lie in different partitions when every population
// is split into `partitions` contiguous balanced ranges (as the event
// backend splits them): the traffic partitions exchange through the queues.
struct partition_cut {
    std::size_t synapses = 0, crossing = 0;
};
partition_cut cut_between_partitions(const network& net, std::size_t partitions);

}  // namespace gust
