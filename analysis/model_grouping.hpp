#pragma once
// How well a model groups: each clean labelled image simulated with the event
// backend and its grouping read out of the spikes, cycle by cycle, exactly as
// `gust run` followed by `gust analyze` would (same draws, same bits), with
// nothing written in between. Every command that scores or chooses models
// (evaluate, compare-models, select, fit-context, learning-curve) measures
// through this one protocol.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/image_readout.hpp"
#include "analysis/readout_summary.hpp"
#include "analysis/spike_trains.hpp"
#include "io/dataset_file.hpp"
#include "analysis/readout_report.hpp"
#include "sim/model.hpp"
#include "sim/network_model.hpp"
#include "sim/simulation.hpp"

namespace gust::analysis {

struct grouping_protocol {
    int cycles = 30;           // simulated cycles; the last one is the read-out
    std::uint64_t seed = 11;   // simulation draws (membrane noise, release)
    readout_options readout;   // clustering and metric costs, k-medoids seed
    int threads = 0;           // 0: every core; results never depend on it
};

struct model_grouping {
    readout_info info;                       // T, cycles, image size, read-out options
    std::vector<analysed_image> images;      // per image: labels, input, per-cycle read-out
    std::vector<cycle_trains> trains;        // per image: its spikes, cycle by cycle
    std::vector<cycle_summary> summary;      // per cycle: means over the images
    const cycle_summary& final_cycle() const { return summary.back(); }
};

// Reads out every image (labels and index set) from its trains, in
// parallel. Each image's k-medoids draws are keyed by its index, so the
// thread count cannot change any result.
void read_out_all(std::vector<analysed_image>& images, const std::vector<cycle_trains>& trains,
                  const readout_options& opt, int threads);

// Images 0..count-1 of the test split of a shapes data set with `objects`
// shapes per image drawn with `data_seed`, generated in memory: the images
// `gust dataset --test-objects N --test-size COUNT --seed S` writes.
image_set fresh_shape_images(std::size_t objects, std::size_t count, std::uint64_t data_seed,
                             std::size_t height, std::size_t width);

// The grouping of `model` on labelled images (their size must be the
// model's; labels must be whole numbers >= 0). Throws input_error otherwise.
model_grouping group_images(const network_model& model, const image_set& images, const grouping_protocol& p);

// The grouping read out of spikes already simulated: records[i] are the
// spikes of the i-th of the labelled images, `cycles` cycles of T steps.
model_grouping group_records(const std::vector<image_record>& records, const image_set& images, int T, int cycles,
                             const readout_options& opt, int threads);

// One figure of a final cycle, by name: "ami", "synscore" or "active_synscore".
enum class grouping_measure { ami, synscore, active_synscore };
grouping_measure parse_grouping_measure(const std::string& name, const std::string& option);
const char* measure_name(grouping_measure m);
double measure_of(const cycle_summary& c, grouping_measure m);
// Per image, the final cycle's value of the measure.
std::vector<double> final_values(const model_grouping& g, grouping_measure m);

}  // namespace gust::analysis
