#include "sim/model.hpp"

#include <algorithm>
#include <cmath>

#include "sim/counter_rng.hpp"
#include "sim/error.hpp"
#include "sim/weight_matrix.hpp"

namespace gust {
namespace {

// Where unit u of a population of n units sits when the population is laid
// out row-major on a grid of the image's aspect ratio: (row, col, grid rows,
// grid cols). Pixels land on their own (y, x).
struct grid_place {
    std::size_t rows, cols;
    explicit grid_place(std::size_t n, double aspect /* width / height */) {
        cols = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(std::sqrt(double(n) * aspect))));
        cols = std::min(cols, n);
        rows = (n + cols - 1) / cols;
    }
};

// The inputs a row may draw from: all of them, or with a receptive field of
// radius R the source units within R grid cells of the row's position mapped
// onto the source grid (ascending).
void candidate_inputs(std::size_t r, const linear_layer& l, std::size_t radius, double aspect,
                      std::vector<std::uint32_t>& out) {
    out.clear();
    if (radius == 0) return;
    const grid_place tg(l.out, aspect), sg(l.in, aspect);
    const double py = (double(r / tg.cols) + 0.5) / double(tg.rows), px = (double(r % tg.cols) + 0.5) / double(tg.cols);
    const auto cy = static_cast<std::int64_t>(py * double(sg.rows)), cx = static_cast<std::int64_t>(px * double(sg.cols));
    const auto R = static_cast<std::int64_t>(radius);
    for (std::int64_t y = std::max<std::int64_t>(0, cy - R); y <= std::min<std::int64_t>(sg.rows - 1, cy + R); ++y)
        for (std::int64_t x = std::max<std::int64_t>(0, cx - R); x <= std::min<std::int64_t>(sg.cols - 1, cx + R); ++x) {
            const auto u = static_cast<std::size_t>(y) * sg.cols + static_cast<std::size_t>(x);
            if (u < l.in) out.push_back(static_cast<std::uint32_t>(u));
        }
}

// K distinct inputs per output row, ascending (Floyd's sampling, then sort),
// uniform over all inputs or over the row's receptive field.
void sparse_pattern(linear_layer& l, std::size_t k, std::size_t radius, double aspect, const counter_rng& rng,
                    std::uint32_t layer_index) {
    l.indptr.assign(l.out + 1, 0);
    l.indices.clear();
    l.indices.reserve(l.out * k);
    std::vector<std::uint32_t> row, field;
    for (std::size_t r = 0; r < l.out; ++r) {
        counter_sequence seq(rng, stream_id(purpose::weight_init, 16 + layer_index), r);
        candidate_inputs(r, l, radius, aspect, field);
        const std::size_t pool = radius == 0 ? l.in : field.size();
        const std::size_t take = std::min(k, pool);
        row.clear();
        for (std::size_t j = pool - take; j < pool; ++j) {
            const auto t = static_cast<std::uint32_t>(seq.below(static_cast<std::uint32_t>(j + 1)));
            row.push_back(std::find(row.begin(), row.end(), t) == row.end() ? t : static_cast<std::uint32_t>(j));
        }
        if (radius != 0)
            for (auto& v : row) v = field[v];
        std::sort(row.begin(), row.end());
        l.indices.insert(l.indices.end(), row.begin(), row.end());
        l.indptr[r + 1] = static_cast<std::uint32_t>(l.indices.size());
    }
}

linear_layer init_linear(std::size_t out, std::size_t in, const model_sizes& s, const counter_rng& rng,
                         std::uint32_t layer_index) {
    linear_layer l{out, in, {}, std::vector<float>(out), {}, {}};
    const std::size_t fan_in = s.sparse_fan_in;
    const bool sparse = fan_in > 0 && (fan_in < in || s.receptive_field > 0);
    if (sparse)
        sparse_pattern(l, fan_in, s.receptive_field, double(s.width) / double(s.height), rng, layer_index);
    l.weight.resize(sparse ? l.indices.size() : out * in);
    const float bound = 1.0f / std::sqrt(static_cast<float>(sparse ? fan_in : in));
    // Weights are image 0 of the layer's stream, biases image 1.
    counter_sequence w(rng, stream_id(purpose::weight_init, layer_index), 0);
    for (float& v : l.weight) v = (2.0f * static_cast<float>(w.next_double()) - 1.0f) * bound;
    counter_sequence b(rng, stream_id(purpose::weight_init, layer_index), 1);
    for (float& v : l.bias) v = (2.0f * static_cast<float>(b.next_double()) - 1.0f) * bound;
    return l;
}

void check_layer(const linear_layer& l, std::size_t out, std::size_t in, const std::string& origin,
                 const char* name) {
    if (l.sparse()) {
        weight_matrix{l.out, l.in, l.weight, l.indptr, l.indices}.validate(origin + ": " + name);
        if (l.out != out || l.in != in)
            throw input_error(origin + ": " + name + " has shape [" + std::to_string(l.out) + ", " +
                              std::to_string(l.in) + "], expected [" + std::to_string(out) + ", " +
                              std::to_string(in) + "]");
    } else if (l.out != out || l.in != in || l.weight.size() != out * in)
        throw input_error(origin + ": " + name + "/weight has shape [" + std::to_string(l.out) + ", " +
                          std::to_string(l.in) + "], expected [" + std::to_string(out) + ", " +
                          std::to_string(in) + "]");
    if (l.bias.size() != out)
        throw input_error(origin + ": " + name + "/bias has " + std::to_string(l.bias.size()) +
                          " entries, expected " + std::to_string(out));
    for (float v : l.weight)
        if (!std::isfinite(v)) throw input_error(origin + ": " + name + "/weight holds NaN or Inf");
    for (float v : l.bias)
        if (!std::isfinite(v)) throw input_error(origin + ": " + name + "/bias holds NaN or Inf");
}

}  // namespace

gust_model init_model(const model_sizes& s, std::uint64_t seed) {
    if (s.height == 0 || s.width == 0 || s.hidden == 0 || s.inner == 0 || s.T < 1)
        throw input_error("model sizes must all be positive");
    counter_rng rng(seed);
    gust_model m;
    m.height = s.height;
    m.width = s.width;
    m.T = s.T;
    const std::size_t n = s.height * s.width;
    if (s.receptive_field > 0 && s.sparse_fan_in == 0)
        throw input_error("--receptive-field needs --sparse-fan-in");
    m.enc1 = init_linear(s.inner, n, s, rng, 0);
    m.enc2 = init_linear(s.hidden, s.inner, s, rng, 1);
    m.dec1 = init_linear(s.inner, s.hidden, s, rng, 2);
    m.dec2 = init_linear(n, s.inner, s, rng, 3);
    return m;
}

void validate(const gust_model& m, const std::string& origin) {
    const std::size_t n = m.n_pixels(), M = m.enc1.out, H = m.enc2.out;
    check_layer(m.enc1, M, n, origin, "/encoder/fc1");
    check_layer(m.enc2, H, M, origin, "/encoder/fc2");
    check_layer(m.dec1, m.dec1.out, H, origin, "/decoder/fc1");
    check_layer(m.dec2, n, m.dec1.out, origin, "/decoder/fc2");
    if (m.T < 1) throw input_error(origin + ": attribute T must be >= 1");
    if (m.refractory < 1) throw input_error(origin + ": attribute refractory must be >= 1");
    if (!std::isfinite(m.theta)) throw input_error(origin + ": attribute theta is not finite");
    if (!(m.release_p >= 0.0f && m.release_p <= 1.0f))
        throw input_error(origin + ": attribute release_p must be in [0, 1]");
}

}  // namespace gust
