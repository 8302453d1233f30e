// gust compare: run the event and the dense backend on the same images with
// the same seed; exit 0 only if every spike of every image is identical.
// Under mpirun the ranks share the images and rank 0 compares and reports.
#include <chrono>
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "apps/mpi_communicator.hpp"
#include "apps/rank_groups.hpp"
#include "apps/simulation_inputs.hpp"
#include "sim/backend.hpp"
#include "sim/image_shares.hpp"
#include "sim/philox_draws.hpp"
#include "sim/spike_difference.hpp"

namespace gust::cli {

int cmd_compare(const args& a, const communicator& job) {
    po::options_description desc("gust compare options");
    std::string data_path, split, images;
    int cycles = 30, threads = 0;
    std::size_t partitions = 1, population_ranks = 1;
    std::uint64_t seed = 1;
    model_source source;
    add_model_source_options(desc, source);
    desc.add_options()
        ("data", po::value<std::string>(&data_path)->required(), "shapes data set")
        ("split", po::value<std::string>(&split)->default_value("test"), "split of the data set")
        ("images", po::value<std::string>(&images)->default_value("0:16"), "image range A:B, A:, A or all")
        ("cycles", in_range<int>(&cycles, 1, max_cycles)->default_value(30), "cycles of T steps to simulate")
        ("seed", at_least<std::uint64_t>(&seed, 0)->default_value(1), "random seed")
        ("threads", in_range<int>(&threads, 0, max_threads)->default_value(0), "worker threads (0 = all cores, shared among the ranks mpirun starts on a machine)")
        ("partitions", in_range<std::size_t>(&partitions, 1, 65536)->default_value(1),
         "event backend: split each image's neurons into P ranges processed in parallel (large networks)")
        ("population-ranks", in_range<std::size_t>(&population_ranks, 1, 65536)->default_value(1),
         "event backend under mpirun: ranks that simulate each image together, each owning a part of every "
         "population (the dense backend computes each image whole on the group's first rank)");
    po::variables_map vm;
    if (!parse("compare", "(--model M.h5 | --network NET.toml) --data D.h5 [options]", desc, a, vm)) return exit_ok;
    check_model_source(vm, source);
    require_positive(vm, "cycles");
    require_nonnegative(vm, "threads");
    require_positive(vm, "partitions");
    const rank_groups groups = group_ranks(population_ranks, job);
    const int workers = threads_per_rank(threads, job);
    const auto limit = limit_workers(workers);
    // The group's first rank runs the dense backend too, on the whole model;
    // the others hold the weights of the rows they use.
    const rank_share share{partitions, groups.group ? groups.group->rank() : 0, groups.group ? groups.group->size() : 1};
    simulation_inputs in = load_simulation_inputs(source, data_path, split, images, job, groups.index, groups.count,
                                                  groups.group && !groups.leader ? &share : nullptr);
    check_rank_parts(groups, partitions, in.model.net);
    // The simulation's exchanges make no agreement on failures: every rank
    // agrees here that all have their inputs.
    if (groups.group) job.barrier();
    const network& net = in.model.net;
    const philox_draws draws(seed);
    sim_options opt;
    opt.cycles = cycles;
    opt.threads = workers;
    opt.partitions = partitions;
    opt.ranks = groups.group.get();

    auto timed = [&](backend_kind b, double& secs) {
        const auto t0 = std::chrono::steady_clock::now();
        // A group's ranks split the event backend's work; the dense backend
        // computes whole images, so the group's first rank alone runs it.
        std::vector<image_record> simulated;
        if (groups.leader || b == backend_kind::event) simulated = simulate(b, net, in.mine, draws, opt);
        if (!groups.leader) simulated.clear();  // the group's first rank sends them
        auto r = collect_records(std::move(simulated), job);
        secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return r;
    };
    double t_dense = 0, t_event = 0;
    const auto dense = timed(backend_kind::dense, t_dense);
    const auto event = timed(backend_kind::event, t_event);
    if (!job.first()) return exit_ok;

    std::size_t spikes = 0, differing = 0;
    for (std::size_t i = 0; i < dense.size(); ++i) {
        spikes += dense[i].steps.size();
        if (auto d = first_difference(dense[i], event[i], "dense", "event")) {
            if (differing++ == 0)
                std::cout << "first difference: image " << in.images.indices[i] << ", step " << d->step << ", neuron "
                          << d->neuron << " (spikes only in the " << d->only_in << " backend)\n";
        }
    }
    std::cout << "dense " << t_dense * 1e3 << " ms, event " << t_event * 1e3 << " ms, event speed-up "
              << t_dense / t_event << "x (" << in.images.count << " images x " << cycles << " cycles)\n";
    if (differing) {
        std::cout << differing << " of " << dense.size() << " images differ\n";
        return 1;
    }
    std::cout << "identical: " << spikes << " spikes in " << dense.size() << " images\n";
    return exit_ok;
}

}  // namespace gust::cli
