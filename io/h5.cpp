#include "io/h5.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <utility>
#include <numeric>
#include <type_traits>

#include "core/huge_pages.hpp"
#include "core/machine_memory.hpp"
#include "io/h5_detail.hpp"

namespace gust::h5 {

namespace detail {
handle open_object(const file& f, const std::string& name) {
    if (name != "/" && !exists(f, name)) fail(f, "missing object '" + name + "'");
    hid_t id = H5Oopen(f.h, name.c_str(), H5P_DEFAULT);
    if (id < 0) fail(f, "cannot open '" + name + "'");
    return handle(id, H5Oclose);
}
}  // namespace detail

using detail::fail;
using detail::file_type;
using detail::native_type;

namespace {

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
    file_being_read reading(path);
    hid_t id = H5I_INVALID_HID;
    {
        const metadata_step step;
        if (H5Fis_hdf5(path.c_str()) <= 0) throw input_error(path + ": not an HDF5 file");
        id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    }
    if (id < 0) throw input_error(path + ": cannot open as HDF5 (corrupt or unreadable)");
    return {handle(id, H5Fclose), path, std::move(reading)};
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
    const memory_limit limit = process_memory_limit();
    if (bytes > limit.bytes)
        fail(f, "dataset '" + dataset + "' declares " + std::to_string(n) + " values (" + whole_gib(bytes) +
                    " GiB), more than " + limit.described());
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

// Bytes per value as stored in the file.
std::size_t stored_size(const file& f, const std::string& name, hid_t ds) {
    handle t(H5Dget_type(ds), H5Tclose);
    const std::size_t size = t.valid() ? H5Tget_size(t) : 0;
    if (size == 0) fail(f, "cannot read the type of dataset '" + name + "' (corrupt?)");
    return size;
}

// The most values one stored byte can expand to: deflate's limit is about
// 1032:1, and no other filter HDF5 ships does better on real data.
constexpr double max_expansion = 1100;

// Refuses a dataset whose declared values are not in the file: more bytes
// than the file holds, or (unfiltered) more than its storage, or (filtered)
// more than any compression could expand its storage to. A corrupt or
// hostile header must not make gust allocate for data that is not there;
// HDF5 would hand back fill values for it. Also refuses storage outside the
// file (external raw files, virtual datasets): a file names only itself.
void check_stored(const file& f, const std::string& name, hid_t ds, const std::vector<hsize_t>& d) {
    double values = 1;
    for (hsize_t k : d) values *= static_cast<double>(k);
    if (values == 0) return;
    handle dcpl(H5Dget_create_plist(ds), H5Pclose);
    if (!dcpl.valid()) fail(f, "cannot read how dataset '" + name + "' is stored (corrupt?)");
    const H5D_layout_t layout = H5Pget_layout(dcpl);
    if (layout == H5D_VIRTUAL || H5Pget_external_count(dcpl) != 0)
        fail(f, "dataset '" + name + "' keeps its values in other files; gust reads only values stored in the file itself");
    const double declared = values * static_cast<double>(stored_size(f, name, ds));
    const hsize_t stored = H5Dget_storage_size(ds);
    hsize_t file_bytes = 0;
    if (H5Fget_filesize(f.h, &file_bytes) < 0) fail(f, "cannot read the file's size");
    if (stored > file_bytes)
        fail(f, "dataset '" + name + "' claims " + std::to_string(stored) + " bytes of storage in a file of " +
                    std::to_string(file_bytes) + " bytes (truncated or corrupt?)");
    const bool filtered = H5Pget_nfilters(dcpl) > 0;
    if (declared > static_cast<double>(stored) * (filtered ? max_expansion : 1.0)) {
        char bytes[32];  // a hostile shape's byte count may pass any integer type
        std::snprintf(bytes, sizeof bytes, "%.17g", declared);
        fail(f, "dataset '" + name + "' declares shape " + dims_string(d) + " (" + bytes +
                    " bytes) but the file stores " + std::to_string(stored) + " bytes of it (truncated or corrupt?)");
    }
}

// Values in one row of the leading dimension (each value of a 1-D dataset
// is a row; a scalar is one row of one value).
hsize_t row_values(const std::vector<hsize_t>& d) {
    return std::accumulate(d.begin() + (d.empty() ? 0 : 1), d.end(), hsize_t{1}, std::multiplies<>());
}

// Rows per slab: about `slab` values, at least one row, and a whole number
// of `align` rows (a chunk's), so that no chunk is written twice.
hsize_t slab_rows(hsize_t row, hsize_t slab, hsize_t align) {
    return std::max<hsize_t>(1, slab / (std::max<hsize_t>(row, 1) * align)) * align;
}

// Calls io(file space, memory space, first value, values) for rows
// [first, first + count) of a dataset of dims d, `rows` rows at a time; the
// memory space is flat, the values land at their offset from row `first`.
template <class F>
void for_each_slab(const file& f, const std::string& name, hid_t ds, const std::vector<hsize_t>& d, hsize_t first,
                   hsize_t count, hsize_t rows, F&& io) {
    if (d.empty()) {
        io(H5S_ALL, H5S_ALL, hsize_t{0}, hsize_t{1});
        return;
    }
    const hsize_t row = row_values(d);
    if (row == 0) return;
    for (hsize_t r = 0; r < count; r += rows) {
        std::vector<hsize_t> start(d.size(), 0), cnt = d;
        start[0] = first + r;
        cnt[0] = std::min(rows, count - r);
        handle fs(H5Dget_space(ds), H5Sclose);
        const hsize_t n = cnt[0] * row;
        handle ms(H5Screate_simple(1, &n, nullptr), H5Sclose);
        if (!fs.valid() || !ms.valid() ||
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr) < 0)
            fail(f, "cannot select rows of dataset '" + name + "'");
        io(fs.get(), ms.get(), r * row, n);
    }
}


// Whether every value of the file's integer type fits T, so that HDF5's own
// conversion is exact and the values can be read straight into place.
template <class T>
bool integer_type_fits(hid_t type) {
    const std::size_t bits = H5Tget_precision(type);
    const bool file_signed = H5Tget_sign(type) == H5T_SGN_2;
    constexpr std::size_t t_bits = sizeof(T) * 8;
    if (bits == 0) return false;
    if (std::is_signed_v<T>) return file_signed ? bits <= t_bits : bits < t_bits;
    return !file_signed && bits <= t_bits;
}

// Reads rows [first, first + count) into out, slab by slab. Integers are
// read exactly: the file must store integers (not floats, not an enum), and
// every value must fit T; HDF5's own conversion would round 3.5 to 3 or
// clamp -1 to 0 without a word. A type that may not fit is read a slab at a
// time through a 64-bit buffer and checked value by value.
template <class T>
void read_slabs(const file& f, const std::string& name, hid_t ds, const std::vector<hsize_t>& d, hsize_t first,
                hsize_t count, T* out, const transfer& t) {
    const std::size_t stored = stored_size(f, name, ds);
    const hsize_t rows = slab_rows(row_values(d), t.slab, 1);
    const auto read_failed = [&] { fail(f, "cannot read dataset '" + name + "' (corrupt?)"); };
    const auto moved = [&](hsize_t n) {
        if (t.moved) t.moved(n * stored);
    };
    const auto read_straight = [&] {
        for_each_slab(f, name, ds, d, first, count, rows, [&](hid_t fs, hid_t ms, hsize_t at, hsize_t n) {
            if (H5Dread(ds, native_type<T>(), ms, fs, H5P_DEFAULT, out + at) < 0) read_failed();
            moved(n);
        });
    };
    if constexpr (!std::is_integral_v<T>) {
        read_straight();
    } else {
        handle type(H5Dget_type(ds), H5Tclose);
        const H5T_class_t c = H5Tget_class(type);
        if (c != H5T_INTEGER)
            fail(f, "dataset '" + name + "' must hold integers, but holds " +
                        (c == H5T_FLOAT ? "floating-point numbers" : c == H5T_ENUM ? "an enumeration" : "something else"));
        if (integer_type_fits<T>(type)) return read_straight();
        const auto checked = [&](auto wide_value) {
            using wide_t = decltype(wide_value);
            std::vector<wide_t> wide;  // one slab, never the whole dataset
            for_each_slab(f, name, ds, d, first, count, rows, [&](hid_t fs, hid_t ms, hsize_t at, hsize_t n) {
                wide.resize(n);
                if (H5Dread(ds, native_type<wide_t>(), ms, fs, H5P_DEFAULT, wide.data()) < 0) read_failed();
                for (hsize_t i = 0; i < n; ++i) {
                    if (std::cmp_less(wide[i], std::numeric_limits<T>::min()) ||
                        std::cmp_greater(wide[i], std::numeric_limits<T>::max()))
                        fail(f, "dataset '" + name + "' holds " + std::to_string(wide[i]) + ", out of range");
                    out[at + i] = static_cast<T>(wide[i]);
                }
                moved(n);
            });
        };
        if (H5Tget_sign(type) == H5T_SGN_2) checked(std::int64_t{});
        else checked(std::uint64_t{});
    }
}

}  // namespace

