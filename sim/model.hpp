#pragma once
// The trainable parameters of a paper-architecture GUST model and the sizes
// they imply. Weights are [out, in] row-major, exactly as torch.nn.Linear
// stores them, so a reference state_dict maps one-to-one (docs/formats.md, "Model files").
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gust {

struct linear_layer {
    std::size_t out = 0, in = 0;
    std::vector<float> weight;  // dense: out x in, row-major; sparse: the nnz values
    std::vector<float> bias;    // out
    // Sparse layers only (CSR by output row, indices ascending); empty = dense.
    std::vector<std::uint32_t> indptr, indices;

    bool sparse() const { return !indptr.empty(); }
};

struct gust_model {
    std::size_t height = 28, width = 28;  // N = height * width spiking neurons
    int T = 10;                           // steps per cycle (delay-line length)
    float theta = 1.0f;                   // firing threshold
    int refractory = 9;                   // tau_r
    float release_p = 0.5f;               // release probability of the copy
    linear_layer enc1, enc2, dec1, dec2;  // N->M, M->H, H->M, M->N

    std::size_t n_pixels() const { return height * width; }
    std::size_t n_hidden() const { return enc2.out; }
    std::size_t n_inner() const { return enc1.out; }
};

struct model_sizes {
    std::size_t height = 28, width = 28, hidden = 400, inner = 512;
    int T = 10;
    std::size_t sparse_fan_in = 0;  // 0: dense layers; K: every unit draws K random inputs
    // 0: the K inputs are drawn from the whole source population; R: from the
    // source units within R cells of the unit's position, every population
    // laid out on a grid of the image's aspect ratio (retinotopic, local).
    std::size_t receptive_field = 0;
};

// A fresh model with PyTorch's default Linear initialisation: every weight
// and bias of a layer with fan-in F ~ Uniform(-1/sqrt(F), 1/sqrt(F)). With
// sparse_fan_in = K, each output unit connects to K distinct inputs chosen
// uniformly (all of them if the layer has fewer), and F = K; with a
// receptive field, uniformly among the inputs near it (all of them if fewer).
gust_model init_model(const model_sizes& sizes, std::uint64_t seed);

// Throws input_error (prefixed with `origin`) when layer shapes disagree with
// each other or any value is not finite.
void validate(const gust_model& m, const std::string& origin);

}  // namespace gust
