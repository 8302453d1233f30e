#include "io/run_report.hpp"

#include <string>

namespace gust {

spike_report run_report(const std::vector<image_record>& records, const image_set& images, run_metadata meta) {
    spike_report report;
    report.meta = std::move(meta);
    const std::size_t n = images.height * images.width;
    for (std::size_t i = 0; i < images.count; ++i) {
        const std::size_t id = images.indices[i];
        spike_population p{"image_" + std::to_string(id), {}, {}};
        p.timestamps.assign(records[i].steps.begin(), records[i].steps.end());
        p.node_ids.assign(records[i].neurons.begin(), records[i].neurons.end());
        report.populations.push_back(std::move(p));
        image_extras im{id, {images.images.begin() + i * n, images.images.begin() + (i + 1) * n}, {}};
        if (!images.labels.empty()) im.labels.assign(images.labels.begin() + i * n, images.labels.begin() + (i + 1) * n);
        report.images.push_back(std::move(im));
    }
    return report;
}

}  // namespace gust
