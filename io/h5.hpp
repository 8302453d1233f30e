#pragma once
// Thin RAII layer over the HDF5 C API: handles that close themselves, and
// typed read/write helpers that turn every failure into a gust::input_error
// naming the file and the object.
#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "io/files_being_read.hpp"

namespace gust::h5 {

// Owns one hid_t and closes it with the matching H5?close.
class handle {
public:
    handle() = default;
    handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
    handle(const handle&) = delete;
    handle& operator=(const handle&) = delete;
    handle(handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
    handle& operator=(handle&& o) noexcept;
    ~handle() { reset(); }
    hid_t get() const { return id_; }
    operator hid_t() const { return id_; }
    bool valid() const { return id_ >= 0; }
    void reset();
    // Gives up ownership without closing.
    hid_t release() {
        const hid_t id = id_;
        id_ = H5I_INVALID_HID;
        return id;
    }

private:
    hid_t id_ = H5I_INVALID_HID;
    herr_t (*close_)(hid_t) = nullptr;
};

// An open file plus its path, so every error can name it; a file opened
// for reading is marked as being read while it is open
// (io/files_being_read.hpp).
struct file {
    file() = default;
    file(handle opened, std::string name, file_being_read marked = {})
        : h(std::move(opened)), path(std::move(name)), reading(std::move(marked)) {}

