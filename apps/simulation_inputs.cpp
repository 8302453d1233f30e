#include "apps/simulation_inputs.hpp"

#include <cstring>

#include "apps/option_values.hpp"
#include "apps/same_files.hpp"
#include "core/error.hpp"
#include "sim/rank_split.hpp"

namespace gust::cli {

void simulation_flags::add(po::options_description& desc) {
    desc.add_options()
        ("data", po::value<std::string>(&data)->required(), "shapes data set (HDF5, reference layout)")
        ("split", po::value<std::string>(&split)->default_value("test"), "split of the data set")
        ("images", po::value<std::string>(&images)->default_value("0:16"),
         "image range A:B (indices A..B-1), A:, A or all")
        ("cycles", in_range<int>(&cycles, 1, max_cycles)->default_value(30), "cycles of T steps to simulate")
        ("seed", at_least<std::uint64_t>(&seed, 0)->default_value(1), "random seed")
        ("threads", in_range<int>(&threads, 0, max_threads)->default_value(0),
         "worker threads (0 = all cores, shared among the ranks mpirun starts on a machine)")
        ("partitions", in_range<std::size_t>(&partitions, 1, 65536)->default_value(1),
         "event backend: split each image's neurons into P ranges processed in parallel (large networks)")
        ("population-ranks", in_range<std::size_t>(&population_ranks, 1, 65536)->default_value(1),
         "event backend under mpirun: ranks that simulate each image together, each owning a part of every "
         "population (the dense backend computes each image whole on the group's first rank)")
        ("rank-parts", po::value<std::string>(&rank_parts)->default_value("images"),
         "with --population-ranks: where the ranks' parts meet, 'images' (where the run's shape pixels, the ones "
         "that fire, fall on them most evenly) or 'equal' (equal unit counts, as gust topology reports them)");
}

void simulation_flags::check(const po::variables_map& vm) {
    require_positive(vm, "cycles");
    require_nonnegative(vm, "threads");
    require_positive(vm, "partitions");
    if (const std::string parts = vm["rank-parts"].as<std::string>(); parts != "images" && parts != "equal")
        throw input_error("--rank-parts " + parts + ": expected images or equal");
}

namespace {

// The images as a batch for the network of `in`, refused if they are of
// another size.
image_batch batch_of(const simulation_inputs& in, const image_set& images) {
    const network_description& d = in.model.description;
    if (images.count > 0 && (images.height != d.height || images.width != d.width))
        throw input_error(in.data_path + ": images are " + std::to_string(images.height) + "x" +
                          std::to_string(images.width) + " but the network of " + in.model_path + " expects " +
                          std::to_string(d.height) + "x" + std::to_string(d.width));
    return image_batch{images.count, d.pixels(), images.images.data(), images.indices};
}

}  // namespace

simulation_inputs load_simulation_inputs(const model_source& source, const std::string& data_path,
                                         const std::string& split, const std::string& image_range,
                                         const communicator& job, const rank_share* rows, std::size_t population_ranks) {
    require_same_files(job, {source.model_path, source.network_path, data_path});
    simulation_inputs in;
    in.model_path = source.path();
    in.data_path = data_path;
    in.split = split;
    const index_range range = parse_range(image_range, split_size(data_path, split), "--images");
    in.first = range.first;
    in.count = range.count();
    if (job.first())  // its report holds them all
        in.images = read_split(data_path, split, range.first, range.count());
    if (population_ranks > 1) {
        // The parts follow the run's images: known before the model is
        // loaded, since they decide which rows each process holds.
        std::vector<char> bytes;
        if (job.first()) {
            const std::vector<double> at = balanced_split(
                image_batch{in.images.count, in.images.height * in.images.width, in.images.images.data(), {}},
                in.images.width, population_ranks);
            bytes.resize(at.size() * sizeof(double));
            std::memcpy(bytes.data(), at.data(), bytes.size());
        }
        bytes = job.broadcast(bytes);
        in.rank_split.resize(bytes.size() / sizeof(double));
        std::memcpy(in.rank_split.data(), bytes.data(), bytes.size());
    }
    rank_share mine = rows ? *rows : rank_share{};
    mine.split = in.rank_split;
    in.model = load_model(source, rows ? &mine : nullptr, job.local_size());
    if (job.first()) in.batch = batch_of(in, in.images);
    return in;
}

image_batch image_share_of(const simulation_inputs& in, image_share some, std::size_t part, std::size_t parts,
                           const communicator& job, image_set& held) {
    const image_share share = share_of(some.count, part, parts);
    if (job.first()) return sub_batch(in.batch, {some.first + share.first, share.count});
    held = read_split(in.data_path, in.split, in.first + some.first + share.first, share.count);
    return batch_of(in, held);
}

}  // namespace gust::cli
