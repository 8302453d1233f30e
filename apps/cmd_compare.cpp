// gust compare: run the event and the dense backend on the same images with
// the same seed; exit 0 only if every spike of every image is identical.
// Under mpirun the ranks share the images and rank 0 compares and reports.
#include <chrono>
#include <iostream>

#include "apps/cli_common.hpp"
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
    simulation_flags f;
    model_source source;
    add_model_source_options(desc, source);
    f.add(desc);
    po::variables_map vm;
    if (!parse("compare", "(--model M.h5 | --network NET.toml) --data D.h5 [options]", desc, a, vm)) return exit_ok;
    check_model_source(vm, source);
    simulation_flags::check(vm);
    const rank_groups groups = group_ranks(f.population_ranks, job);
    const int workers = threads_per_rank(f.threads, job);
    const auto limit = limit_workers(workers);
    // The group's first rank runs the dense backend too, on the whole model;
    // the others hold the weights of the rows they use.
    const rank_share share{f.partitions, groups.group ? groups.group->rank() : 0, groups.group ? groups.group->size() : 1};
    simulation_inputs in = load_simulation_inputs(source, f.data, f.split, f.images, job,
                                                  groups.group && !groups.leader ? &share : nullptr,
                                                  f.placed_ranks(share.ranks));
    image_set held;  // this rank's share, on ranks other than 0
    const image_batch mine = image_share_of(in, {0, in.count}, groups.index, groups.count, job, held);
    check_rank_parts(groups, f.partitions, in.model.net);
    // The simulation's exchanges make no agreement on failures: every rank
    // agrees here that all have their inputs.
    if (groups.group) job.barrier();
    const network& net = in.model.net;
    const philox_draws draws(f.seed);
    sim_options opt;
    opt.cycles = f.cycles;
    opt.threads = workers;
    opt.partitions = f.partitions;
    opt.ranks = groups.group.get();
    opt.rank_split = in.rank_split;

    auto timed = [&](backend_kind b, double& secs) {
        const auto t0 = std::chrono::steady_clock::now();
        // A group's ranks split the event backend's work; the dense backend
        // computes whole images, so the group's first rank alone runs it.
        std::vector<image_record> simulated;
        if (groups.leader || b == backend_kind::event) simulated = simulate(b, net, mine, draws, opt);
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
              << t_dense / t_event << "x (" << in.images.count << " images x " << f.cycles << " cycles)\n";
    if (differing) {
        std::cout << differing << " of " << dense.size() << " images differ\n";
        return 1;
    }
    std::cout << "identical: " << spikes << " spikes in " << dense.size() << " images\n";
    return exit_ok;
}

}  // namespace gust::cli
