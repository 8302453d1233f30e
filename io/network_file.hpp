#pragma once
// Model files of any network (docs/formats.md, "Model files"): the network's
// description as the root attribute `network` (canonical TOML), each weight
// set under its name (/<name>/weight dense [rows, cols], or CSR /<name>/data,
// indices, indptr with attribute shape), and each graded population's bias
// beside the first weight set that targets it (/<name>/bias). For the paper
// network these are exactly the published code's dataset names, and the root
// attributes it reads (T, input_size, hidden_size, theta, refractory,
// release_p, height, width) are written too. A file without `network` is
// read as the paper network.
#include <functional>
#include <string>

#include "io/h5.hpp"
#include "io/progress.hpp"
#include "sim/held_rows.hpp"
#include "sim/network_model.hpp"
#include "sim/rank_share.hpp"

namespace gust {

// Reads and validates a model file; any inconsistency is an input_error
// naming the file and the dataset or description line. Every dataset is
// read slab by slab straight into the model (h5::transfer `t`), and
// `progress` hears the bytes read so far of all the file's datasets.
network_model read_network_model(const std::string& path, const io_progress& progress = {},
                                 const h5::transfer& t = {});

// What the process of `share` needs of a model file: every stored sparse
// set holds only the rows that process uses (sim/held_rows.hpp), read as
// slabs.
network_model read_network_model_rows(const std::string& path, const rank_share& share);

// Stored sparse sets a model does not hold, made as they are written: of
// weight set k (k-th projection owning one) its whole row offsets (empty:
// the model holds it), and `fill` making rows [lo, hi) of it into a matrix
// (as a fresh model's are drawn: sim/network_init.hpp). A set is then
// never held whole, only a block of its rows. `values`, if set, makes the
// values [at, at + n) of set k alone where it can (else returns false, and
// they are taken from the rows).
struct sets_made_as_written {
    std::vector<std::vector<std::uint32_t>> offsets;
    row_filler fill;
    std::function<bool(std::size_t set, std::size_t at, std::size_t n, float* out)> values;
};

// Writes atomically (temp file + rename); large datasets chunked and written
// slab by slab (h5::transfer `t`), `progress` hearing the bytes of weights
// and biases written so far. With `made`, the sets it makes are written as
// they are made, the same bytes as when m holds them.
void write_network_model(const std::string& path, const network_model& m, const io_progress& progress = {},
                         const h5::transfer& t = {}, const sets_made_as_written* made = nullptr);

// One weight set stored at `group` (dense `group/weight` or CSR), checked to
// be [rows, cols] when those are non-zero.
weight_matrix read_weight_set(const h5::file& f, const std::string& group, std::size_t rows = 0,
                              std::size_t cols = 0, const h5::transfer& t = {}, bool sparse_empty = false);
// A model's weight sets and biases laid out under `prefix` ("" = the root,
// as in a model file; a checkpoint keeps its model under "/model"), and the
// description as the root attribute `network`.
// With `sparse_empty`, CSR sets come with their shape and every row empty.
network_parameters read_parameters(const h5::file& f, const std::string& prefix, const network_description& d,
                                   const h5::transfer& t = {}, bool sparse_empty = false);
// Rows [lo, hi) of the CSR set at `group` into w (shaped, other rows empty), checked.
void read_csr_rows(const h5::file& f, const std::string& group, std::size_t lo, std::size_t hi, weight_matrix& w);
void write_parameters(const h5::file& f, const std::string& prefix, const network_model& m,
                      const h5::transfer& t = {}, const sets_made_as_written* made = nullptr);
network_description read_description_attribute(const h5::file& f);

// A float32 dataset of the given dims whose values are all finite.
std::vector<float> read_finite_floats(const h5::file& f, const std::string& name, const std::vector<hsize_t>& dims,
                                      const h5::transfer& t = {});
void write_weight_set(const h5::file& f, const std::string& group, const weight_matrix& w,
                      const h5::transfer& t = {});
// The same for weight set `set` of `made`, whose rows `shape` does not hold.
void write_weight_set_as_made(const h5::file& f, const std::string& group, const weight_matrix& shape,
                              const sets_made_as_written& made, std::size_t set, const h5::transfer& t = {});

}  // namespace gust
