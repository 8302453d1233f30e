#include "io/h5.hpp"

#include <unistd.h>

#include <filesystem>
#include <limits>
#include <utility>
#include <numeric>
#include <type_traits>

namespace gust::h5 {
namespace {

template <class T>
hid_t native_type() {
    if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
    else if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
    else if constexpr (std::is_same_v<T, std::int8_t>) return H5T_NATIVE_INT8;
    else if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
    else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_NATIVE_UINT32;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
    else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
    else static_assert(sizeof(T) == 0, "unsupported HDF5 element type");
}

// The file-side type written for T: little-endian IEEE/standard integers.
template <class T>
hid_t file_type() {
    if constexpr (std::is_same_v<T, float>) return H5T_IEEE_F32LE;
    else if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
    else if constexpr (std::is_same_v<T, std::int8_t>) return H5T_STD_I8LE;
    else if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_STD_U8LE;
    else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_STD_I32LE;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_STD_U32LE;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
    else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_STD_U64LE;
    else static_assert(sizeof(T) == 0, "unsupported HDF5 element type");
}

[[noreturn]] void fail(const file& f, const std::string& what) {
    throw input_error(f.path + ": " + what);
}

std::string dims_string(const std::vector<hsize_t>& d) {
    std::string s = "[";
    for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
    return s + "]";
}

handle open_dataset(const file& f, const std::string& name) {
    if (!exists(f, name)) fail(f, "missing dataset '" + name + "'");
    hid_t id = H5Dopen2(f.h, name.c_str(), H5P_DEFAULT);
    if (id < 0) fail(f, "'" + name + "' is not a readable dataset");
    return handle(id, H5Dclose);
}

handle open_object(const file& f, const std::string& name) {
    if (name != "/" && !exists(f, name)) fail(f, "missing object '" + name + "'");
    hid_t id = H5Oopen(f.h, name.c_str(), H5P_DEFAULT);
    if (id < 0) fail(f, "cannot open '" + name + "'");
    return handle(id, H5Oclose);
}

void check_numeric(const file& f, const std::string& name, hid_t ds) {
    handle t(H5Dget_type(ds), H5Tclose);
    H5T_class_t c = H5Tget_class(t);
    if (c == H5T_ENUM) fail(f, "dataset '" + name + "' holds an enumeration, not numbers");
    if (c != H5T_FLOAT && c != H5T_INTEGER) fail(f, "dataset '" + name + "' is not numeric");
}

}  // namespace

handle& handle::operator=(handle&& o) noexcept {
    if (this != &o) {
        reset();
        id_ = o.id_;
        close_ = o.close_;
        o.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void handle::reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = H5I_INVALID_HID;
}

void quiet() {
    static const bool once = [] {
        H5dont_atexit();  // before any other HDF5 call
        return true;
    }();
    (void)once;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

file open_read(const std::string& path) {
    quiet();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw missing_file_error(path + ": no such file");
    if (std::filesystem::is_directory(path, ec)) throw input_error(path + ": is a directory, not an HDF5 file");
    // A pipe or a device would block or never end: only regular files are read.
    if (!std::filesystem::is_regular_file(path, ec))
        throw input_error(path + ": not a regular file (a pipe, socket or device?)");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw input_error(path + ": not an HDF5 file");
    hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw input_error(path + ": cannot open as HDF5 (corrupt or unreadable)");
    return {handle(id, H5Fclose), path};
}

file create(const std::string& path) {
    quiet();
    hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (id < 0) throw input_error(path + ": cannot create file (does the folder exist and is it writable?)");
    return {handle(id, H5Fclose), path};
}

file create(const std::string& temp_path, const std::string& shown_path) {
    quiet();
    hid_t id = H5Fcreate(temp_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (id < 0) throw input_error(shown_path + ": cannot create file (does the folder exist and is it writable?)");
    return {handle(id, H5Fclose), shown_path};
}

void close(file& f) {
    const hid_t id = f.h.release();
    if (id < 0) return;
    const bool flushed = H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0;
    const bool closed = H5Fclose(id) >= 0;
    if (!flushed || !closed)
        throw input_error(f.path + ": cannot write the file (is the disk full, or the folder read-only?)");
}

bool exists(const file& f, const std::string& object) {
    if (object == "/") return true;
    // Check every prefix: H5Lexists fails on a path whose parent is missing.
    std::size_t pos = 0;
    while (true) {
        pos = object.find('/', pos + 1);
        std::string prefix = object.substr(0, pos);
        if (!prefix.empty() && prefix != "/" && H5Lexists(f.h, prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        if (pos == std::string::npos) return true;
    }
}

std::vector<hsize_t> dims(const file& f, const std::string& dataset) {
    handle ds = open_dataset(f, dataset);
    handle sp(H5Dget_space(ds), H5Sclose);
    int nd = H5Sget_simple_extent_ndims(sp);
    if (nd < 0) fail(f, "cannot read the shape of '" + dataset + "'");
    std::vector<hsize_t> d(static_cast<std::size_t>(nd));
    H5Sget_simple_extent_dims(sp, d.data(), nullptr);
    return d;
}

namespace {

// Refuses a read whose declared size cannot fit in this machine's memory,
// before allocating it, saying how much it would need.
void check_fits_in_memory(const file& f, const std::string& dataset, hsize_t n, std::size_t element) {
    const double bytes = static_cast<double>(n) * static_cast<double>(element);
    const double ram = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
    if (bytes > ram)
        fail(f, "dataset '" + dataset + "' declares " + std::to_string(n) + " values (" +
                    std::to_string(static_cast<long long>(bytes / (1 << 30))) + " GiB), more than this machine's " +
                    std::to_string(static_cast<long long>(ram / (1 << 30))) + " GiB of memory");
}

// The number of values of a read of shape d, checked to fit in memory.
hsize_t element_count(const file& f, const std::string& dataset, const std::vector<hsize_t>& d, std::size_t element) {
    hsize_t n = 1;
    for (hsize_t k : d) {
        if (k != 0 && n > std::numeric_limits<hsize_t>::max() / k) fail(f, "dataset '" + dataset + "' declares too many values");
        n *= k;
    }
    check_fits_in_memory(f, dataset, n, element);
    return n;
}

// Integers are read exactly: the file must store integers (not floats, not
// an enum), and every value must fit T; HDF5's own conversion would round
// 3.5 to 3 or clamp -1 to 0 without a word.
template <class T>
void read_integers(const file& f, const std::string& dataset, hid_t ds, std::vector<T>& out) {
    handle t(H5Dget_type(ds), H5Tclose);
    const H5T_class_t c = H5Tget_class(t);
    if (c != H5T_INTEGER)
        fail(f, "dataset '" + dataset + "' must hold integers, but holds " +
                    (c == H5T_FLOAT ? "floating-point numbers" : c == H5T_ENUM ? "an enumeration" : "something else"));
    const bool is_signed = H5Tget_sign(t) == H5T_SGN_2;
    const auto fits = [](auto v) {
        return std::cmp_greater_equal(v, std::numeric_limits<T>::min()) &&
               std::cmp_less_equal(v, std::numeric_limits<T>::max());
    };
    const auto convert = [&](auto& wide) {
        for (std::size_t i = 0; i < wide.size(); ++i) {
            if (!fits(wide[i]))
                fail(f, "dataset '" + dataset + "' holds " + std::to_string(wide[i]) + ", out of range");
            out[i] = static_cast<T>(wide[i]);
        }
    };
    if (is_signed) {
        std::vector<std::int64_t> wide(out.size());
        if (!out.empty() && H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, wide.data()) < 0)
            fail(f, "cannot read dataset '" + dataset + "' (corrupt?)");
        convert(wide);
    } else {
        std::vector<std::uint64_t> wide(out.size());
        if (!out.empty() && H5Dread(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, wide.data()) < 0)
            fail(f, "cannot read dataset '" + dataset + "' (corrupt?)");
        convert(wide);
    }
}

}  // namespace

template <class T>
std::vector<T> read(const file& f, const std::string& dataset, const std::vector<hsize_t>& expected) {
    std::vector<hsize_t> d = dims(f, dataset);
    if (!expected.empty() && d != expected)
        fail(f, "dataset '" + dataset + "' has shape " + dims_string(d) + ", expected " +
                    dims_string(expected));
    handle ds = open_dataset(f, dataset);
    check_numeric(f, dataset, ds);
    const hsize_t n = element_count(f, dataset, d, sizeof(T));
    std::vector<T> out(n);
    if constexpr (std::is_integral_v<T>) {
        read_integers(f, dataset, ds, out);
    } else {
        if (n && H5Dread(ds, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
            fail(f, "cannot read dataset '" + dataset + "' (corrupt?)");
    }
    return out;
}

template <class T>
std::vector<T> read_rows(const file& f, const std::string& dataset, hsize_t first, hsize_t count) {
    std::vector<hsize_t> d = dims(f, dataset);
    if (d.empty() || first + count > d[0])
        fail(f, "rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                    " out of range for '" + dataset + "' " + dims_string(d));
    handle ds = open_dataset(f, dataset);
    check_numeric(f, dataset, ds);
    handle fs(H5Dget_space(ds), H5Sclose);
    std::vector<hsize_t> start(d.size(), 0), cnt = d;
    start[0] = first;
    cnt[0] = count;
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr);
    handle ms(H5Screate_simple(static_cast<int>(cnt.size()), cnt.data(), nullptr), H5Sclose);
    const hsize_t n = element_count(f, dataset, cnt, sizeof(T));
    std::vector<T> out(n);
    if (n && H5Dread(ds, native_type<T>(), ms, fs, H5P_DEFAULT, out.data()) < 0)
        fail(f, "cannot read dataset '" + dataset + "' (corrupt?)");
    return out;
}

void make_groups(const file& f, const std::string& path) {
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        std::string prefix = path.substr(0, pos);
        if (prefix.empty() || prefix == "/") continue;
        if (H5Lexists(f.h, prefix.c_str(), H5P_DEFAULT) <= 0) {
            // No modification times: the same content gives the same bytes.
            handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
            H5Pset_obj_track_times(gcpl, false);
            hid_t g = H5Gcreate2(f.h, prefix.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
            if (g < 0) fail(f, "cannot create group '" + prefix + "'");
            H5Gclose(g);
        }
    }
}

template <class T>
handle create_dataset(const file& f, const std::string& dataset, const std::vector<hsize_t>& d,
                      const write_options& opt) {
    auto slash = dataset.rfind('/');
    if (slash != std::string::npos && slash > 0) make_groups(f, dataset.substr(0, slash));
    handle sp(d.empty() ? H5Screate(H5S_SCALAR)
                        : H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr),
              H5Sclose);
    handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_obj_track_times(dcpl, false);  // reproducible bytes for the same content
    bool nonempty = std::accumulate(d.begin(), d.end(), hsize_t{1}, std::multiplies<>()) > 0;
    if (!opt.chunk.empty() && nonempty) {
        H5Pset_chunk(dcpl, static_cast<int>(opt.chunk.size()), opt.chunk.data());
        if (opt.gzip >= 0) H5Pset_deflate(dcpl, static_cast<unsigned>(opt.gzip));
    }
    if (opt.fill_at_alloc) H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC);
    handle ds(H5Dcreate2(f.h, dataset.c_str(), file_type<T>(), sp, H5P_DEFAULT, dcpl, H5P_DEFAULT),
              H5Dclose);
    if (!ds.valid()) fail(f, "cannot create dataset '" + dataset + "'");
    return ds;
}

template <class T>
void write(const file& f, const std::string& dataset, const std::vector<hsize_t>& d, const T* data,
           const write_options& opt) {
    handle ds = create_dataset<T>(f, dataset, d, opt);
    bool nonempty = std::accumulate(d.begin(), d.end(), hsize_t{1}, std::multiplies<>()) > 0;
    if (nonempty && H5Dwrite(ds, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        fail(f, "cannot write dataset '" + dataset + "'");
}

void write_raw_chunk(const file& f, const handle& dataset, const std::string& name,
                     const std::vector<hsize_t>& offset, const void* bytes, std::size_t size) {
    // Filter mask 0: every filter of the pipeline was applied.
    if (H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), size, bytes) < 0)
        fail(f, "cannot write a chunk of dataset '" + name + "'");
}

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

std::string read_attr_string(const file& f, const std::string& object, const std::string& name) {
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
        handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mt, H5T_VARIABLE);
        // HDF5 does not convert between character sets: read in the stored one.
        H5Tset_cset(mt, H5Tget_cset(t));
        char* p = nullptr;
        if (H5Aread(a, mt, &p) < 0) fail(f, "cannot read attribute '" + name + "'");
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

std::vector<std::string> children(const file& f, const std::string& group) {
    std::vector<std::string> names;
    if (!exists(f, group)) return names;
    handle g(H5Gopen2(f.h, group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid()) fail(f, "'" + group + "' is not a group");
    H5G_info_t info;
    H5Gget_info(g, &info);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        ssize_t n = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (n < 0 || n > (1 << 16)) fail(f, "cannot read the names in '" + group + "' (corrupt?)");
        std::string s(static_cast<std::size_t>(n), '\0');
        H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, s.data(), s.size() + 1, H5P_DEFAULT);
        names.push_back(s);
    }
    return names;
}

#define GUST_H5_INSTANTIATE(T)                                                                  \
    template std::vector<T> read<T>(const file&, const std::string&, const std::vector<hsize_t>&); \
    template std::vector<T> read_rows<T>(const file&, const std::string&, hsize_t, hsize_t);       \
    template void write<T>(const file&, const std::string&, const std::vector<hsize_t>&, const T*, \
                           const write_options&);                                               \
    template handle create_dataset<T>(const file&, const std::string&,                            \
                                      const std::vector<hsize_t>&, const write_options&);       \
    template void write_attr<T>(const file&, const std::string&, const std::string&, const T&);
GUST_H5_INSTANTIATE(float)
GUST_H5_INSTANTIATE(double)
GUST_H5_INSTANTIATE(std::int8_t)
GUST_H5_INSTANTIATE(std::uint8_t)
GUST_H5_INSTANTIATE(std::int32_t)
GUST_H5_INSTANTIATE(std::uint32_t)
GUST_H5_INSTANTIATE(std::int64_t)
GUST_H5_INSTANTIATE(std::uint64_t)
#undef GUST_H5_INSTANTIATE

}  // namespace gust::h5
