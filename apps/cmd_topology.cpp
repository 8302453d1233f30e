// gust topology: a model's projections and the memory their weight sets and
// fan-out tables take; with --population-ranks, the memory each rank holds
// when ranks split each image (for a model beyond this machine, that alone,
// each rank's part built in turn); then its connectivity as a graph (Boost.Graph):
// how local the numbering is (bandwidth, and what reverse Cuthill-McKee would
// reach, where the graph fits in the memory available), and the share of
// synapses crossing between the event backend's partitions for each
// partition count asked for.
#include <iomanip>
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "apps/model_source.hpp"
#include "core/error.hpp"
#include "core/machine_memory.hpp"
#include "sim/event_setup.hpp"
#include "sim/held_rows.hpp"
#include "sim/network_model.hpp"
#include "sim/memory_account.hpp"
#include "sim/topology.hpp"

namespace gust::cli {

namespace {

void check_rank_count(const network& net, std::size_t ranks) {
    for (const auto& pop : net.populations)
        if (pop.size < ranks)
            throw input_error("--population-ranks " + std::to_string(ranks) + ": more than the " +
                              std::to_string(pop.size) + " units of population '" + pop.name + "'");
}

void print_populations(const network& net) {
    std::cout << "populations:";
    for (const auto& pop : net.populations) std::cout << " " << pop.name << " " << pop.size;
    std::cout << "\n";
}

// What rank `share.rank` holds, per synapse of `per` (`synapses` of them).
void print_rank(const memory_account& m, const rank_share& share, double synapses, const char* per) {
    std::cout << "rank " << share.rank << " of " << share.ranks << ": " << m.synapses << " synapses held, " << std::fixed
              << std::setprecision(1) << m.weights / 1048576.0 << " MiB of weight sets, " << m.fanouts / 1048576.0
              << " MiB of fan-out tables (" << std::setprecision(2) << (m.weights + m.fanouts) / synapses
              << " bytes per synapse " << per << ")\n" << std::defaultfloat;
}

}  // namespace

int cmd_topology(const args& a) {
    po::options_description desc("gust topology options");
    model_source source;
    std::vector<std::size_t> partitions;
    std::size_t population_ranks = 1;
    add_model_source_options(desc, source);
    desc.add_options()
        ("partitions", list_in_range<std::size_t>(&partitions, 1, 65536),
         "partition counts to report the cut for (default 2 4 8)")
        ("population-ranks", in_range<std::size_t>(&population_ranks, 1, 65536)->default_value(1),
         "also report the memory each of K ranks holds under gust run --population-ranks K (one partition each); "
         "for a network this machine cannot hold whole, only that, each rank's part built in turn");
    po::variables_map vm;
    if (!parse("topology", "(--model M.h5 | --network NET.toml) [--partitions 2 4 8] [--population-ranks K]", desc, a,
               vm))
        return exit_ok;
    check_model_source(vm, source);
    if (partitions.empty()) partitions = {2, 4, 8};
    for (std::size_t p : partitions)
        if (p == 0) throw input_error("--partitions: counts must be at least 1");
    const memory_limit limit = process_memory_limit();
    if (const double whole = model_bytes(source); population_ranks > 1 && whole > limit.bytes) {
        // A network for more than this machine: each rank's part built in
        // turn, as that rank builds it, and nothing of the whole.
        std::cout << "the whole model takes about " << whole_gib(whole) << " GiB, more than " << limit.described()
                  << ": each rank's part is built in turn, and the whole network's fan-out tables, graph and "
                     "partition cut are left out\n";
        for (std::size_t r = 0; r < population_ranks; ++r) {
            const rank_share share{1, r, population_ranks};
            const network_model part = load_model(source, &share);
            if (r == 0) {
                check_rank_count(part.net, population_ranks);
                print_populations(part.net);
            }
            const memory_account m = rank_memory(part.net, share);
            print_rank(m, share, double(std::max<std::size_t>(m.synapses, 1)), "it holds");
        }
        return exit_ok;
    }
    const network_model model = load_model(source);
    const network& net = model.net;
    check_rank_count(net, population_ranks);
    print_populations(net);
    // Each projection, and what its weight set costs in memory per synapse
    // (a dense value; or a CSR value, its source index and the row offsets;
    // or, procedural, nearly nothing).
    const network_description& d = model.description;
    for (std::size_t j = 0; j < net.projections.size(); ++j) {
        const projection& pr = net.projections[j];
        const weight_matrix& w = *pr.weights;
        std::cout << "projection " << net.populations[pr.source].name << " -> " << net.populations[pr.target].name
                  << ": delay " << pr.delay << ", release " << pr.release_p << ", ";
        if (!d.projections[j].owns_weights()) {
            std::cout << "shares " << d.projections[j].shares << "\n";
            continue;
        }
        const double bytes = weight_set_bytes(w);
        const char* storage = w.procedural() ? "procedural" : w.sparse() ? "CSR" : "dense";
        std::cout << d.projections[j].name << " " << storage << ", " << w.synapses()
                  << (w.procedural() ? " synapses (expected), " : " synapses, ") << std::fixed << std::setprecision(2)
                  << bytes / double(std::max<std::size_t>(w.synapses(), 1))
                  << " bytes per synapse\n" << std::defaultfloat;
    }
    // The weight sets and the fan-out tables the event backend builds from
    // them (the dense one builds fewer: no table to find changed rows by).
    double n = 1;  // the network's synapses
    for (std::size_t p : std::vector<std::size_t>{1, partitions.front()}) {
        const memory_account m = account_memory(net, event_setup(net, p, 0, p, false).plan);
        n = double(std::max<std::size_t>(m.synapses, 1));
        std::cout << "memory with " << p << (p == 1 ? " partition: " : " partitions: ") << std::fixed
                  << std::setprecision(1) << m.weights / 1048576.0 << " MiB of weight sets (" << std::setprecision(2)
                  << m.weights / n << " bytes per synapse), " << std::setprecision(1) << m.fanouts / 1048576.0
                  << " MiB of fan-out tables (" << std::setprecision(2) << m.fanouts / n << ")\n" << std::defaultfloat;
        if (partitions.front() == 1) break;
    }
    // What each rank holds when ranks split each image (sim/held_rows.hpp).
    if (population_ranks > 1) {
        for (std::size_t r = 0; r < population_ranks; ++r)
            print_rank(rank_memory(net, {1, r, population_ranks}), {1, r, population_ranks}, n, "of the network");
    }
    // What those are weighed against (core/machine_memory.hpp).
    const double available = available_memory_bytes();
    std::cout << "memory gust may hold here: " << limit.described() << ", " << std::fixed
              << std::setprecision(1) << available / 1073741824.0 << " GiB of it available now\n" << std::defaultfloat;
    const graph_extent c = count_connectivity(net);
    std::cout << "vertices " << c.vertices << ", edges " << c.edges << "\n" << std::flush;
    std::cout << "bandwidth: " << c.bandwidth << " as numbered, ";
    if (const std::string why = graph_out_of_reach(c, available); why.empty())
        std::cout << reverse_cuthill_mckee(network_topology(net)).bandwidth << " in reverse Cuthill-McKee order\n";
    else
        std::cout << "none computed in reverse Cuthill-McKee order: " << why << "\n";
    for (std::size_t p : partitions) {
        const auto cut = cut_between_partitions(net, p);
        std::cout << p << " partitions: " << cut.crossing << " of " << cut.synapses << " synapses cross ("
                  << std::fixed << std::setprecision(1) << 100.0 * double(cut.crossing) / double(cut.synapses)
                  << "%)\n" << std::defaultfloat;
    }
    return exit_ok;
}

}  // namespace gust::cli
