#include "io/model_file.hpp"

#include <cmath>

#include "io/network_file.hpp"
#include "sim/paper_network.hpp"
#include "core/weight_matrix.hpp"

namespace gust {
namespace {

struct layer_entry {
    const char* path;
    linear_layer gust_model::*layer;
};
constexpr layer_entry layers[] = {{"/encoder/fc1", &gust_model::enc1},
                                  {"/encoder/fc2", &gust_model::enc2},
                                  {"/decoder/fc1", &gust_model::dec1},
                                  {"/decoder/fc2", &gust_model::dec2}};

}  // namespace

void read_model_weights(const h5::file& f, const std::string& prefix, gust_model& m, const h5::transfer& t) {
    for (const auto& e : layers) {
        const std::string group = prefix + e.path;
        weight_matrix w = read_weight_set(f, group, 0, 0, t);
        linear_layer& l = m.*(e.layer);
        l.out = w.rows;
        l.in = w.cols;
        l.weight = std::move(w.w);
        l.indices = w.indices.widened(w.indptr);
        l.indptr = std::move(w.indptr);
        const std::string b = group + "/bias";
        if (!h5::exists(f, b)) throw input_error(f.path + ": dataset '" + b + "' is missing");
        const auto bd = h5::dims(f, b);
        if (bd.size() != 1 || bd[0] != l.out)
            throw input_error(f.path + ": dataset '" + b + "' must be 1-D with " + std::to_string(l.out) +
                              " entries (rows of " + group + ")");
        l.bias = read_finite_floats(f, b, bd, t);
    }
    // Chain: enc1 [M, N] -> enc2 [H, M] -> dec1 [M', H] -> dec2 [N, M'].
    auto mismatch = [&](const std::string& what) { throw input_error(f.path + ": " + what); };
    if (m.enc2.in != m.enc1.out)
        mismatch(prefix + "/encoder/fc2/weight has " + std::to_string(m.enc2.in) + " inputs but " + prefix +
                 "/encoder/fc1 has " + std::to_string(m.enc1.out) + " outputs");
    if (m.dec1.in != m.enc2.out)
        mismatch(prefix + "/decoder/fc1/weight has " + std::to_string(m.dec1.in) + " inputs but " + prefix +
                 "/encoder/fc2 has " + std::to_string(m.enc2.out) + " outputs");
    if (m.dec2.in != m.dec1.out)
        mismatch(prefix + "/decoder/fc2/weight has " + std::to_string(m.dec2.in) + " inputs but " + prefix +
                 "/decoder/fc1 has " + std::to_string(m.dec1.out) + " outputs");
    if (m.dec2.out != m.enc1.in)
        mismatch(prefix + "/decoder/fc2/weight has " + std::to_string(m.dec2.out) + " outputs but " + prefix +
                 "/encoder/fc1 has " + std::to_string(m.enc1.in) + " inputs");
    for (const auto& e : layers) {
        const linear_layer& l = m.*(e.layer);
        for (float v : l.weight)
            if (!std::isfinite(v)) mismatch(prefix + e.path + "/weight holds NaN or Inf");
        for (float v : l.bias)
            if (!std::isfinite(v)) mismatch(prefix + e.path + "/bias holds NaN or Inf");
    }
}

gust_model read_model(const std::string& path, const io_progress& progress, const h5::transfer& t) {
    h5::file f = h5::open_read(path);
    if (h5::has_attr(f, "/", "network")) return to_paper_model(read_network_model(path, progress, t), path);
    gust_model m;
    progress_meter meter(progress, f, t);
    read_model_weights(f, "", m, meter.transfer());
    auto integer_attr = [&](const char* name, std::int64_t hi) {
        return static_cast<std::size_t>(h5::read_attr_integer(f, "/", name, 1, hi));
    };
    m.T = static_cast<int>(integer_attr("T", 1000));
    const std::size_t n = integer_attr("input_size", std::int64_t{1} << 32);
    const std::size_t hidden = integer_attr("hidden_size", std::int64_t{1} << 32);
    m.refractory = static_cast<int>(integer_attr("refractory", 255));  // counters are one byte
    m.theta = static_cast<float>(h5::read_attr_number(f, "/", "theta"));
    m.release_p = static_cast<float>(h5::read_attr_number(f, "/", "release_p"));
    if (n != m.enc1.in)
        throw input_error(path + ": attribute input_size = " + std::to_string(n) + " but /encoder/fc1/weight has " +
                          std::to_string(m.enc1.in) + " inputs");
    if (hidden != m.enc2.out)
        throw input_error(path + ": attribute hidden_size = " + std::to_string(hidden) +
                          " but /encoder/fc2/weight has " + std::to_string(m.enc2.out) + " outputs");
    const bool has_h = h5::has_attr(f, "/", "height"), has_w = h5::has_attr(f, "/", "width");
    if (has_h != has_w) throw input_error(path + ": root attributes 'height' and 'width' come together");
    if (has_h) {
        m.height = integer_attr("height", 65536);
        m.width = integer_attr("width", 65536);
    } else {
        // Square images when the file does not say (the reference's 28 x 28).
        m.height = m.width = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(n))));
    }
    if (m.height * m.width != n)
        throw input_error(path + ": height x width = " + std::to_string(m.height * m.width) +
                          " does not equal input_size = " + std::to_string(n));
    validate(m, path);
    meter.finish();
    return m;
}

void write_model(const std::string& path, const gust_model& m) {
    validate(m, "model to write");
    write_network_model(path, to_network_model(m));
}

}  // namespace gust
