#include "apps/run_rounds.hpp"

#include <filesystem>
#include <sstream>

#include "core/byte_stream.hpp"

namespace gust::cli {

namespace {

std::string file_state(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    const auto changed = fs::last_write_time(path, ec).time_since_epoch().count();
    return path + " (" + std::to_string(size) + " bytes, changed " + std::to_string(changed) + ")";
}

}  // namespace

std::string records_definition(const model_source& source, const simulation_flags& f, std::size_t first_image,
                               std::size_t images, const std::string& backend, const std::vector<std::string>& record,
                               std::size_t per_round) {
    std::ostringstream d;
    d << "gust run records\nmodel "
      << (source.model_path.empty() ? file_state(source.network_path) + ", init seed " + std::to_string(source.init_seed)
                                    : file_state(source.model_path))
      << "\ndata " << file_state(f.data) << ", split " << f.split << ", images " << first_image << ":"
      << first_image + images << "\ncycles " << f.cycles << "\nseed " << f.seed << "\nbackend " << backend;
    for (const auto& spec : record) d << "\nrecord " << spec;
    d << "\nround " << per_round;
    return d.str();
}

std::size_t take_over_rounds(const std::string& folder, const std::string& definition, std::size_t per_round,
                             std::size_t images, const network& net, std::int64_t steps,
                             const std::vector<probe>& probes, const communicator& job,
                             std::vector<image_record>& records) {
    std::uint64_t rounds = 0;
    if (job.first()) {
        record_shape shape{net.populations[net.readout].size, steps, {}};
        for (const probe& p : probes) shape.recorded.push_back(p.width(net) * p.steps_in(steps));
        finished_rounds kept = read_run_rounds(folder, definition, per_round, images, shape);
        records = std::move(kept.records);
        rounds = kept.rounds;
    }
    byte_writer said;
    said.value(rounds);
    const std::vector<char> heard = job.broadcast(said.bytes());
    return byte_reader(heard).value<std::uint64_t>();
}

}  // namespace gust::cli
