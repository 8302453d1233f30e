#include "apps/readout_inputs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "apps/cli_common.hpp"
#include "io/dataset_file.hpp"
#include "io/spike_report.hpp"
#include "core/error.hpp"

namespace gust::cli {
namespace {

std::vector<std::int32_t> integer_labels(const float* v, std::size_t n, const std::string& what) {
    std::vector<std::int32_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(v[i]) || v[i] < 0.0f || v[i] != std::floor(v[i]) || v[i] > 1e6f)
            throw input_error(what + ": labels must be whole numbers >= 0 (0 = background), found " +
                              std::to_string(v[i]));
        out[i] = static_cast<std::int32_t>(v[i]);
    }
    return out;
}

}  // namespace

population_match parse_population_match(const std::string& name) {
    if (name == "auto") return population_match::automatic;
    if (name == "name") return population_match::by_name;
    if (name == "order") return population_match::by_order;
    throw input_error("--match " + name + ": expected auto, name or order");
}

readout_inputs load_readout_inputs(const std::string& spikes_path, const std::string& labels_path,
                                   const std::string& split, const std::string& image_range, population_match match,
                                   std::size_t first_index) {
    spike_report rep = read_spike_report(spikes_path);
    if (rep.populations.empty()) throw input_error(spikes_path + ": holds no spike populations");

    // Each population's image index: from its name image_<index> (gust run's
    // naming), or its position in the file's order (HDF5 lists names
    // alphabetically) plus first_index.
    const std::size_t n_pop = rep.populations.size();
    bool all_named = true;
    for (const auto& p : rep.populations) all_named = all_named && image_index_in_name(p.name).has_value();
    if (match == population_match::automatic) match = all_named ? population_match::by_name : population_match::by_order;
    std::vector<std::size_t> order(n_pop), index(n_pop);
    for (std::size_t p = 0; p < n_pop; ++p) {
        order[p] = p;
        if (match == population_match::by_order) {
            index[p] = first_index + p;
            continue;
        }
        const auto i = image_index_in_name(rep.populations[p].name);
        if (!i)
            throw input_error(spikes_path + ": population '" + rep.populations[p].name +
                              "' is not named image_<index>; pass --match order to take populations in the file's order");
        index[p] = *i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return index[a] < index[b]; });
    for (std::size_t k = 1; k < n_pop; ++k)
        if (index[order[k]] == index[order[k - 1]])
            throw input_error(spikes_path + ": populations '" + rep.populations[order[k - 1]].name + "' and '" +
                              rep.populations[order[k]].name + "' are both image " + std::to_string(index[order[k]]));
    // Any range is well formed here (images are picked by index, not position);
    // one that selects no population is refused below with the indices on offer.
    const index_range range = parse_range(image_range, std::numeric_limits<std::size_t>::max(), "--images");
    std::vector<std::size_t> chosen;
    for (std::size_t p : order)
        if (index[p] >= range.first && index[p] < range.last) chosen.push_back(p);
    if (chosen.empty())
        throw input_error("--images " + image_range + ": selects none of the images in " + spikes_path + " (indices " +
                          std::to_string(index[order.front()]) + " to " + std::to_string(index[order.back()]) + ")");

    readout_inputs in;
    readout_info& info = in.info;
    info.spikes_file = spikes_path;
    info.T = rep.meta ? rep.meta->T : 10;  // docs/formats.md: T = 10 unless the run says otherwise

    // Ground truth (and the input image, for the figures).
    image_set data;
    std::size_t data_first = 0;
    if (!labels_path.empty()) {
        data_first = index[chosen.front()];
        data = read_split(labels_path, split, data_first, index[chosen.back()] - data_first + 1);
        if (data.labels.empty())
            throw input_error("--labels " + labels_path + ": split '" + split + "' has no 'groups' (label) dataset");
        info.height = data.height;
        info.width = data.width;
        info.label_source = labels_path + " split " + split;
    } else {
        info.label_source = spikes_path + " /gust extras";
        if (rep.meta) {
            info.height = rep.meta->height;
            info.width = rep.meta->width;
        }
    }
    const std::size_t pixels = info.height * info.width;

    for (std::size_t p : chosen) {
        analysed_image im;
        im.index = index[p];
        const image_extras* extras = rep.meta ? &rep.images[p] : nullptr;
        if (!labels_path.empty()) {
            const std::size_t row = (im.index - data_first) * pixels;
            im.labels = integer_labels(data.labels.data() + row, pixels,
                                       labels_path + " " + split + " image " + std::to_string(im.index));
            im.input.assign(data.images.begin() + static_cast<std::ptrdiff_t>(row),
                            data.images.begin() + static_cast<std::ptrdiff_t>(row + pixels));
            // A report that recorded its input must have been run on this data set.
            if (extras && !extras->input.empty() && extras->input != im.input)
                throw input_error("--labels " + labels_path + " --split " + split + ": image " +
                                  std::to_string(im.index) + " differs from the input recorded in " + spikes_path +
                                  " (another data set or split?)");
        } else {
            if (!extras || extras->labels.empty())
                throw input_error(spikes_path + ": no ground-truth labels for " + rep.populations[p].name +
                                  " (no /gust/" + rep.populations[p].name +
                                  "/labels); the read-out needs labels: pass --labels DATA.h5 --split SPLIT");
            im.labels = integer_labels(extras->labels.data(), pixels, spikes_path + ": /gust/" + rep.populations[p].name + "/labels");
            im.input = extras->input;
        }
        in.images.push_back(std::move(im));
    }

    // Cycles: as the run recorded, else as far as the spikes reach.
    if (rep.meta && rep.meta->cycles > 0) {
        info.cycles = rep.meta->cycles;
    } else {
        info.cycles = 1;
        for (std::size_t p : chosen) info.cycles = std::max(info.cycles, analysis::cycles_spanned(rep.populations[p].timestamps, info.T));
    }
    for (std::size_t k = 0; k < chosen.size(); ++k) {
        const auto& pop = rep.populations[chosen[k]];
        in.trains.push_back(analysis::make_cycle_trains(pop.timestamps, pop.node_ids, pixels, info.T, info.cycles,
                                                        spikes_path + ": /spikes/" + pop.name));
    }
    return in;
}

}  // namespace gust::cli
