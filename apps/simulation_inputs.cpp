#include "apps/simulation_inputs.hpp"

#include "core/error.hpp"

namespace gust::cli {

simulation_inputs load_simulation_inputs(const model_source& source, const std::string& data_path,
                                         const std::string& split, const std::string& image_range,
                                         const communicator& job, std::size_t part, std::size_t parts,
                                         const rank_share* rows) {
    simulation_inputs in;
    in.model = load_model(source, rows);
    const network_description& d = in.model.description;
    const index_range range = parse_range(image_range, split_size(data_path, split), "--images");
    const image_share share = share_of(range.count(), part, parts);
    if (job.first()) in.images = read_split(data_path, split, range.first, range.count());
    else in.images = read_split(data_path, split, range.first + share.first, share.count);
    if (in.images.height != d.height || in.images.width != d.width)
        throw input_error(data_path + ": images are " + std::to_string(in.images.height) + "x" +
                          std::to_string(in.images.width) + " but the network of " + source.path() + " expects " +
                          std::to_string(d.height) + "x" + std::to_string(d.width));
    in.batch = image_batch{in.images.count, d.pixels(), in.images.images.data(), in.images.indices};
    in.mine = job.first() ? sub_batch(in.batch, share) : in.batch;
    return in;
}

}  // namespace gust::cli
