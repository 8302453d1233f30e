#pragma once
// Shared plumbing of the gust subcommands: option parsing with --help and
// --config (INI), image ranges, and the error convention (one line on stderr,
// exit status 2 for bad usage or bad input).
#include <boost/program_options.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace gust::cli {

namespace po = boost::program_options;

constexpr int exit_ok = 0, exit_bad_input = 2, exit_internal = 1;

// Parses args (after the subcommand name) into vm; adds --help and --config.
// Returns false when --help was printed (the caller returns exit_ok).
bool parse(const std::string& command, const std::string& usage, po::options_description& desc,
           const std::vector<std::string>& args, po::variables_map& vm);

// "A:B" -> [A, B); "A:" -> [A, size); "A" -> [A, A+1); "all" -> [0, size).
// Throws input_error naming --images when malformed or out of [0, size].
struct index_range {
    std::size_t first = 0, last = 0;
    std::size_t count() const { return last - first; }
};
index_range parse_range(const std::string& text, std::size_t size, const std::string& option);

// Refuses an output path that names one of the inputs (a typo must not
// destroy a data set or a model).
void require_distinct_output(const std::string& out, const std::vector<std::string>& inputs);

// Options whose value must be positive / within bounds, with a message naming them.
void require_positive(const po::variables_map& vm, const std::string& option);
void require_nonnegative(const po::variables_map& vm, const std::string& option);

}  // namespace gust::cli
