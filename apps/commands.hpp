#pragma once
// The gust subcommands; each takes the arguments after its name and returns
// the exit status. Errors propagate as exceptions to main(). Those that take
// a communicator share their work among the ranks mpirun started; the
// others run in one process.
#include <string>
#include <vector>

#include "sim/communicator.hpp"

namespace gust::cli {

using args = std::vector<std::string>;

int cmd_dataset(const args& a);
int cmd_init(const args& a);
int cmd_run(const args& a, const communicator& job);
int cmd_compare(const args& a, const communicator& job);
int cmd_topology(const args& a);
int cmd_analyze(const args& a);
int cmd_train(const args& a, const communicator& job);
int cmd_average(const args& a);
int cmd_sharpen(const args& a);
int cmd_evaluate(const args& a);
int cmd_compare_models(const args& a);
int cmd_select(const args& a);
int cmd_fit_context(const args& a);
int cmd_learning_curve(const args& a);

}  // namespace gust::cli
