// The connectivity graph (Boost.Graph), the counts found without it, and the
// partition cut.
#include <catch2/catch.hpp>

#include <boost/graph/compressed_sparse_row_graph.hpp>  // before bandwidth.hpp, which needs its properties
#include <boost/graph/bandwidth.hpp>
#include <boost/range/iterator_range.hpp>

#include <algorithm>
#include <numeric>

#include "cli_runner.hpp"
#include "core/machine_memory.hpp"
#include "sim/model.hpp"
#include "sim/paper_network.hpp"
#include "sim/topology.hpp"

using namespace gust;

namespace {
gust_model sparse_model(std::size_t field) {
    model_sizes s{32, 32, 64, 256, 10, 12};
    s.receptive_field = field;
    return init_model(s, 3);
}
}  // namespace

TEST_CASE("topology: one vertex per unit and one edge per synapse and context link, stored both ways",
          "[topology]") {
    const gust_model m = sparse_model(0);
    const network net = paper_network(m);
    const network_topology t(net);
    std::size_t units = 0;
    for (const auto& p : net.populations) units += p.size;
    CHECK(boost::num_vertices(t.graph) == units);
    // enc1, enc2, dec1, dec2 synapses (the spike and its copy share enc1's) + N context links.
    const std::size_t synapses = m.enc1.weight.size() + m.enc2.weight.size() + m.dec1.weight.size() + m.dec2.weight.size();
    const graph_extent c = count_connectivity(net);
    CHECK(c.vertices == units);
    CHECK(c.edges == synapses + m.n_pixels());
    CHECK(boost::num_edges(t.graph) == 2 * c.edges);
    CHECK(topology_graph_bytes(c) == 16.0 * double(c.edges) + 16.0 * double(units + 1));
    // Every edge is there both ways: the graph reads as undirected.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> forth, back;
    for (const auto e : boost::make_iterator_range(boost::edges(t.graph))) {
        forth.emplace_back(boost::source(e, t.graph), boost::target(e, t.graph));
        back.emplace_back(boost::target(e, t.graph), boost::source(e, t.graph));
    }
    std::sort(forth.begin(), forth.end());
    std::sort(back.begin(), back.end());
    CHECK(forth == back);
    // The bandwidth counted without the graph is Boost's on it.
    CHECK(c.bandwidth == boost::bandwidth(t.graph));
    CHECK(cut_between_partitions(net, 1).crossing == 0);
    CHECK(cut_between_partitions(net, 3).synapses == synapses);
}

TEST_CASE("topology: a graph beyond 32-bit vertex numbers or nine tenths of the memory available is not built",
          "[topology]") {
    graph_extent c;
    c.vertices = 999'999;
    c.edges = 1'000'000'000;  // 16 GB with the vertices' offsets
    const double need = topology_graph_bytes(c);
    CHECK(graph_out_of_reach(c, need / 0.9 + 1.0).empty());
    CHECK(graph_out_of_reach(c, need / 0.9 * 1.01).empty());
    CHECK(graph_out_of_reach(c, need / 0.9 * 0.99) ==
          "its graph would take 14.92 GiB, more than 90% of the 16.41 GiB available");
    CHECK(graph_out_of_reach(c, 0.0).find("its graph would take 14.92 GiB") == 0);
    c.vertices = std::size_t{1} << 32;
    c.edges = 1;
    CHECK(graph_out_of_reach(c, 1e15) == "its 4294967296 vertices are more than 32-bit vertex numbers reach");
    c.vertices -= 1;
    CHECK(graph_out_of_reach(c, 1e15).empty());
}

