#pragma once
// Model weights in HDF5 (docs/formats.md, "Model files"): /encoder/fc1/weight ... as
// torch.nn.Linear stores them, plus root attributes T, input_size,
// hidden_size, theta, refractory, release_p, height, width.
#include <string>

#include "io/h5.hpp"
#include "io/progress.hpp"
#include "sim/model.hpp"

namespace gust {

// Reads and validates a model file: shapes, dtypes and attributes must agree
// with each other; any disagreement or non-finite value is an input_error
// naming the file and the dataset. Read slab by slab as read_network_model
// reads (io/network_file.hpp), `progress` hearing the bytes read so far.
gust_model read_model(const std::string& path, const io_progress& progress = {}, const h5::transfer& t = {});

// Reads only the eight weight/bias datasets under `prefix` (e.g. "/weights"
// in the reference traces) into m, checking their mutual shapes.
void read_model_weights(const h5::file& f, const std::string& prefix, gust_model& m, const h5::transfer& t = {});

// Writes atomically (temp file + rename).
void write_model(const std::string& path, const gust_model& m);

}  // namespace gust
