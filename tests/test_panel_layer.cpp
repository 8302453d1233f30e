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

TEST_CASE("panel layer: a range of rows of listed inputs or of many vectors gets the canonical sums", "[graded]") {
    // The backends' forms: one image's listed inputs (values such as 2, a
    // spike and its released copy) and several images in lockstep, over the
    // rows of a partition, whose borders fall anywhere in a panel.
    const counter_rng rng(12);
    std::uint64_t key = 0;
    auto uniform = [&] { return rng.uniform(0, 0, 0, key++); };
    for (std::size_t rows : {5u, 64u, 150u}) {
        const std::size_t cols = 40;
        std::vector<float> W(rows * cols);
        for (float& w : W) w = 2.0f * uniform() - 1.0f;
        panel_matrix P;
        P.pack(W.data(), rows, cols);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < cols; ++c) REQUIRE(P.at(r, c) == W[r * cols + c]);
        const std::size_t vectors = 7;
        std::vector<float> in(cols * vectors, 0.0f);
        for (float& v : in)
            if (uniform() < 0.4f) v = uniform() < 0.5f ? 2.0f : uniform();
        const std::vector<std::size_t> cuts = {0, 1, rows / 3, rows / 2 + 1, rows};
        for (std::size_t q = 0; q + 1 < cuts.size(); ++q) {
            const std::size_t rb = cuts[q], re = cuts[q + 1];
            std::vector<float> start(rows * vectors);
            for (float& a : start) a = uniform() - 0.5f;
            // Listed: vector 0's non-zeros; rows outside the range untouched.
            std::vector<column_input> listed;
            nonzero_inputs(in.data(), cols, listed);
            std::vector<float> one(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(rows));
            accumulate_panels(P, listed.data(), listed.size(), one.data(), rb, re);
            // Many: every vector.
            std::vector<float> many = start;
            std::vector<const float*> ins;
            std::vector<float*> outs;
            for (std::size_t j = 0; j < vectors; ++j) {
                ins.push_back(in.data() + j * cols);
                outs.push_back(many.data() + j * rows);
            }
            panel_scratch scratch;
            accumulate_panels_batch(P, ins.data(), outs.data(), vectors, rb, re, scratch);
            for (std::size_t j = 0; j < vectors; ++j)
                for (std::size_t r = 0; r < rows; ++r) {
                    float want = start[j * rows + r];
                    if (r >= rb && r < re)
                        for (std::size_t c = 0; c < cols; ++c)
                            if (in[j * cols + c] != 0.0f) want += in[j * cols + c] * W[r * cols + c];
                    INFO("rows " << rows << " range " << rb << "-" << re << " vector " << j << " row " << r);
                    REQUIRE(std::memcmp(&want, &many[j * rows + r], sizeof want) == 0);
                    if (j == 0) REQUIRE(std::memcmp(&want, &one[r], sizeof want) == 0);
                }
        }
    }
}
