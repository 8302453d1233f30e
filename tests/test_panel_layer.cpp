// The dense layer over weight panels: every output is the bit of the
// canonical sum (bias, then each non-zero input in ascending order), whatever
// the row count, the number of vectors and which inputs are zero.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "core/counter_rng.hpp"
#include "neurons/graded_layer.hpp"
#include "neurons/panel_layer.hpp"

using namespace gust;

namespace {
// The canonical order, one value at a time.
float canonical(const std::vector<float>& W, std::size_t cols, std::size_t r, const float* in, float bias,
                activation act) {
    float acc = bias;
    for (std::size_t i = 0; i < cols; ++i)
        if (in[i] != 0.0f) acc += in[i] * W[r * cols + i];
    return apply_activation(act, acc);
}
}  // namespace

TEST_CASE("panel layer: every output is the bit of its vector's canonical sum", "[graded]") {
    const counter_rng rng(11);
    std::uint64_t key = 0;
    auto uniform = [&] { return rng.uniform(0, 0, 0, key++); };
    for (std::size_t rows : {1u, 16u, 43u, 64u, 100u, 400u}) {
        for (std::size_t cols : {1u, 37u, 64u}) {
            for (std::size_t count : {1u, 5u, 6u, 13u}) {
                std::vector<float> W(rows * cols), bias(rows), in(cols * count);
                for (float& w : W) w = 2.0f * uniform() - 1.0f;
                for (float& b : bias) b = uniform() - 0.5f;
                // About half the inputs zero; input 0 zero in every vector.
                for (std::size_t j = 0; j < count; ++j)
                    for (std::size_t c = 0; c < cols; ++c)
                        in[j * cols + c] = (c == 0 || uniform() < 0.5f) ? 0.0f : uniform();
                panel_matrix P;
                P.pack(W.data(), rows, cols);
                panel_scratch scratch;
                for (activation act : {activation::relu, activation::sigmoid}) {
                    std::vector<float> out(rows * count, -7.0f);
                    panel_layer(P, bias.data(), act, in.data(), count, out.data(), scratch);
                    for (std::size_t j = 0; j < count; ++j)
                        for (std::size_t r = 0; r < rows; ++r) {
                            const float want = canonical(W, cols, r, in.data() + j * cols, bias[r], act);
                            const float got = out[j * rows + r];
                            INFO("rows " << rows << " cols " << cols << " count " << count << " vector " << j
                                         << " row " << r);
                            REQUIRE(std::memcmp(&want, &got, sizeof want) == 0);
                        }
                }
                // Selected rows packed as a matrix of their own give those rows' values.
                std::vector<std::uint32_t> which;
                for (std::size_t r = 0; r < rows; r += 3) which.push_back(static_cast<std::uint32_t>(r));
                std::vector<float> sub_bias;
                for (std::uint32_t r : which) sub_bias.push_back(bias[r]);
                panel_matrix S;
                S.pack_rows(W.data(), cols, which.data(), which.size());
                std::vector<float> out(which.size() * count);
                panel_layer(S, sub_bias.data(), activation::sigmoid, in.data(), count, out.data(), scratch);
                for (std::size_t j = 0; j < count; ++j)
                    for (std::size_t k = 0; k < which.size(); ++k) {
                        const float want =
                            canonical(W, cols, which[k], in.data() + j * cols, bias[which[k]], activation::sigmoid);
                        REQUIRE(std::memcmp(&want, &out[j * which.size() + k], sizeof want) == 0);
                    }
            }
        }
    }
}
