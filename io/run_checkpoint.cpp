#include "io/run_checkpoint.hpp"

#include <filesystem>
#include <stdexcept>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/h5.hpp"
#include "sim/image_shares.hpp"

namespace gust {

namespace {

std::string round_path(const std::string& folder, std::size_t round) {
    return (std::filesystem::path(folder) / ("round_" + std::to_string(round) + ".h5")).string();
}

// Why a record is not one of this run's, or "".
std::string misfit(const image_record& r, const record_shape& shape) {
    if (r.steps.size() != r.neurons.size()) return "spike steps and neurons differ in number";
    for (std::size_t j = 0; j < r.steps.size(); ++j) {
        if (r.steps[j] < 0 || r.steps[j] >= shape.steps || r.neurons[j] >= shape.neurons)
            return "a spike outside the run's steps or neurons";
        if (j > 0 && (r.steps[j] < r.steps[j - 1] || (r.steps[j] == r.steps[j - 1] && r.neurons[j] <= r.neurons[j - 1])))
            return "spikes not in order of step, then neuron";
    }
    if (r.recorded.size() != shape.recorded.size()) return "another number of recorded states";
    for (std::size_t p = 0; p < r.recorded.size(); ++p)
        if (r.recorded[p].size() != shape.recorded[p]) return "recorded states of another size";
    return "";
}

}  // namespace

std::string run_checkpoint_folder(const std::string& report_path) { return report_path + ".partial"; }

void write_run_round(const std::string& folder, std::size_t round, const std::string& run, std::size_t first,
                     const std::vector<image_record>& records) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw input_error(folder + ": cannot create folder: " + ec.message());
    const std::string path = round_path(folder, round);
    const std::vector<char> bytes = pack_records(records);
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        h5::write_attr_fixed_string(f, "/", "run", run);
        h5::write_attr<std::uint64_t>(f, "/", "first", first);
        h5::write_attr<std::uint64_t>(f, "/", "count", records.size());
        h5::write<std::uint8_t>(f, "/records", {bytes.size()}, reinterpret_cast<const std::uint8_t*>(bytes.data()));
        h5::close(f);
    }
    out.commit();
}

std::vector<image_record> read_run_round(const std::string& path, const std::string& run, std::size_t first,
                                         std::size_t count, const record_shape& shape) {
    h5::file f = h5::open_read(path);
    const auto bad = [&](const std::string& why) { throw input_error(path + ": " + why); };
    if (!h5::has_attr(f, "/", "run") || h5::read_attr_string(f, "/", "run", h5::string_storage::fixed_length) != run)
        bad("written by another run (model, data, images, cycles, seed, backend, --record or --checkpoint-every "
            "differ); resume with the options it started with, or remove " +
            std::filesystem::path(path).parent_path().string());
    if (h5::read_attr_integer(f, "/", "first", 0, std::int64_t{1} << 40) != std::int64_t(first) ||
        h5::read_attr_integer(f, "/", "count", 0, std::int64_t{1} << 40) != std::int64_t(count))
        bad("holds other images than the run's " + std::to_string(first) + "-" + std::to_string(first + count - 1) +
            ", which its name gives");
    const auto bytes = h5::read<std::uint8_t>(f, "/records");
    std::vector<image_record> records;
    try {
        records = unpack_records(std::vector<char>(bytes.begin(), bytes.end()));
    } catch (const std::runtime_error&) {
        bad("dataset 'records' is malformed");
    }
    if (records.size() != count) bad("holds " + std::to_string(records.size()) + " records, not " + std::to_string(count));
    for (const auto& r : records)
        if (const std::string why = misfit(r, shape); !why.empty()) bad("dataset 'records': " + why);
    return records;
}

finished_rounds read_run_rounds(const std::string& folder, const std::string& run, std::size_t per_round,
                                std::size_t total, const record_shape& shape) {
    finished_rounds done;
    for (std::size_t k = 0; k * per_round < total; ++k) {
        const std::string path = round_path(folder, k);
        if (!std::filesystem::exists(path)) break;
        const std::size_t first = k * per_round;
        auto records = read_run_round(path, run, first, std::min(per_round, total - first), shape);
        done.records.insert(done.records.end(), std::make_move_iterator(records.begin()),
                            std::make_move_iterator(records.end()));
        done.rounds = k + 1;
    }
    return done;
}

}  // namespace gust
