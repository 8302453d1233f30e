// The graded layer's backward: its weight and input gradients are the
// derivatives of the forward (finite differences), and a sparse set gets,
// on each stored synapse, exactly what the same weights stored dense get.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/counter_rng.hpp"
#include "neurons/graded_layer.hpp"
#include "neurons/graded_layer_backward.hpp"

using namespace gust;

namespace {
// L = sum_r g[r] act(b[r] + sum_i W[r, i] in[i]), in double.
double loss(const std::vector<double>& W, const std::vector<double>& in, const std::vector<double>& b,
            const std::vector<double>& g, std::size_t rows, std::size_t cols, activation act) {
    double L = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        double a = b[r];
        for (std::size_t i = 0; i < cols; ++i) a += W[r * cols + i] * in[i];
        L += g[r] * (act == activation::relu ? std::max(a, 0.0) : 1.0 / (1.0 + std::exp(-a)));
    }
    return L;
}
}  // namespace

TEST_CASE("graded layer backward: gradients are the forward's derivatives, sparse equal to dense", "[graded][gradients]") {
    const counter_rng rng(5);
    std::uint64_t key = 0;
    auto uniform = [&] { return rng.uniform(0, 0, 0, key++); };
    const std::size_t rows = 7, cols = 9;
    for (activation act : {activation::relu, activation::sigmoid}) {
        weight_matrix D;
        D.rows = rows;
        D.cols = cols;
        std::vector<float> in(cols), bias(rows), g(rows);
        for (std::size_t i = 0; i < rows * cols; ++i) D.w.push_back(2.0f * uniform() - 1.0f);
        for (float& v : in) v = uniform() < 0.3f ? 0.0f : uniform();
        for (float& v : bias) v = uniform() - 0.5f;
        for (float& v : g) v = 2.0f * uniform() - 1.0f;
        // Forward, then d loss / d pre-activation.
        std::vector<float> da(rows);
        for (std::size_t r = 0; r < rows; ++r) {
            float a = bias[r];
            for (std::size_t i = 0; i < cols; ++i) a += D.w[r * cols + i] * in[i];
            da[r] = g[r] * activation_slope(act, apply_activation(act, a));
        }
        std::vector<float> dW(rows * cols, 0.0f), d_in(cols, 0.0f);
        graded_layer_backward(D, da.data(), in.data(), dW.data(), d_in.data());

        std::vector<double> Wd(D.w.begin(), D.w.end()), ind(in.begin(), in.end()), bd(bias.begin(), bias.end()),
            gd(g.begin(), g.end());
        // Central differences of the loss in one entry of the weights or the input.
        auto numeric = [&](bool weight, std::size_t k) {
            const double h = 1e-5;
            auto up_w = Wd, down_w = Wd;
            auto up_in = ind, down_in = ind;
            (weight ? up_w[k] : up_in[k]) += h;
            (weight ? down_w[k] : down_in[k]) -= h;
            return (loss(up_w, up_in, bd, gd, rows, cols, act) - loss(down_w, down_in, bd, gd, rows, cols, act)) / (2 * h);
        };
        for (std::size_t k = 0; k < rows * cols; ++k) {
            INFO("weight " << k);
            CHECK(dW[k] == Approx(numeric(true, k)).margin(1e-4).epsilon(1e-3));
        }
        for (std::size_t i = 0; i < cols; ++i) {
            INFO("input " << i);
            CHECK(d_in[i] == Approx(numeric(false, i)).margin(1e-4).epsilon(1e-3));
        }

        // The same weights with every third synapse absent: the stored ones
        // get the dense gradients bit for bit, and the input gradient the
        // dense one's with the absent weights set to zero.
        weight_matrix S;
        S.rows = rows;
        S.cols = cols;
        S.indptr.push_back(0);
        std::vector<std::uint32_t> sources;
        weight_matrix Z = D;
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t i = 0; i < cols; ++i) {
                if ((r + i) % 3 == 0) {
                    Z.w[r * cols + i] = 0.0f;
                    continue;
                }
                sources.push_back(static_cast<std::uint32_t>(i));
                S.w.push_back(D.w[r * cols + i]);
            }
            S.indptr.push_back(static_cast<std::uint32_t>(S.w.size()));
        }
        S.indices = std::move(sources);
        std::vector<float> sW(S.w.size(), 0.0f), s_in(cols, 0.0f), zW(rows * cols, 0.0f), z_in(cols, 0.0f);
        graded_layer_backward(S, da.data(), in.data(), sW.data(), s_in.data());
        graded_layer_backward(Z, da.data(), in.data(), zW.data(), z_in.data());
        for (std::size_t r = 0; r < rows; ++r)
            for (std::uint32_t s = S.indptr[r]; s < S.indptr[r + 1]; ++s) CHECK(sW[s] == zW[r * cols + S.indices.at(r, s)]);
        CHECK(s_in == z_in);
    }
}
