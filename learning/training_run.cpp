#include "learning/training_run.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "io/network_file.hpp"
#include "learning/checkpoint.hpp"
#include "sim/paper_network.hpp"

namespace gust::learning {

training_run begin_training_run(train_config c, const std::string& dir) {
    training_run run = plan_training_run(std::move(c), dir);
    start_training_run(run, dir);
    return run;
}

training_run plan_training_run(train_config c, const std::string& dir, const io_progress& progress,
                               std::size_t processes_here) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const run_files files(dir);
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw input_error("out", dir + ": exists and is not a folder");
    if (fs::is_directory(dir, ec) && files.any_exist())
        throw input_error("out", dir + ": holds a training run; resume it, or choose another folder");
    if (!c.init_path.empty() && !c.network_path.empty())
        throw input_error("network_path", "not with init_path (the model file holds its network)");
    training_run run;
    if (c.init_path.empty()) {
        run.data = load_training_data(c);
        run.state = fresh_training_state(c, run.data, processes_here);
    } else {
        network_model init = read_network_model(c.init_path, progress);
        const network_description& d = init.description;
        if (is_paper_shaped(d)) {
            c.hidden = d.populations[paper_populations::hidden].size;
            c.inner = d.populations[paper_populations::enc1].size;
        }
        run.data = load_training_data(c);
        run.state = fresh_training_state(c, run.data, std::move(init), processes_here);
    }
    run.config = std::move(c);
    return run;
}

void start_training_run(const training_run& run, const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool made = !fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    if (ec) throw input_error("out", dir + ": cannot create folder: " + ec.message());
    try {
        write_checkpoint(run_files(dir).checkpoint, run.config, run.state);
    } catch (...) {
        if (made) fs::remove_all(dir, ec);  // a run that never started leaves no folder
        throw;
    }
}

training_run continue_training_run(const train_config& stored, training_state state, const std::string& dir,
                                   bool tidy) {
    training_run run{stored, load_training_data(stored), std::move(state)};
    if (tidy) run_files(dir).remove_stale_temporaries();  // a killed run may have left one
    const network_description& d = run.state.model.description;
    if (run.data.images.height != d.height || run.data.images.width != d.width)
        throw input_error(stored.data_path + ": images are " + std::to_string(run.data.images.height) + "x" +
                          std::to_string(run.data.images.width) + " but the run's model expects " +
                          std::to_string(d.height) + "x" + std::to_string(d.width));
    return run;
}

}  // namespace gust::learning
