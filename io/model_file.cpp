#include "io/model_file.hpp"

#include <cmath>

#include "io/atomic_file.hpp"
#include "sim/weight_matrix.hpp"

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

void check_float32(const h5::file& f, const std::string& name) {
    h5::handle ds(H5Dopen2(f.h, name.c_str(), H5P_DEFAULT), H5Dclose);
    h5::handle t(H5Dget_type(ds), H5Tclose);
    if (H5Tget_class(t) != H5T_FLOAT || H5Tget_size(t) != 4)
        throw input_error(f.path + ": dataset '" + name + "' must be float32");
}

// A sparse layer (docs/formats.md): CSR datasets data, indices, indptr and
// the dense shape as the group attribute `shape` = [out, in].
void read_sparse_layer(const h5::file& f, const std::string& group, linear_layer& l) {
    const std::string b = group + "/bias";
    if (!h5::has_attr(f, group, "shape")) throw input_error(f.path + ": sparse layer '" + group + "' has no attribute 'shape'");
    h5::handle g(H5Oopen(f.h, group.c_str(), H5P_DEFAULT), H5Oclose);
    h5::handle a(H5Aopen(g, "shape", H5P_DEFAULT), H5Aclose);
    h5::handle sp(H5Aget_space(a), H5Sclose);
    h5::handle at(H5Aget_type(a), H5Tclose);
    std::int64_t shape[2] = {0, 0};
    // Integers only: a shape of 64.5 is refused, not truncated to 64.
    if (H5Tget_class(at) != H5T_INTEGER || H5Sget_simple_extent_npoints(sp) != 2 ||
        H5Aread(a, H5T_NATIVE_INT64, shape) < 0 || shape[0] <= 0 || shape[1] <= 0 || shape[0] > (std::int64_t{1} << 32) ||
        shape[1] > (std::int64_t{1} << 32))
        throw input_error(f.path + ": attribute 'shape' of '" + group + "' must be two positive integers [out, in]");
    l.out = static_cast<std::size_t>(shape[0]);
    l.in = static_cast<std::size_t>(shape[1]);
    check_float32(f, group + "/data");
    l.weight = h5::read<float>(f, group + "/data");
    const auto indices = h5::read<std::int64_t>(f, group + "/indices");
    const auto indptr = h5::read<std::int64_t>(f, group + "/indptr");
    auto to_u32 = [&](const std::vector<std::int64_t>& v, const char* name) {
        std::vector<std::uint32_t> out(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] < 0 || v[i] > std::int64_t{0xFFFFFFFF})
                throw input_error(f.path + ": dataset '" + group + "/" + name + "' holds " + std::to_string(v[i]) + ", out of range");
            out[i] = static_cast<std::uint32_t>(v[i]);
        }
        return out;
    };
    l.indices = to_u32(indices, "indices");
    l.indptr = to_u32(indptr, "indptr");
    weight_matrix{l.out, l.in, l.weight, l.indptr, l.indices}.validate(f.path + ": sparse layer '" + group + "'");
    l.bias = h5::read<float>(f, b, {l.out});
}

void write_sparse_layer(const h5::file& f, const std::string& group, const linear_layer& l) {
    h5::write<float>(f, group + "/data", {l.weight.size()}, l.weight.data());
    h5::write<std::uint32_t>(f, group + "/indices", {l.indices.size()}, l.indices.data());
    h5::write<std::uint32_t>(f, group + "/indptr", {l.indptr.size()}, l.indptr.data());
    h5::write<float>(f, group + "/bias", {l.out}, l.bias.data());
    const std::int64_t shape[2] = {static_cast<std::int64_t>(l.out), static_cast<std::int64_t>(l.in)};
    const hsize_t two = 2;
    h5::handle g(H5Oopen(f.h, group.c_str(), H5P_DEFAULT), H5Oclose);
    h5::handle sp(H5Screate_simple(1, &two, nullptr), H5Sclose);
    h5::handle a(H5Acreate2(g, "shape", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    H5Awrite(a, H5T_NATIVE_INT64, shape);
    h5::write_attr_string(f, group, "format", "csr");
}

}  // namespace

void read_model_weights(const h5::file& f, const std::string& prefix, gust_model& m) {
    for (const auto& e : layers) {
        const std::string w = prefix + e.path + "/weight", b = prefix + e.path + "/bias";
        if (!h5::exists(f, w) && h5::exists(f, prefix + e.path + "/indptr")) {
            read_sparse_layer(f, prefix + e.path, m.*(e.layer));
            continue;
        }
        auto wd = h5::dims(f, w);
        auto bd = h5::dims(f, b);
        if (wd.size() != 2) throw input_error(f.path + ": dataset '" + w + "' must be 2-D [out, in]");
        if (bd.size() != 1 || bd[0] != wd[0])
            throw input_error(f.path + ": dataset '" + b + "' must be 1-D with " + std::to_string(wd[0]) +
                              " entries (rows of " + w + ")");
        check_float32(f, w);
        check_float32(f, b);
        linear_layer& l = m.*(e.layer);
        l.out = wd[0];
        l.in = wd[1];
        l.weight = h5::read<float>(f, w);
        l.bias = h5::read<float>(f, b);
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

gust_model read_model(const std::string& path) {
    h5::file f = h5::open_read(path);
    gust_model m;
    read_model_weights(f, "", m);
    auto integer_attr = [&](const char* name, std::int64_t hi) {
        return static_cast<std::size_t>(h5::read_attr_integer(f, "/", name, 1, hi));
    };
    m.T = static_cast<int>(integer_attr("T", 1000));
    const std::size_t n = integer_attr("input_size", std::int64_t{1} << 32);
    const std::size_t hidden = integer_attr("hidden_size", std::int64_t{1} << 32);
    m.refractory = static_cast<int>(integer_attr("refractory", 1000));
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
    return m;
}

void write_model(const std::string& path, const gust_model& m) {
    validate(m, "model to write");
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        for (const auto& e : layers) {
            const linear_layer& l = m.*(e.layer);
            if (l.sparse()) {
                write_sparse_layer(f, e.path, l);
                continue;
            }
            h5::write<float>(f, std::string(e.path) + "/weight", {l.out, l.in}, l.weight.data());
            h5::write<float>(f, std::string(e.path) + "/bias", {l.out}, l.bias.data());
        }
        h5::write_attr<std::int64_t>(f, "/", "T", m.T);
        h5::write_attr<std::int64_t>(f, "/", "input_size", static_cast<std::int64_t>(m.n_pixels()));
        h5::write_attr<std::int64_t>(f, "/", "hidden_size", static_cast<std::int64_t>(m.n_hidden()));
        h5::write_attr<double>(f, "/", "theta", m.theta);
        h5::write_attr<std::int64_t>(f, "/", "refractory", m.refractory);
        h5::write_attr<double>(f, "/", "release_p", m.release_p);
        h5::write_attr<std::int64_t>(f, "/", "height", static_cast<std::int64_t>(m.height));
        h5::write_attr<std::int64_t>(f, "/", "width", static_cast<std::int64_t>(m.width));
        h5::write_attr_string(f, "/", "gust_version", GUST_VERSION);
        h5::close(f);
    }
    out.commit();
}

}  // namespace gust
