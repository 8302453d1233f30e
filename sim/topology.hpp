#pragma once
// The network's connectivity as a graph: one vertex per unit of every
// population (spiking neurons and graded units, numbered population by
// population), one undirected edge per synapse and per context link.
// Orderings and partition quality are computed on it: how far apart
// connected units are numbered (bandwidth, before and after reverse
// Cuthill-McKee), and how many synapses cross between the contiguous
// partitions the event backend runs in parallel.
//
// The graph is Boost.Graph's compressed sparse row graph with each edge
// stored both ways, 4 bytes a direction, built in place from two lists of
// ends (16 bytes a synapse and 16 a unit at the peak): an adjacency list
// takes about 115 bytes an edge, which a machine holding a network of a few
// hundred million synapses does not have. What needs no graph (counts, the bandwidth as numbered, the cut) is
// found in a pass over the synapses, so a network whose graph would not fit
// is still measured.
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/network.hpp"

namespace gust {

using topology_graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                          boost::no_property, std::uint32_t, std::size_t>;

// Found in one pass over the synapses, without a graph: vertices, undirected
// edges, and the largest |index(u) - index(v)| over them as numbered.
struct graph_extent {
    std::size_t vertices = 0, edges = 0, bandwidth = 0;
};
graph_extent count_connectivity(const network& net);

// The bytes building network_topology takes at its peak: both ends of both
// directions of every edge, 4 bytes each, and two offsets per vertex.
double topology_graph_bytes(const graph_extent& c);

// Why the graph of a network this size is not built with `available` bytes
// of memory, or "" where it is: its vertices must have 32-bit numbers, and
// it must fit with a tenth of the memory to spare (other processes may grow
// meanwhile). The counts and the cut need no graph.
std::string graph_out_of_reach(const graph_extent& c, double available);

struct network_topology {
    topology_graph graph;
    std::vector<std::size_t> offset;  // first vertex of each population (+ total at the end)

    // Throws input_error if the network has 2^32 units or more.
    explicit network_topology(const network& net);
    std::size_t vertex(std::size_t population, std::size_t unit) const { return offset[population] + unit; }
};

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
