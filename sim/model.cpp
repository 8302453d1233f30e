#include "sim/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"
#include "core/error.hpp"
#include "core/weight_matrix.hpp"

namespace gust {
namespace {

// Whether every value is finite, in one pass without an early exit, which
// vectorises: training checks its model before every batch.
bool all_finite(const std::vector<float>& v) {
    std::size_t finite = 0;
    for (float x : v) finite += std::fabs(x) <= std::numeric_limits<float>::max();
    return finite == v.size();
}

void check_layer(const linear_layer& l, std::size_t out, std::size_t in, const std::string& origin,
                 const char* name) {
    if (l.sparse()) {
        weight_matrix{l.out, l.in, l.weight, l.indptr, l.indices, nullptr}.validate(origin + ": " + name);
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
    if (!all_finite(l.weight)) throw input_error(origin + ": " + name + "/weight holds NaN or Inf");
    if (!all_finite(l.bias)) throw input_error(origin + ": " + name + "/bias holds NaN or Inf");
}

}  // namespace

gust_model init_model(const model_sizes& s, std::uint64_t seed) {
    if (s.height == 0 || s.width == 0 || s.hidden == 0 || s.inner == 0 || s.T < 1)
        throw input_error("model sizes must all be positive");
    if (s.receptive_field > 0 && s.sparse_fan_in == 0)
        throw input_error("a receptive field needs a sparse fan-in");
    return to_paper_model(init_network(paper_description(s), seed, "model"), "model");
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