    handle h;
    std::string path;
    file_being_read reading;
};

// Disables HDF5's automatic error-stack printing (we report our own errors)
// and its close-everything-at-exit handler: a file whose write failed is
// abandoned (its temporary removed), and closing it again at exit would
// only fail again, or crash inside the library.
void quiet();

file open_read(const std::string& path);
file create(const std::string& path);  // truncates; callers write to a temp name
// Creates `temp_path`, naming `shown_path` (the final name) in every error.
file create(const std::string& temp_path, const std::string& shown_path);
// Flushes and closes a file being written, checking both: a full disk or a
// failing device shows up here at the latest. Throws input_error naming
// f.path; the file is closed (or abandoned) either way.
void close(file& f);

bool exists(const file& f, const std::string& object);
// Dimensions of a dataset; throws when it is missing.
std::vector<hsize_t> dims(const file& f, const std::string& dataset);

// How a dataset moves between memory and the file: in slabs of whole rows of
// its leading dimension (single values of a 1-D dataset), about `slab`
// values per HDF5 call, so that a model of a billion synapses needs no
// whole-dataset temporary. A dataset written with more than `chunked_above`
// values is stored chunked, in chunks of whole rows of about `chunk` values
// (unless write_options names its chunks); smaller ones stay contiguous, so
// small files keep their bytes. `moved`, when set, hears the size in the file
// of each slab as it is read or written.
struct transfer {
    hsize_t slab = hsize_t{1} << 22;
    hsize_t chunk = hsize_t{1} << 20;
    hsize_t chunked_above = hsize_t{1} << 22;
    std::function<void(std::uint64_t bytes)> moved;
};

// Reads a whole numeric dataset converted to T, slab by slab into the
// result. Throws when the dataset is missing, is not numeric, or (if
// expected is non-empty) has other dims. An integer T is read exactly: the
// file must store integers (not floats, not an enum) and every value must
// fit T, else the message names the dataset and the value.
template <class T>
std::vector<T> read(const file& f, const std::string& dataset,
                    const std::vector<hsize_t>& expected = {}, const transfer& t = {});
// Reads rows [first, first+count) of the leading dimension, the same way.
template <class T>
std::vector<T> read_rows(const file& f, const std::string& dataset, hsize_t first, hsize_t count,
                         const transfer& t = {});
// The length of a one-dimensional numeric dataset, with the checks read()
// makes before reading: that the file holds the values it declares.
hsize_t length(const file& f, const std::string& dataset);
// Reads rows [first, first+count) the same way, a slab at a time, handing
// each slab's values in order to take(values, n): for a caller that keeps
// them in another form and so needs no copy of the whole range.
template <class T>
void read_rows_by_slab(const file& f, const std::string& dataset, hsize_t first, hsize_t count,
                       const std::function<void(const T* values, std::size_t n)>& take, const transfer& t = {});
// The size in the file of every dataset's values (elements x stored element
// size, before any compression), summed over the whole file: the total a
// read's progress counts towards. Objects that cannot be opened count 0.
std::uint64_t data_bytes(const file& f);

struct write_options {
    std::vector<hsize_t> chunk;  // empty: contiguous
    int gzip = -1;               // -1: no compression
    // Write fill values when chunks are allocated (H5D_FILL_TIME_ALLOC), as
    // h5py does; HDF5's own default only writes them when a fill value is set.
    bool fill_at_alloc = false;
};
// Writes a dataset slab by slab (transfer above); its layout is opt's, or
// chunked when it is large and opt names no chunks.
template <class T>
void write(const file& f, const std::string& dataset, const std::vector<hsize_t>& dims,
           const T* data, const write_options& opt = {}, const transfer& t = {});
// The same, its values made a slab at a time by fill(at, out, n), which
// writes the values [at, at + n) of the row-major whole to out.
template <class T>
void write_by_slab(const file& f, const std::string& dataset, const std::vector<hsize_t>& dims,
                   const std::function<void(std::size_t at, T* out, std::size_t n)>& fill,
                   const write_options& opt = {}, const transfer& t = {});
// Creates a dataset (and its parent groups) without writing data, for callers
// that fill it chunk by chunk.
template <class T>
handle create_dataset(const file& f, const std::string& dataset, const std::vector<hsize_t>& dims,
                      const write_options& opt = {});
// Stores one chunk whose bytes have already been through the dataset's filter
// pipeline (e.g. deflated by the caller), at element offset `offset`. HDF5
// filters serially; this lets callers compress chunks in parallel.
void write_raw_chunk(const file& f, const handle& dataset, const std::string& name,
                     const std::vector<hsize_t>& offset, const void* bytes, std::size_t size);

void make_groups(const file& f, const std::string& path);  // like mkdir -p

// Attributes on any object (group or dataset) named by path ("/" = root).
template <class T>
void write_attr(const file& f, const std::string& object, const std::string& name, const T& value);
void write_attr_string(const file& f, const std::string& object, const std::string& name,
                       const std::string& value);
// A string of its own length, stored in the attribute itself. A
// variable-length one lives in the file's global heap, which HDF5 1.10
// reads from a damaged file without bounds (an absurd length, or a loop of
// minutes): files gust alone writes and reads keep their strings this way.
void write_attr_fixed_string(const file& f, const std::string& object, const std::string& name,
                             const std::string& value);
void write_attr_u32s(const file& f, const std::string& object, const std::string& name,
                     const std::vector<std::uint32_t>& values);
bool has_attr(const file& f, const std::string& object, const std::string& name);
double read_attr_number(const file& f, const std::string& object, const std::string& name);
// A single whole number in [lo, hi], stored as an HDF5 integer (a float or
// an enum is refused, not truncated); nullopt when the attribute is absent.
std::optional<std::int64_t> read_attr_integer_opt(const file& f, const std::string& object, const std::string& name,
                                                  std::int64_t lo, std::int64_t hi);
// The same for a full-range unsigned value (a seed).
std::optional<std::uint64_t> read_attr_uint64_opt(const file& f, const std::string& object, const std::string& name);
std::int64_t read_attr_integer(const file& f, const std::string& object, const std::string& name, std::int64_t lo,
                               std::int64_t hi);
std::optional<double> read_attr_number_opt(const file& f, const std::string& object,
                                           const std::string& name);
// Either kind of string; or only one of fixed length, where a
// variable-length one is refused unread.
enum class string_storage { any, fixed_length };
std::string read_attr_string(const file& f, const std::string& object, const std::string& name,
                             string_storage storage = string_storage::any);

// Names of the direct children of a group.
std::vector<std::string> children(const file& f, const std::string& group);

}  // namespace gust::h5
