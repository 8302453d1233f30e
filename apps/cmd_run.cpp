// gust run: simulate clean images of a data set and write their spikes as a
// SONATA report with the /gust extras (inputs, labels, run metadata). Under
// mpirun the ranks (or groups of --population-ranks ranks, which split each
// image's populations) share the images and rank 0 writes the report, the
// same bytes as one process writes. With --checkpoint-every N the images go
// in rounds of N whose records are kept as they finish (io/run_checkpoint),
// so that an interrupted run resumes with --resume.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/mpi_communicator.hpp"
#include "apps/option_values.hpp"
#include "apps/rank_groups.hpp"
#include "apps/simulation_inputs.hpp"
#include "apps/record_option.hpp"
#include "apps/run_rounds.hpp"
#include "apps/stop_signal.hpp"
#include "io/run_checkpoint.hpp"
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
    std::size_t checkpoint_every = 0, stop_after = 0;
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
        ("states", po::value<std::string>(&states), "state report to write with --record (HDF5)")
        ("checkpoint-every", in_range<std::size_t>(&checkpoint_every, 0, std::size_t{1} << 40)->default_value(0),
         "simulate the images in rounds of N and keep each round's records in OUT.partial/ as it finishes, so "
         "that an interrupted run resumes (--resume); SIGINT and SIGTERM stop after the round (0: one round, "
         "nothing kept)")
        ("resume", "continue the run whose rounds are in OUT.partial/: the same command and --resume (threads, "
                   "partitions and ranks may differ)")
        ("stop-after-rounds", in_range<std::size_t>(&stop_after, 0, std::size_t{1} << 40)->default_value(0),
         "with --checkpoint-every: stop once this many rounds are kept (a slice of a long run, as a batch system's "
         "time limit allows), to be resumed; 0: run to the end");
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
    const bool resume = vm.count("resume") > 0;
    if (resume && checkpoint_every == 0)
        throw input_error("--resume: give the --checkpoint-every the run started with");
    if (stop_after > 0 && checkpoint_every == 0) throw input_error("--stop-after-rounds: needs --checkpoint-every");
    const std::string partial = run_checkpoint_folder(out);
    if (job.first()) {
        std::error_code ec;
        const bool kept = std::filesystem::exists(partial, ec);
        if (resume && !kept) throw input_error("--resume: " + partial + " does not exist (nothing to resume)");
        if (!resume && kept)
            throw input_error("--out " + out + ": " + partial + " holds the rounds of an interrupted run; resume it "
                              "with the same command and --resume, or remove it");
    }
    simulation_inputs in = load_simulation_inputs(source, f.data, f.split, f.images, job, split_model ? &share : nullptr,
                                                  f.placed_ranks(share.ranks));
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
    opt.rank_split = in.rank_split;
    for (const auto& spec : record) opt.record.push_back(parse_record_option(spec, d));
    // Rank 0 gathers every image's records before writing them.
    require_recording_fits(opt.record, in.model.net, std::int64_t(f.cycles) * d.cycle, in.images.count);

    // The rounds: positions [k * per_round, ...) of the run's images.
    const std::size_t total = in.count, per_round = checkpoint_every == 0 ? std::max<std::size_t>(total, 1) : checkpoint_every;
    const std::string defined = records_definition(source, f, in.first, total, backend, record, per_round);
    std::vector<image_record> records;  // rank 0: every image's, in order
    const std::size_t first_round =
        resume ? take_over_rounds(partial, defined, per_round, total, in.model.net, std::int64_t(f.cycles) * d.cycle,
                                  opt.record, job, records)
               : 0;

    const auto t0 = std::chrono::steady_clock::now();
    event_stats stats;  // the event backend's: what this rank exchanged
    std::size_t neighbours = 0;  // of this rank, in its group
    double prepare_secs = 0;     // of the event engine, part of secs
    std::unique_ptr<event_engine> engine;
    if (kind == backend_kind::event) {
        engine = std::make_unique<event_engine>(in.model.net, opt.partitions, opt.ranks, !opt.record.empty(),
                                                opt.rank_split);
        prepare_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        neighbours = engine->neighbours();
    }
    // From the first round on a signal stops the run after its round; during
    // the set-up before it, there is nothing to keep, and it ends the run.
    if (checkpoint_every > 0) install_stop_handlers();
    for (std::size_t k = first_round; k * per_round < total; ++k) {
        const image_share round{k * per_round, std::min(per_round, total - k * per_round)};
        image_set held;
        const image_batch mine = image_share_of(in, round, groups.index, groups.count, job, held);
        // The dense backend computes whole images: a group's first rank alone runs it.
        std::vector<image_record> simulated;
        if (engine) {
            event_stats round_stats;
            simulated = engine->run(mine, philox_draws(f.seed), opt, {}, &round_stats);
            stats += round_stats;
        } else if (groups.leader)
            simulated = simulate(kind, in.model.net, mine, philox_draws(f.seed), opt);
        if (!groups.leader) simulated.clear();  // the group's first rank sends them
        auto got = collect_records(std::move(simulated), job);
        const bool last = (k + 1) * per_round >= total;
        if (job.first() && !last) {
            write_run_round(partial, k, defined, round.first, got);
            std::cout << "round " << k + 1 << ": " << round.first + round.count << " of " << total << " images done, kept in "
                      << partial << "\n" << std::flush;
        }
        records.insert(records.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
        if (!last && stop_after > 0 && k + 1 - first_round == stop_after) {
            if (job.first())
                std::cout << "stopped after " << stop_after << (stop_after == 1 ? " round; " : " rounds; ") << partial
                          << " is whole: resume with the same command and --resume\n";
            return exit_ok;
        }
        if (!last && checkpoint_every > 0 && job_stops(job)) {
            if (job.first())
                std::cerr << "gust run: interrupted by " << stop_signal_name() << " after " << round.first + round.count
                          << " of " << total << " images; " << partial << " is whole: resume with the same command and --resume\n";
            return 128 + stop_signal_received();
        }
    }
    if (!job.first()) return exit_ok;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const spike_report report =
        run_report(records, in.images, {d.cycle, f.cycles, f.seed, backend, f.split, f.data, source.describe(), d.height, d.width});
    std::size_t spikes = 0;
    for (const auto& r : records) spikes += r.steps.size();
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
    std::error_code ec;
    std::filesystem::remove_all(partial, ec);  // its rounds are in the report now
    const std::size_t resumed = std::min(total, first_round * per_round), here = total - resumed;
    std::cout << "simulated " << here << " images" << (resumed ? " (" + std::to_string(resumed) + " more resumed)" : "") << " x " << f.cycles << " cycles (" << backend << ", "
              << secs * 1e3 / static_cast<double>(std::max<std::size_t>(here, 1)) << " ms/image";
    // Set-up apart, so that a short run's figure can be read as the steady rate.
    if (kind == backend_kind::event) std::cout << " of which " << prepare_secs << " s preparing the engine";
    std::cout << "), " << spikes << " spikes -> "
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
