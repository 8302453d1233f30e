#pragma once
// Gradients of the eight parameter tensors of a paper-architecture model, in
// the model's own layout (weights [out, in] row-major), so d loss / d W[r, c]
// sits where W[r, c] sits and the golden /grad datasets compare one-to-one.
#include <array>
#include <cstddef>
#include <vector>

#include "sim/model.hpp"

namespace gust::learning {

struct layer_gradient {
    std::vector<float> weight, bias;
};

struct model_gradients {
    layer_gradient enc1, enc2, dec1, dec2;

    // Zeros shaped like m's (dense) layers.
    static model_gradients zeros_like(const gust_model& m) {
        model_gradients g;
        auto shape = [](layer_gradient& l, const linear_layer& p) {
            l.weight.assign(p.out * p.in, 0.0f);
            l.bias.assign(p.out, 0.0f);
        };
        shape(g.enc1, m.enc1);
        shape(g.enc2, m.enc2);
        shape(g.dec1, m.dec1);
        shape(g.dec2, m.dec2);
        return g;
    }

    // The tensors in a fixed order (enc1 w, b, enc2 w, b, dec1 w, b, dec2 w, b).
    std::array<std::vector<float>*, 8> tensors() {
        return {&enc1.weight, &enc1.bias, &enc2.weight, &enc2.bias,
                &dec1.weight, &dec1.bias, &dec2.weight, &dec2.bias};
    }
    std::array<const std::vector<float>*, 8> tensors() const {
        return {&enc1.weight, &enc1.bias, &enc2.weight, &enc2.bias,
                &dec1.weight, &dec1.bias, &dec2.weight, &dec2.bias};
    }

    // this += o, element by element (the caller fixes the order of additions).
    void add(const model_gradients& o) {
        auto mine = tensors();
        auto theirs = o.tensors();
        for (std::size_t t = 0; t < mine.size(); ++t) {
            float* a = mine[t]->data();
            const float* b = theirs[t]->data();
            const std::size_t n = mine[t]->size();
            for (std::size_t i = 0; i < n; ++i) a[i] += b[i];
        }
    }
};

// The model's parameters in the same fixed order as model_gradients::tensors().
inline std::array<std::vector<float>*, 8> parameter_tensors(gust_model& m) {
    return {&m.enc1.weight, &m.enc1.bias, &m.enc2.weight, &m.enc2.bias,
            &m.dec1.weight, &m.dec1.bias, &m.dec2.weight, &m.dec2.bias};
}

inline std::array<const std::vector<float>*, 8> parameter_tensors(const gust_model& m) {
    return {&m.enc1.weight, &m.enc1.bias, &m.enc2.weight, &m.enc2.bias,
            &m.dec1.weight, &m.dec1.bias, &m.dec2.weight, &m.dec2.bias};
}

// Names of the tensors as in docs/formats.md "Model files", same order.
inline constexpr std::array<const char*, 8> tensor_names = {
    "/encoder/fc1/weight", "/encoder/fc1/bias", "/encoder/fc2/weight", "/encoder/fc2/bias",
    "/decoder/fc1/weight", "/decoder/fc1/bias", "/decoder/fc2/weight", "/decoder/fc2/bias"};

}  // namespace gust::learning
