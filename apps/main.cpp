// gust: simulate, train and analyse GUST networks. Dispatches subcommands and
// turns every user error into one line on stderr with exit status 2. Under
// mpirun, every rank runs the same subcommand; a failure on any rank ends
// every rank with that rank's status, and rank 0 prints its one line.
#include <algorithm>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>
#include <memory>

#include "apps/build_identity.hpp"
#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "apps/host_name.hpp"
#include "apps/mpi_communicator.hpp"
#include "core/error.hpp"
#include "core/freed_memory.hpp"
#include "io/reader_fault_guard.hpp"

namespace {

// One line, whatever a file name holds: control characters are shown escaped.
std::string one_line(const std::string& text) {
    std::string out;
    for (const unsigned char ch : text) {
        if (ch == '\n') out += "\\n";
        else if (ch == '\r') out += "\\r";
        else if (ch < 0x20 || ch == 0x7f) out += '?';
        else out += static_cast<char>(ch);
    }
    return out;
}

struct command {
    int (*run)(const gust::cli::args&);
    const char* summary;
    int (*run_distributed)(const gust::cli::args&, const gust::communicator&) = nullptr;
};

const std::map<std::string, command>& commands() {
    static const std::map<std::string, command> table = {
        {"dataset", {gust::cli::cmd_dataset, "generate a shapes data set (reference layout)"}},
        {"init", {gust::cli::cmd_init, "write a freshly initialised model"}},
        {"run", {nullptr, "simulate a model on images; write a SONATA spike report", gust::cli::cmd_run}},
        {"compare", {nullptr, "check that the event and dense backends give identical spikes", gust::cli::cmd_compare}},
        {"topology", {gust::cli::cmd_topology, "connectivity graph: synapses, bandwidth, partition cut"}},
        {"analyze", {gust::cli::cmd_analyze, "read out grouping from a spike report: AMI, SynScore, figures"}},
        {"average", {gust::cli::cmd_average, "the parameter-wise mean of several models (weight averaging), or a weighted one"}},
        {"sharpen", {gust::cli::cmd_sharpen, "scale and shift a model's context logits (sigmoid(gain * logit + offset))"}},
        {"evaluate", {gust::cli::cmd_evaluate, "grouping of a model on fresh 2-, 3- and 4-shape test images"}},
        {"compare-models", {gust::cli::cmd_compare_models, "paired difference of two models' grouping on the same images"}},
        {"select", {gust::cli::cmd_select, "choose among a run's snapshots by its validation images' grouping (label-free)"}},
        {"fit-context", {gust::cli::cmd_fit_context, "fit a model's context gain on its validation images (label-free)"}},
        {"learning-curve", {gust::cli::cmd_learning_curve, "grouping of a run's snapshots over training"}},
        {"train", {nullptr, "train a model (surrogate-gradient BPTT, Adam) on a data set; resumable", gust::cli::cmd_train}},
    };
    return table;
}

void usage(std::ostream& os) {
    os << "usage: gust <command> [options]   (gust <command> --help for its options)\n\ncommands:\n";
    for (const auto& [name, c] : commands()) os << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') << c.summary << "\n";
    os << "\nUnder mpirun -np R, run, compare and train share their work among the ranks; rank 0 writes.\n"
          "gust --version prints the version.\n";
}

// The exit status and one-line message of an exception a subcommand threw.
std::pair<int, std::string> describe(std::exception_ptr error) {
    using namespace gust::cli;
    try {
        std::rethrow_exception(error);
    } catch (const gust::input_error& e) {
        // A value the library names as a field is the option of that name here.
        std::string what = e.what();
        if (!e.field().empty()) {
            std::string option = e.field();
            std::replace(option.begin(), option.end(), '_', '-');
            what = "--" + option + ": " + e.detail();
        }
        return {exit_bad_input, one_line(what)};
    } catch (const boost::program_options::error& e) {
        return {exit_bad_input, one_line(e.what())};
    } catch (const std::bad_alloc&) {
        return {exit_internal, "out of memory"};
    } catch (const std::exception& e) {
        return {exit_internal, "internal error: " + one_line(e.what())};
    }
}

// Every rank of a job must run the program rank 0 runs
// (apps/build_identity.hpp); a rank that does not fails the job, naming
// its machine and both builds.
void require_one_build(const gust::communicator& job) {
    const std::string mine = gust::cli::build_identity();
    const std::vector<char> first = job.broadcast(std::vector<char>(mine.begin(), mine.end()));
    const std::string theirs(first.begin(), first.end());
    if (theirs == mine) return;
    throw gust::input_error("this machine (" + gust::cli::host_name() + ") runs " + mine + ", rank 0 " + theirs +
                            ": every rank of a job must run the same build of gust (copy one build to every machine)");
}

// Runs the subcommand on every rank of the job; all end with rank 0's status.
int run_job(const std::string& name, const command& c, const gust::cli::args& a, const gust::communicator& job) {
    using namespace gust::cli;
    gust::job_failure failure;
    try {
        if (job.size() > 1) require_one_build(job);
        if (!c.run_distributed && job.size() > 1)
            throw gust::input_error("runs in one process: start it without mpirun, or with mpirun -np 1 (" +
                                    std::to_string(job.size()) + " ranks were started)");
        const int status = c.run_distributed ? c.run_distributed(a, job) : c.run(a);
        std::vector<char> bytes(sizeof status);
        std::memcpy(bytes.data(), &status, sizeof status);
        bytes = job.broadcast(bytes);  // also tells every rank that none failed
        int first_status = 0;
        std::memcpy(&first_status, bytes.data(), sizeof first_status);
        return first_status;
    } catch (const gust::job_failed& e) {
        failure = e.failure;  // another rank failed, and said why
    } catch (...) {
        const auto [status, line] = describe(std::current_exception());
        failure = job.fail(status, line);
    }
    if (job.first())
        std::cerr << "gust " << name << ": "
                  << (failure.rank ? "rank " + std::to_string(failure.rank) + ": " : std::string()) << failure.line
                  << "\n";
    return failure.status;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace gust::cli;
    gust::keep_freed_memory();
    if (argc < 2) {
        usage(std::cerr);
        return exit_bad_input;
    }
    const std::string name = argv[1];
    if (name == "--version" || name == "version") {
        std::cout << "gust " << GUST_VERSION << "\n";
        return exit_ok;
    }
    if (name == "--help" || name == "-h" || name == "help") {
        usage(std::cout);
        return exit_ok;
    }
    auto it = commands().find(name);
    if (it == commands().end()) {
        std::cerr << "gust: unknown command '" << name << "' (try gust --help)\n";
        return exit_bad_input;
    }
    std::unique_ptr<gust::communicator> job;
    try {
        job = start_job(argc, argv);
    } catch (...) {
        std::cerr << "gust " << name << ": " << describe(std::current_exception()).second << "\n";
        return exit_bad_input;
    }
    // After MPI_Init, whose library installs fault handlers of its own.
    gust::guard_reader_faults("gust " + name + ": ");
    return run_job(name, it->second, args(argv + 2, argv + argc), *job);
}
