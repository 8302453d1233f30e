// gust run: simulate clean images of a data set and write their spikes as a
// SONATA report with the /gust extras (inputs, labels, run metadata). Under
// mpirun the ranks (or groups of --population-ranks ranks, which split each
// image's populations) share the images and rank 0 writes the report, the
// same bytes as one process writes.
#include <chrono>
#include <filesystem>
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/mpi_communicator.hpp"
#include "apps/rank_groups.hpp"
#include "apps/simulation_inputs.hpp"
#include "apps/record_option.hpp"
#include "io/run_report.hpp"
#include "io/state_report.hpp"
#include "sim/backend.hpp"
#include "sim/held_rows.hpp"
#include "sim/image_shares.hpp"
#include "sim/philox_draws.hpp"

namespace gust::cli {

int cmd_run(const args& a, const communicator& job) {
    po::options_description desc("gust run options");
    simulation_flags f;
    std::string backend, out, states;
    std::vector<std::string> record;
    model_source source;
    add_model_source_options(desc, source);
    f.add(desc);
    desc.add_options()
        ("backend", po::value<std::string>(&backend)->default_value("event"),
         "simulation backend: event (default) or dense; both give the same spikes")
        ("out", po::value<std::string>(&out)->required(), "spike report to write (SONATA HDF5)")
        ("record", po::value<std::vector<std::string>>(&record)->composing(),
         "also record POP[.refractory][:UNITS][@FIRST:END[:STRIDE]] into --states, e.g. context:0-99@290:300 "
         "(repeatable; UNITS like 0-99,200; docs/formats.md \"State reports\")")
        ("states", po::value<std::string>(&states), "state report to write with --record (HDF5)");
    po::variables_map vm;
    if (!parse("run", "(--model M.h5 | --network NET.toml) --data D.h5 --out SPIKES.h5 [options]", desc, a, vm)) return exit_ok;
    check_model_source(vm, source);
    simulation_flags::check(vm);
    const rank_groups groups = group_ranks(f.population_ranks, job);
    const backend_kind kind = parse_backend(backend);
    require_distinct_output(out, {source.path(), f.data});
    if (record.empty() != states.empty())
        throw input_error(record.empty() ? "--states: needs at least one --record" : "--record: needs --states FILE");
    if (!states.empty()) {
        require_distinct_output(states, {source.path(), f.data});
        if (states == out) throw input_error("--states " + states + ": the same file as --out");
    }
    const int workers = threads_per_rank(f.threads, job);
    const auto limit = limit_workers(workers);
    // Ranks that split each image hold only the weights of the rows they use
    // (with recorded states, all their own rows). The dense backend
    // computes each image whole on the group's first rank, which holds the
    // whole model; the others compute nothing and hold their share.
    const rank_share share{f.partitions, groups.group ? groups.group->rank() : 0, groups.group ? groups.group->size() : 1,
                           !record.empty()};
    const bool split_model = groups.group && (kind == backend_kind::event || !groups.leader);
    simulation_inputs in = load_simulation_inputs(source, f.data, f.split, f.images, job, groups.index, groups.count,
                                                  split_model ? &share : nullptr);
    check_rank_parts(groups, f.partitions, in.model.net);
    // The simulation's exchanges make no agreement on failures: every rank
    // agrees here that all have their inputs.
    if (groups.group) job.barrier();
    const network_description& d = in.model.description;

    sim_options opt;
    opt.cycles = f.cycles;
    opt.threads = workers;
    opt.partitions = f.partitions;
    opt.ranks = groups.group.get();
    for (const auto& spec : record) opt.record.push_back(parse_record_option(spec, d));
    // Rank 0 gathers every image's records before writing them.
    require_recording_fits(opt.record, in.model.net, std::int64_t(f.cycles) * d.cycle, in.images.count);
    const auto t0 = std::chrono::steady_clock::now();
    event_stats stats;  // the event backend's: what this rank exchanged
    // The dense backend computes whole images: a group's first rank alone runs it.
    std::vector<image_record> simulated;
    std::size_t neighbours = 0;  // of this rank, in its group
    double prepare_secs = 0;     // of the event engine, part of secs
    if (kind == backend_kind::event) {
        const event_engine engine(in.model.net, opt.partitions, opt.ranks, !opt.record.empty());
        prepare_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        simulated = engine.run(in.mine, philox_draws(f.seed), opt, {}, &stats);
        neighbours = engine.neighbours();
    } else if (groups.leader)
        simulated = simulate(kind, in.model.net, in.mine, philox_draws(f.seed), opt);
    if (!groups.leader) simulated.clear();  // the group's first rank sends them
    const auto records = collect_records(std::move(simulated), job);
    if (!job.first()) return exit_ok;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const spike_report report =
        run_report(records, in.images, {d.cycle, f.cycles, f.seed, backend, f.split, f.data, source.describe(), d.height, d.width});
    std::size_t total = 0;
    for (const auto& r : records) total += r.steps.size();
    const auto& set = in.images;
    if (!states.empty()) {
        write_state_report(states, opt.record, in.model.net, records, in.images,
                           static_cast<std::int64_t>(f.cycles) * d.cycle);
        try {
            write_spike_report(out, report);
        } catch (...) {
            std::error_code ec;
            std::filesystem::remove(states, ec);  // the two files appear together or not at all
            throw;
        }
    } else {
        write_spike_report(out, report);
    }
    std::cout << "simulated " << set.count << " images x " << f.cycles << " cycles (" << backend << ", "
              << secs * 1e3 / static_cast<double>(set.count) << " ms/image";
    // Set-up apart, so that a short run's figure can be read as the steady rate.
    if (kind == backend_kind::event) std::cout << " of which " << prepare_secs << " s preparing the engine";
    std::cout << "), " << total << " spikes -> "
              << out << (states.empty() ? "" : ", states -> " + states);
    if (kind == backend_kind::event && !vm["population-ranks"].defaulted()) {  // rank 0's share is like every rank's
        const auto steps = static_cast<double>(stats.steps);
        std::cout << "; rank 0: " << stored_synapses(in.model) << " stored synapses, " << stats.synaptic_events
                  << " synaptic events, sent "
                  << static_cast<double>(stats.exchanged_bytes) / steps << " bytes per step in "
                  << static_cast<double>(stats.exchanges) / steps << " exchanges with " << neighbours << " of "
                  << f.population_ranks - 1 << " other ranks, " << stats.exchanged_spikes << " copies of its "
                  << stats.spikes << " spikes";
    }
    std::cout << "\n";
    return exit_ok;
}

}  // namespace gust::cli
