#include "analysis/model_grouping.hpp"

#include <tbb/blocked_range.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <string>

#include "analysis/spike_trains.hpp"
#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "sim/event_backend.hpp"
#include "sim/philox_draws.hpp"

namespace gust::analysis {

void read_out_all(std::vector<analysed_image>& images, const std::vector<cycle_trains>& trains,
                  const readout_options& opt, int threads) {
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] {
        gust::parallel_for(tbb::blocked_range<std::size_t>(0, images.size(), 1), [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i)
                images[i].readout = read_out_image(trains[i], images[i].labels, images[i].index, opt);
        });
    });
}

image_set fresh_shape_images(std::size_t objects, std::size_t count, std::uint64_t data_seed,
                             std::size_t height, std::size_t width) {
    shapes_dataset_spec spec;
    spec.n_test = objects;
    spec.test_size = count;
    spec.train_size = 1;
    spec.height = height;
    spec.width = width;
    spec.seed = data_seed;
    validate(spec);
    const shapes_split test = shapes_splits(spec)[2];
    image_set set;
    set.count = count;
    set.height = height;
    set.width = width;
    const std::size_t n = height * width;
    set.images.resize(count * n);
    set.labels.resize(count * n);
    set.indices.resize(count);
    gust::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
        shapes_image(spec, test, i, set.images.data() + i * n, set.labels.data() + i * n);
        set.indices[i] = i;
    });
    return set;
}

namespace {

// Each image's labels (checked whole: before the minutes of simulation, not
// after) and input, its read-out still empty.
std::vector<analysed_image> labelled_images(const image_set& images) {
    if (images.labels.size() != images.images.size())
        throw input_error("the images have no ground-truth labels (a 'groups' dataset)");
    const std::size_t n = images.height * images.width;
    std::vector<analysed_image> out(images.count);
    for (std::size_t i = 0; i < images.count; ++i) {
        analysed_image& im = out[i];
        im.index = images.indices[i];
        im.labels.resize(n);
        for (std::size_t k = 0; k < n; ++k) {
            const float v = images.labels[i * n + k];
            if (!(v >= 0.0f && v <= 1e6f && v == std::floor(v)))
                throw input_error("image " + std::to_string(im.index) +
                                  ": labels must be whole numbers >= 0 (0 = background)");
            im.labels[k] = static_cast<std::int32_t>(v);
        }
        im.input.assign(images.images.begin() + static_cast<std::ptrdiff_t>(i * n),
                        images.images.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
    }
    return out;
}

model_grouping read_out_records(std::vector<analysed_image> images, const std::vector<image_record>& records,
                                const image_set& set, int T, int cycles, const readout_options& opt, int threads) {
    model_grouping g;
    g.info.T = T;
    g.info.cycles = cycles;
    g.info.height = set.height;
    g.info.width = set.width;
    g.info.options = opt;
    g.images = std::move(images);
    const std::size_t n = set.height * set.width;
    g.trains.reserve(set.count);
    for (std::size_t i = 0; i < set.count; ++i) {
        const std::vector<double> times(records[i].steps.begin(), records[i].steps.end());
        const std::vector<std::uint64_t> nodes(records[i].neurons.begin(), records[i].neurons.end());
        g.trains.push_back(make_cycle_trains(times, nodes, n, T, cycles, "image " + std::to_string(g.images[i].index)));
    }
    read_out_all(g.images, g.trains, opt, threads);
    std::vector<image_readout> readouts;
    readouts.reserve(g.images.size());
    for (const auto& im : g.images) readouts.push_back(im.readout);
    g.summary = summarize(readouts, T);
    return g;
}

}  // namespace

model_grouping group_records(const std::vector<image_record>& records, const image_set& images, int T, int cycles,
                             const readout_options& opt, int threads) {
    if (records.size() != images.count)
        throw input_error("the run has " + std::to_string(records.size()) + " images, the labels " +
                          std::to_string(images.count));
    return read_out_records(labelled_images(images), records, images, T, cycles, opt, threads);
}

model_grouping group_images(const network_model& model, const image_set& images, const grouping_protocol& p) {
    const network_description& d = model.description;
    if (images.height != d.height || images.width != d.width)
        throw input_error("images are " + std::to_string(images.height) + "x" + std::to_string(images.width) +
                          " but the model expects " + std::to_string(d.height) + "x" + std::to_string(d.width));
    std::vector<analysed_image> labelled = labelled_images(images);
    sim_options opt;
    opt.cycles = p.cycles;
    opt.threads = p.threads;
    const image_batch batch{images.count, images.height * images.width, images.images.data(), images.indices};
    const auto records = simulate_event(model.net, batch, philox_draws(p.seed), opt);
    return read_out_records(std::move(labelled), records, images, d.cycle, p.cycles, p.readout, p.threads);
}

grouping_measure parse_grouping_measure(const std::string& name, const std::string& option) {
    if (name == "ami") return grouping_measure::ami;
    if (name == "synscore") return grouping_measure::synscore;
    if (name == "active_synscore" || name == "active-synscore") return grouping_measure::active_synscore;
    throw input_error(option + " " + name + ": expected active_synscore, synscore or ami");
}

const char* measure_name(grouping_measure m) {
    switch (m) {
        case grouping_measure::ami: return "ami";
        case grouping_measure::synscore: return "synscore";
        default: return "active_synscore";
    }
}

double measure_of(const cycle_summary& c, grouping_measure m) {
    switch (m) {
        case grouping_measure::ami: return c.ami_mean;
        case grouping_measure::synscore: return c.synscore_mean;
        default: return c.active_synscore_mean;
    }
}

std::vector<double> final_values(const model_grouping& g, grouping_measure m) {
    std::vector<double> out;
    out.reserve(g.images.size());
    for (const auto& im : g.images) {
        const auto& r = im.readout;
        out.push_back(m == grouping_measure::ami        ? r.ami.back()
                      : m == grouping_measure::synscore ? r.synscore.back()
                                                        : r.active_synscore.back());
    }
    return out;
}

}  // namespace gust::analysis