TEST_CASE("topology: local receptive fields cut few synapses and random ones about 1 - 1/P", "[topology][stat]") {
    const network local = paper_network(sparse_model(2)), uniform = paper_network(sparse_model(0));
    for (std::size_t p : {2u, 4u}) {
        const auto cl = cut_between_partitions(local, p), cu = cut_between_partitions(uniform, p);
        const double fl = double(cl.crossing) / double(cl.synapses), fu = double(cu.crossing) / double(cu.synapses);
        INFO(p << " partitions: local " << fl << ", uniform " << fu);
        // Uniform sources: a synapse stays inside with probability 1/P; with
        // ~16000 synapses the standard error is below 0.4%, so 3% is safe.
        CHECK(fu == Approx(1.0 - 1.0 / double(p)).margin(0.03));
        CHECK(fl < 0.5 * fu);
    }
}

TEST_CASE("topology: reverse Cuthill-McKee gives a permutation that narrows a local network", "[topology]") {
    const network_topology t(paper_network(sparse_model(2)));
    const auto rcm = reverse_cuthill_mckee(t);
    std::vector<std::size_t> sorted = rcm.order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::size_t> all(boost::num_vertices(t.graph));
    std::iota(all.begin(), all.end(), std::size_t{0});
    CHECK(sorted == all);
    CHECK(rcm.bandwidth < count_connectivity(paper_network(sparse_model(2))).bandwidth);
}

TEST_CASE("topology: the CLI reports the cut and rejects bad options", "[topology][cli]") {
    test::temp_dir dir;
    const std::string model = dir / "m.h5";
    REQUIRE(test::run_gust("init --height 16 --width 16 --hidden 32 --inner 64 --sparse-fan-in 8 --receptive-field 2 --out " + model, dir).status == 0);
    const auto r = test::run_gust("topology --model " + model + " --partitions 2 3", dir);
    CHECK(r.status == 0);
    CHECK(r.out.find("2 partitions:") != std::string::npos);
    CHECK(r.out.find("3 partitions:") != std::string::npos);
    CHECK(r.out.find("in reverse Cuthill-McKee order\n") != std::string::npos);
    CHECK(r.out.find("memory gust may hold here: " + process_memory_limit().described() + ", ") != std::string::npos);
    // Every projection with its weight set, synapses and bytes per synapse (CSR: value, 16-bit source offset,
    // a row's first source and its offset in the values).
    CHECK(r.out.find("projection pixels -> enc1: delay 0, release 1, encoder/fc1 CSR, 512 synapses, 7.01 bytes per synapse") !=
          std::string::npos);
    CHECK(r.out.find("projection pixels -> enc1: delay 1, release 0.5, shares encoder/fc1") != std::string::npos);
    const auto bad = test::run_gust("topology --model " + model + " --partitions 0", dir);
    CHECK(bad.status == 2);
    CHECK(bad.err.find("--partitions") != std::string::npos);
    CHECK(test::run_gust("topology --model " + (dir / "none.h5"), dir).status == 2);
}

TEST_CASE("topology: a network description is reported as the model gust init writes of it", "[topology][cli]") {
    test::temp_dir dir;
    const std::string net = std::string(GUST_SOURCE_DIR) + "/examples/networks/two_spiking.toml";
    const std::string model = dir / "m.h5";
    REQUIRE(test::run_gust("init --network " + net + " --seed 4 --out " + model, dir).status == 0);
    const auto from_file = test::run_gust("topology --model " + model + " --population-ranks 2", dir);
    const auto from_description = test::run_gust("topology --network " + net + " --init-seed 4 --population-ranks 2", dir);
    REQUIRE(from_file.status == 0);
    CHECK(from_description.status == 0);
    // Every line but the memory available now, which other processes move.
    const auto steady = [](std::string out) {
        const auto at = out.find("memory gust may hold here: ");
        REQUIRE(at != std::string::npos);
        return out.erase(at, out.find('\n', at) - at);
    };
    CHECK(steady(from_description.out) == steady(from_file.out));
    CHECK(from_file.out.find("rank 1 of 2:") != std::string::npos);
    const auto both = test::run_gust("topology --model " + model + " --network " + net, dir);
    CHECK(both.status == 2);
    CHECK(both.err.find("--network") != std::string::npos);
}