template <class T>
std::vector<T> read(const file& f, const std::string& dataset, const std::vector<hsize_t>& expected,
                    const transfer& t) {
    std::vector<hsize_t> d = dims(f, dataset);
    if (!expected.empty() && d != expected)
        fail(f, "dataset '" + dataset + "' has shape " + dims_string(d) + ", expected " +
                    dims_string(expected));
    handle ds = open_dataset(f, dataset);
    check_numeric(f, dataset, ds);
    const hsize_t n = element_count(f, dataset, d, sizeof(T));
    check_stored(f, dataset, ds, d);
    std::vector<T> out;
    resize_on_huge_pages(out, n);
    if (!out.empty()) read_slabs(f, dataset, ds, d, 0, d.empty() ? 1 : d[0], out.data(), t);
    return out;
}

namespace {
// The dataset of read_rows, checked, its dims and the values in the range.
template <class T>
handle open_rows(const file& f, const std::string& dataset, hsize_t first, hsize_t count, std::vector<hsize_t>& d,
                 hsize_t& n) {
    d = dims(f, dataset);
    if (d.empty() || first > d[0] || count > d[0] - first)
        fail(f, "rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                    " out of range for '" + dataset + "' " + dims_string(d));
    handle ds = open_dataset(f, dataset);
    check_numeric(f, dataset, ds);
    std::vector<hsize_t> cnt = d;
    cnt[0] = count;
    n = element_count(f, dataset, cnt, sizeof(T));
    check_stored(f, dataset, ds, d);
    return ds;
}
}  // namespace

hsize_t length(const file& f, const std::string& dataset) {
    const std::vector<hsize_t> d = dims(f, dataset);
    if (d.size() != 1) fail(f, "dataset '" + dataset + "' must be one-dimensional, but has shape " + dims_string(d));
    const handle ds = open_dataset(f, dataset);
    check_numeric(f, dataset, ds);
    check_stored(f, dataset, ds, d);
    return d[0];
}

template <class T>
std::vector<T> read_rows(const file& f, const std::string& dataset, hsize_t first, hsize_t count,
                         const transfer& t) {
    std::vector<hsize_t> d;
    hsize_t n = 0;
    const handle ds = open_rows<T>(f, dataset, first, count, d, n);
    std::vector<T> out;
    resize_on_huge_pages(out, n);
    if (!out.empty()) read_slabs(f, dataset, ds, d, first, count, out.data(), t);
    return out;
}

template <class T>
void read_rows_by_slab(const file& f, const std::string& dataset, hsize_t first, hsize_t count,
                       const std::function<void(const T* values, std::size_t n)>& take, const transfer& t) {
    std::vector<hsize_t> d;
    hsize_t n = 0;
    const handle ds = open_rows<T>(f, dataset, first, count, d, n);
    if (n == 0) return;
    const hsize_t row = row_values(d), rows = slab_rows(row, t.slab, 1);
    std::vector<T> slab(std::min(n, rows * row));
    for (hsize_t r = 0; r < count; r += rows) {
        const hsize_t k = std::min(rows, count - r);
        read_slabs(f, dataset, ds, d, first + r, k, slab.data(), t);
        take(slab.data(), k * row);
    }
}

std::uint64_t data_bytes(const file& f) {
    std::uint64_t total = 0;
    const auto add = [](hid_t group, const char* name, const H5L_info_t* link, void* sum) -> herr_t {
        // Hard links only: a soft or external link could lead anywhere, even to another file.
        if (link->type != H5L_TYPE_HARD) return 0;
        handle o(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
        if (!o.valid() || H5Iget_type(o) != H5I_DATASET) return 0;
        handle sp(H5Dget_space(o), H5Sclose);
        handle type(H5Dget_type(o), H5Tclose);
        if (!sp.valid() || !type.valid()) return 0;
        const hssize_t n = H5Sget_simple_extent_npoints(sp);
        const std::size_t size = H5Tget_size(type);
        auto& s = *static_cast<std::uint64_t*>(sum);
        // Saturates: a hostile file's declared sizes only skew a progress line.
        const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - s;
        if (n > 0 && size > 0)
            s += static_cast<std::uint64_t>(n) > room / size ? room : static_cast<std::uint64_t>(n) * size;
        return 0;
    };
    // HDF5 visits each group once, cycles of links included; a failure
    // leaves the sum so far.
    H5Lvisit(f.h, H5_INDEX_NAME, H5_ITER_NATIVE, add, &total);
    return total;
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
    if (!sp.valid() || !dcpl.valid()) fail(f, "cannot create dataset '" + dataset + "'");
    if (!opt.chunk.empty() && nonempty) {
        if (H5Pset_chunk(dcpl, static_cast<int>(opt.chunk.size()), opt.chunk.data()) < 0 ||
            (opt.gzip >= 0 && H5Pset_deflate(dcpl, static_cast<unsigned>(opt.gzip)) < 0))
            fail(f, "cannot create dataset '" + dataset + "' with chunks " + dims_string(opt.chunk));
    }
    if (opt.fill_at_alloc && H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC) < 0)
        fail(f, "cannot create dataset '" + dataset + "'");
    handle ds(H5Dcreate2(f.h, dataset.c_str(), file_type<T>(), sp, H5P_DEFAULT, dcpl, H5P_DEFAULT),
              H5Dclose);
    if (!ds.valid()) fail(f, "cannot create dataset '" + dataset + "'");
    return ds;
}

namespace {
// Writes a dataset slab by slab, each slab's values slab_at(at, n).
template <class T, class SlabAt>
void write_slabs(const file& f, const std::string& dataset, const std::vector<hsize_t>& d, const SlabAt& slab_at,
                 const write_options& opt, const transfer& t) {
    write_options o = opt;
    const hsize_t row = row_values(d), n = d.empty() ? 1 : d[0] * row;
    if (o.chunk.empty() && !d.empty() && n > t.chunked_above) {
        o.chunk = d;  // whole rows, about t.chunk values
        o.chunk[0] = std::clamp<hsize_t>(t.chunk / row, 1, d[0]);
    }
    handle ds = create_dataset<T>(f, dataset, d, o);
    if (n == 0) return;
    const hsize_t rows = slab_rows(row, t.slab, o.chunk.empty() ? 1 : o.chunk[0]);
    for_each_slab(f, dataset, ds, d, 0, d.empty() ? 1 : d[0], rows, [&](hid_t fs, hid_t ms, hsize_t at, hsize_t k) {
        if (H5Dwrite(ds, native_type<T>(), ms, fs, H5P_DEFAULT, slab_at(at, k)) < 0)
            fail(f, "cannot write dataset '" + dataset + "'");
        if (t.moved) t.moved(k * sizeof(T));
    });
}
}  // namespace

template <class T>
void write(const file& f, const std::string& dataset, const std::vector<hsize_t>& d, const T* data,
           const write_options& opt, const transfer& t) {
    write_slabs<T>(f, dataset, d, [data](hsize_t at, hsize_t) { return data + at; }, opt, t);
}

template <class T>
void write_by_slab(const file& f, const std::string& dataset, const std::vector<hsize_t>& d,
                   const std::function<void(std::size_t at, T* out, std::size_t n)>& fill,
                   const write_options& opt, const transfer& t) {
    std::vector<T> slab;
    write_slabs<T>(f, dataset, d, [&](hsize_t at, hsize_t n) {
        slab.resize(n);
        fill(at, slab.data(), n);
        return static_cast<const T*>(slab.data());
    }, opt, t);
}

void write_raw_chunk(const file& f, const handle& dataset, const std::string& name,
                     const std::vector<hsize_t>& offset, const void* bytes, std::size_t size) {
    // Filter mask 0: every filter of the pipeline was applied.
    if (H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), size, bytes) < 0)
        fail(f, "cannot write a chunk of dataset '" + name + "'");
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
    template std::vector<T> read<T>(const file&, const std::string&, const std::vector<hsize_t>&,  \
                                    const transfer&);                                            \
    template std::vector<T> read_rows<T>(const file&, const std::string&, hsize_t, hsize_t,        \
                                         const transfer&);                                       \
    template void read_rows_by_slab<T>(const file&, const std::string&, hsize_t, hsize_t,         \
                                       const std::function<void(const T*, std::size_t)>&,        \
                                       const transfer&);                                         \
    template void write_by_slab<T>(const file&, const std::string&, const std::vector<hsize_t>&,  \
                                   const std::function<void(std::size_t, T*, std::size_t)>&,     \
                                   const write_options&, const transfer&);                       \
    template void write<T>(const file&, const std::string&, const std::vector<hsize_t>&, const T*, \
                           const write_options&, const transfer&);                              \
    template handle create_dataset<T>(const file&, const std::string&,                            \
                                      const std::vector<hsize_t>&, const write_options&);       \

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
