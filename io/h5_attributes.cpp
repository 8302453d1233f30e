// Attributes on groups and datasets: numbers, whole numbers checked against
// their range, strings and lists of uint32.
#include "io/h5.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "io/h5_detail.hpp"

namespace gust::h5 {

using detail::fail;
using detail::file_type;
using detail::native_type;
using detail::open_object;

template <class T>
void write_attr(const file& f, const std::string& object, const std::string& name, const T& value) {
    handle o = open_object(f, object);
    handle sp(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(o, name.c_str()) > 0) H5Adelete(o, name.c_str());
    handle a(H5Acreate2(o, name.c_str(), file_type<T>(), sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Awrite(a, native_type<T>(), &value) < 0)
        fail(f, "cannot write attribute '" + name + "' on '" + object + "'");
}

void write_attr_string(const file& f, const std::string& object, const std::string& name,
                       const std::string& value) {
    handle o = open_object(f, object);
    handle t(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    handle sp(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(o, name.c_str()) > 0) H5Adelete(o, name.c_str());
    handle a(H5Acreate2(o, name.c_str(), t, sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    const char* p = value.c_str();
    if (!a.valid() || H5Awrite(a, t, &p) < 0)
        fail(f, "cannot write attribute '" + name + "' on '" + object + "'");
}

void write_attr_fixed_string(const file& f, const std::string& object, const std::string& name,
                             const std::string& value) {
    handle o = open_object(f, object);
    handle t(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(t, std::max<std::size_t>(value.size(), 1));
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    H5Tset_cset(t, H5T_CSET_UTF8);
    handle sp(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(o, name.c_str()) > 0) H5Adelete(o, name.c_str());
    handle a(H5Acreate2(o, name.c_str(), t, sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    std::string padded = value;
    padded.resize(std::max<std::size_t>(value.size(), 1), '\0');
    if (!a.valid() || H5Awrite(a, t, padded.data()) < 0)
        fail(f, "cannot write attribute '" + name + "' on '" + object + "'");
}

void write_attr_u32s(const file& f, const std::string& object, const std::string& name,
                     const std::vector<std::uint32_t>& values) {
    handle o = open_object(f, object);
    hsize_t n = values.size();
    handle sp(H5Screate_simple(1, &n, nullptr), H5Sclose);
    if (H5Aexists(o, name.c_str()) > 0) H5Adelete(o, name.c_str());
    handle a(H5Acreate2(o, name.c_str(), H5T_STD_U32LE, sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Awrite(a, H5T_NATIVE_UINT32, values.data()) < 0)
        fail(f, "cannot write attribute '" + name + "' on '" + object + "'");
}

bool has_attr(const file& f, const std::string& object, const std::string& name) {
    if (!exists(f, object)) return false;
    handle o = open_object(f, object);
    return H5Aexists(o, name.c_str()) > 0;
}

std::optional<double> read_attr_number_opt(const file& f, const std::string& object,
                                           const std::string& name) {
    if (!has_attr(f, object, name)) return std::nullopt;
    handle o = open_object(f, object);
    handle a(H5Aopen(o, name.c_str(), H5P_DEFAULT), H5Aclose);
    handle t(H5Aget_type(a), H5Tclose);
    handle sp(H5Aget_space(a), H5Sclose);
    H5T_class_t c = H5Tget_class(t);
    if ((c != H5T_INTEGER && c != H5T_FLOAT) || H5Sget_simple_extent_npoints(sp) != 1)
        fail(f, "attribute '" + name + "' on '" + object + "' is not a single number");
    double v = 0;
    if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
        fail(f, "cannot read attribute '" + name + "' on '" + object + "'");
    return v;
}

std::optional<std::int64_t> read_attr_integer_opt(const file& f, const std::string& object, const std::string& name,
                                                  std::int64_t lo, std::int64_t hi) {
    if (!has_attr(f, object, name)) return std::nullopt;
    handle o = open_object(f, object);
    handle a(H5Aopen(o, name.c_str(), H5P_DEFAULT), H5Aclose);
    handle t(H5Aget_type(a), H5Tclose);
    handle sp(H5Aget_space(a), H5Sclose);
    const std::string what = "attribute '" + name + "' on '" + object + "'";
    if (H5Tget_class(t) != H5T_INTEGER || H5Sget_simple_extent_npoints(sp) != 1)
        fail(f, what + " must be a single integer");
    const bool is_signed = H5Tget_sign(t) == H5T_SGN_2;
    std::int64_t v = 0;
    if (is_signed) {
        if (H5Aread(a, H5T_NATIVE_INT64, &v) < 0) fail(f, "cannot read " + what);
    } else {
        std::uint64_t u = 0;
        if (H5Aread(a, H5T_NATIVE_UINT64, &u) < 0) fail(f, "cannot read " + what);
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail(f, what + " is " + std::to_string(u) + ", out of range");
        v = static_cast<std::int64_t>(u);
    }
    if (v < lo || v > hi)
        fail(f, what + " is " + std::to_string(v) + ", expected " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
}

std::optional<std::uint64_t> read_attr_uint64_opt(const file& f, const std::string& object, const std::string& name) {
    if (!has_attr(f, object, name)) return std::nullopt;
    handle o = open_object(f, object);
    handle a(H5Aopen(o, name.c_str(), H5P_DEFAULT), H5Aclose);
    handle t(H5Aget_type(a), H5Tclose);
    handle sp(H5Aget_space(a), H5Sclose);
    if (H5Tget_class(t) != H5T_INTEGER || H5Sget_simple_extent_npoints(sp) != 1)
        fail(f, "attribute '" + name + "' on '" + object + "' must be a single integer");
    if (H5Tget_sign(t) == H5T_SGN_2) {
        const auto v = read_attr_integer_opt(f, object, name, 0, std::numeric_limits<std::int64_t>::max());
        return static_cast<std::uint64_t>(*v);
    }
    std::uint64_t u = 0;
    if (H5Aread(a, H5T_NATIVE_UINT64, &u) < 0) fail(f, "cannot read attribute '" + name + "' on '" + object + "'");
    return u;
}

std::int64_t read_attr_integer(const file& f, const std::string& object, const std::string& name, std::int64_t lo,
                               std::int64_t hi) {
    const auto v = read_attr_integer_opt(f, object, name, lo, hi);
    if (!v) fail(f, "missing attribute '" + name + "' on '" + object + "'");
    return *v;
}

double read_attr_number(const file& f, const std::string& object, const std::string& name) {
    auto v = read_attr_number_opt(f, object, name);
    if (!v) fail(f, "missing attribute '" + name + "' on '" + object + "'");
    return *v;
}

std::string read_attr_string(const file& f, const std::string& object, const std::string& name,
                             string_storage storage) {
    if (!has_attr(f, object, name)) fail(f, "missing attribute '" + name + "' on '" + object + "'");
    handle o = open_object(f, object);
    handle a(H5Aopen(o, name.c_str(), H5P_DEFAULT), H5Aclose);
    handle t(H5Aget_type(a), H5Tclose);
    if (H5Tget_class(t) != H5T_STRING)
        fail(f, "attribute '" + name + "' on '" + object + "' is not a string");
    // One string: H5Aread writes one value per point of the attribute.
    handle sp(H5Aget_space(a), H5Sclose);
    if (H5Sget_simple_extent_npoints(sp) != 1)
        fail(f, "attribute '" + name + "' on '" + object + "' is not a single string");
    if (H5Tis_variable_str(t) > 0) {
        if (storage == string_storage::fixed_length)
            fail(f, "attribute '" + name + "' on '" + object + "' is not a fixed-length string");
        handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mt, H5T_VARIABLE);
        // HDF5 does not convert between character sets: read in the stored one.
        H5Tset_cset(mt, H5Tget_cset(t));
        char* p = nullptr;
        herr_t read = 0;
        {
            // HDF5 1.10 loops for ever on some damaged global heaps
            // (docs/reliability.md, "Fuzzing"): a step a watchdog may time.
            const metadata_step step;
            read = H5Aread(a, mt, &p);
        }
        if (read < 0) fail(f, "cannot read attribute '" + name + "'");
        std::string s = p ? p : "";
        H5free_memory(p);
        return s;
    }
    const std::size_t n = H5Tget_size(t);
    if (n == 0 || n > (1u << 20)) fail(f, "attribute '" + name + "' on '" + object + "' is not a string of at most 1 MiB");
    std::string s(n, '\0');
    if (H5Aread(a, t, s.data()) < 0) fail(f, "cannot read attribute '" + name + "'");
    s.resize(s.find('\0') == std::string::npos ? n : s.find('\0'));
    return s;
}

#define GUST_H5_ATTRIBUTE(T) \
    template void write_attr<T>(const file&, const std::string&, const std::string&, const T&);
GUST_H5_ATTRIBUTE(float)
GUST_H5_ATTRIBUTE(double)
GUST_H5_ATTRIBUTE(std::int8_t)
GUST_H5_ATTRIBUTE(std::uint8_t)
GUST_H5_ATTRIBUTE(std::int32_t)
GUST_H5_ATTRIBUTE(std::uint32_t)
GUST_H5_ATTRIBUTE(std::int64_t)
GUST_H5_ATTRIBUTE(std::uint64_t)
#undef GUST_H5_ATTRIBUTE

}  // namespace gust::h5
