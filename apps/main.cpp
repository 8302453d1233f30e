// gust: simulate, train and analyse GUST networks. Dispatches subcommands and
// turns every user error into one line on stderr with exit status 2.
#include <algorithm>
#include <exception>
#include <iostream>
#include <map>

#include "apps/cli_common.hpp"
#include "apps/commands.hpp"
#include "core/error.hpp"

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
};

const std::map<std::string, command>& commands() {
    static const std::map<std::string, command> table = {
        {"dataset", {gust::cli::cmd_dataset, "generate a shapes data set (reference layout)"}},
        {"init", {gust::cli::cmd_init, "write a freshly initialised model"}},
        {"run", {gust::cli::cmd_run, "simulate a model on images; write a SONATA spike report"}},
        {"compare", {gust::cli::cmd_compare, "check that the event and dense backends give identical spikes"}},
        {"topology", {gust::cli::cmd_topology, "connectivity graph: synapses, bandwidth, partition cut"}},
        {"analyze", {gust::cli::cmd_analyze, "read out grouping from a spike report: AMI, SynScore, figures"}},
        {"average", {gust::cli::cmd_average, "the parameter-wise mean of several models (weight averaging), or a weighted one"}},
        {"sharpen", {gust::cli::cmd_sharpen, "scale and shift a model's context logits (sigmoid(gain * logit + offset))"}},
        {"evaluate", {gust::cli::cmd_evaluate, "grouping of a model on fresh 2-, 3- and 4-shape test images"}},
        {"compare-models", {gust::cli::cmd_compare_models, "paired difference of two models' grouping on the same images"}},
        {"select", {gust::cli::cmd_select, "choose among a run's snapshots by its validation images' grouping (label-free)"}},
        {"fit-context", {gust::cli::cmd_fit_context, "fit a model's context gain on its validation images (label-free)"}},
        {"learning-curve", {gust::cli::cmd_learning_curve, "grouping of a run's snapshots over training"}},
        {"train", {gust::cli::cmd_train, "train a model (surrogate-gradient BPTT, Adam) on a data set; resumable"}},
    };
    return table;
}

void usage(std::ostream& os) {
    os << "usage: gust <command> [options]   (gust <command> --help for its options)\n\ncommands:\n";
    for (const auto& [name, c] : commands()) os << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') << c.summary << "\n";
    os << "\ngust --version prints the version.\n";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace gust::cli;
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
    try {
        return it->second.run(args(argv + 2, argv + argc));
    } catch (const gust::input_error& e) {
        // A value the library names as a field is the option of that name here.
        std::string what = e.what();
        if (!e.field().empty()) {
            std::string option = e.field();
            std::replace(option.begin(), option.end(), '_', '-');
            what = "--" + option + ": " + e.detail();
        }
        std::cerr << "gust " << name << ": " << one_line(what) << "\n";
        return exit_bad_input;
    } catch (const boost::program_options::error& e) {
        std::cerr << "gust " << name << ": " << one_line(e.what()) << "\n";
        return exit_bad_input;
    } catch (const std::bad_alloc&) {
        std::cerr << "gust " << name << ": out of memory\n";
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "gust " << name << ": internal error: " << one_line(e.what()) << "\n";
        return exit_internal;
    }
}
