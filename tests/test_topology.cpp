// The connectivity graph (Boost.Graph) and the partition cut it reports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "cli_runner.hpp"
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

TEST_CASE("topology: one vertex per unit and one edge per synapse and context link", "[topology]") {
    const gust_model m = sparse_model(0);
    const network net = paper_network(m);
    const network_topology t(net);
    std::size_t units = 0;
    for (const auto& p : net.populations) units += p.size;
    CHECK(boost::num_vertices(t.graph) == units);
    // enc1, enc2, dec1, dec2 synapses (the spike and its copy share enc1's) + N context links.
    const std::size_t synapses = m.enc1.weight.size() + m.enc2.weight.size() + m.dec1.weight.size() + m.dec2.weight.size();
    CHECK(boost::num_edges(t.graph) == synapses + m.n_pixels());
    CHECK(cut_between_partitions(net, 1).crossing == 0);
    CHECK(cut_between_partitions(net, 3).synapses == synapses);
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
    CHECK(rcm.bandwidth < bandwidth(t));
}

TEST_CASE("topology: the CLI reports the cut and rejects bad options", "[topology][cli]") {
    test::temp_dir dir;
    const std::string model = dir / "m.h5";
    REQUIRE(test::run_gust("init --height 16 --width 16 --hidden 32 --inner 64 --sparse-fan-in 8 --receptive-field 2 --out " + model, dir).status == 0);
    const auto r = test::run_gust("topology --model " + model + " --partitions 2 3", dir);
    CHECK(r.status == 0);
    CHECK(r.out.find("2 partitions:") != std::string::npos);
    CHECK(r.out.find("3 partitions:") != std::string::npos);
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
