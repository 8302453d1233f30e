#pragma once
// A small network of four graded layers with local projections on a 24 x 32
// image (fields cut by the border, unequal grids), shape images for it, and
// a weight set made to break its fields: for the tests of what reads
// receptive fields.
#include <cstddef>
#include <string>
#include <vector>

#include "core/weight_matrix.hpp"
#include "io/dataset_file.hpp"

namespace gust::test {

// A small local network of four graded layers, drawn one by one; `extra`
// goes into every projection that owns weights.
inline std::string local_network(const std::string& extra) {
    std::string text = R"(cycle = 5
[image]
height = 24
width = 32
[[population]]
name = "pixels"
kind = "spiking"
context = "context"
[[population]]
name = "enc1"
kind = "graded"
size = "image"
activation = "relu"
[[population]]
name = "hidden"
kind = "graded"
size = 199
initial = "uniform"
[[population]]
name = "dec1"
kind = "graded"
size = "image"
activation = "relu"
[[population]]
name = "context"
kind = "graded"
size = "image"
activation = "sigmoid"
[[projection]]
name = "encoder/fc1"
from = "pixels"
to = "enc1"
connectivity = "local"
fan_in = 12
radius = 3
EXTRA
[[projection]]
from = "pixels"
to = "enc1"
shares = "encoder/fc1"
delay = 1
release_p = 0.5
[[projection]]
name = "encoder/fc2"
from = "enc1"
to = "hidden"
connectivity = "local"
fan_in = 24
radius = 4
EXTRA
[[projection]]
name = "decoder/fc1"
from = "hidden"
to = "dec1"
delay = "cycle"
connectivity = "local"
fan_in = 9
radius = 2
EXTRA
[[projection]]
name = "decoder/fc2"
from = "dec1"
to = "context"
connectivity = "local"
fan_in = 12
radius = 3
gain = 3.0
EXTRA
)";
    for (auto at = text.find("EXTRA"); at != std::string::npos; at = text.find("EXTRA"))
        text.replace(at, 5, extra);
    return text;
}

inline std::vector<float> shape_images(std::size_t count, std::size_t h, std::size_t w) {
    shapes_dataset_spec spec;
    spec.height = h;
    spec.width = w;
    spec.seed = 3;
    const auto split = shapes_splits(spec)[2];
    std::vector<float> px(count * h * w), lab(h * w);
    for (std::size_t i = 0; i < count; ++i) shapes_image(spec, split, i, px.data() + i * h * w, lab.data());
    return px;
}

// W with the last synapse of row r moved to the layer's last source, outside
// every field that does not reach the grid's far corner.
inline weight_matrix with_synapse_moved(weight_matrix W, std::size_t r) {
    std::vector<std::uint32_t> sources = W.indices.widened(W.indptr);
    sources[W.indptr[r + 1] - 1] = static_cast<std::uint32_t>(W.cols - 1);
    W.indices = synapse_sources(sources);
    W.indices.narrow(W.indptr);
    return W;
}

}  // namespace gust::test
