#include "io/network_file.hpp"

#include <algorithm>
#include <cmath>

#include "io/atomic_file.hpp"
#include "io/model_file.hpp"
#include "io/network_toml.hpp"
#include "core/procedural_synapses.hpp"
#include "sim/held_rows.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

namespace gust {
namespace {

void check_float32(const h5::file& f, const std::string& name) {
    h5::handle ds(H5Dopen2(f.h, name.c_str(), H5P_DEFAULT), H5Dclose);
    h5::handle t(H5Dget_type(ds), H5Tclose);
    if (H5Tget_class(t) != H5T_FLOAT || H5Tget_size(t) != 4)
        throw input_error(f.path + ": dataset '" + name + "' must be float32");
}

// The shape of a sparse weight set: its group attribute `shape` = [rows, cols].
weight_matrix read_csr_shape(const h5::file& f, const std::string& group) {
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
    weight_matrix w;
    w.rows = static_cast<std::size_t>(shape[0]);
    w.cols = static_cast<std::size_t>(shape[1]);
    return w;
}

// The row offsets of a sparse set of `rows` rows (dataset indptr), checked
// against its indices and values before anything is read by them.
std::vector<std::uint32_t> read_offsets(const h5::file& f, const std::string& group, std::size_t rows,
                                        const h5::transfer& t) {
    const std::string where = f.path + ": sparse layer '" + group + "'";
    std::vector<std::uint32_t> offsets = h5::read<std::uint32_t>(f, group + "/indptr", {}, t);
    if (offsets.size() != rows + 1) throw input_error(where + ": indptr must have rows + 1 entries");
    const hsize_t nnz = h5::length(f, group + "/indices");
    if (offsets[0] != 0 || offsets.back() != nnz || h5::length(f, group + "/data") != nnz ||
        !std::is_sorted(offsets.begin(), offsets.end()))
        throw input_error(where + ": indptr must rise from 0 to the number of indices and values");
    return offsets;
}

// The sources of entries [first, first + indptr.back()) of a set's indices,
// narrowed slab by slab as they are read: no 32-bit copy of the whole set.
// Any integer type is read; a value outside uint32 is refused by h5.
synapse_sources read_sources(const h5::file& f, const std::string& group, std::size_t first,
                             const std::vector<std::uint32_t>& indptr, const h5::transfer& t) {
    synapse_sources_builder sources(indptr);
    h5::read_rows_by_slab<std::uint32_t>(
        f, group + "/indices", first, indptr.back(),
        [&](const std::uint32_t* v, std::size_t n) { sources.append(v, n); }, t);
    return sources.finish();
}

// A sparse weight set (docs/formats.md): CSR datasets data, indices, indptr
// and the dense shape as the group attribute `shape` = [rows, cols].
weight_matrix read_csr(const h5::file& f, const std::string& group, const h5::transfer& t) {
    weight_matrix w = read_csr_shape(f, group);
    check_float32(f, group + "/data");
    w.indptr = read_offsets(f, group, w.rows, t);
    w.w = h5::read<float>(f, group + "/data", {}, t);
    w.indices = read_sources(f, group, 0, w.indptr, t);
    w.validate(f.path + ": sparse layer '" + group + "'");
    return w;
}

// The first weight set (in projection order) that targets each population.
std::vector<std::string> bias_homes(const network_description& d) {
    std::vector<std::string> home(d.populations.size());
    for (const auto& pr : d.projections) {
        std::string& h = home[d.population_index(pr.target)];
        if (pr.owns_weights() && h.empty()) h = pr.name;
    }
    return home;
}

// The root attributes written for other readers (T, height, width, and the
// paper's input_size ... release_p) must say what the description says.
void check_root_attributes(const h5::file& f, const network_description& d) {
    auto agree = [&](const char* name, std::int64_t lo, std::int64_t hi, std::int64_t want) {
        const auto v = h5::read_attr_integer_opt(f, "/", name, lo, hi);
        if (v && *v != want)
            throw input_error(f.path + ": attribute '" + name + "' on '/' is " + std::to_string(*v) +
                              " but the network description says " + std::to_string(want));
    };
    agree("T", 1, std::int64_t{1} << 40, d.cycle);
    agree("height", 1, std::int64_t{1} << 40, static_cast<std::int64_t>(d.height));
    agree("width", 1, std::int64_t{1} << 40, static_cast<std::int64_t>(d.width));
    if (!is_paper_shaped(d)) return;
    agree("input_size", 1, std::int64_t{1} << 40, static_cast<std::int64_t>(d.pixels()));
    agree("hidden_size", 1, std::int64_t{1} << 40, static_cast<std::int64_t>(d.populations[2].size));
    agree("refractory", 1, std::int64_t{1} << 40, d.populations[0].refractory);
    auto agree_number = [&](const char* name, float want) {
        const auto v = h5::read_attr_number_opt(f, "/", name);
        if (v && static_cast<float>(*v) != want)
            throw input_error(f.path + ": attribute '" + name + "' on '/' disagrees with the network description");
    };
    agree_number("theta", d.populations[0].theta);
    agree_number("release_p", d.projections[1].release_p);
}

// The bytes write_parameters writes: every weight set's values (and CSR
// indices and offsets) and every bias, four bytes each.
std::uint64_t parameter_bytes(const network_model& m, const sets_made_as_written* made) {
    std::uint64_t values = 0;
    for (std::size_t j = 0, set = 0; j < m.description.projections.size(); ++j)
        if (m.description.projections[j].owns_weights()) {
            const weight_matrix& w = *m.net.projections[j].weights;
            values += w.w.size() + w.indices.size() + w.indptr.size();
            if (made != nullptr && !made->offsets[set].empty()) values += 2 * std::uint64_t{made->offsets[set].back()};
            ++set;
        }
    for (const auto& p : m.net.populations) values += p.bias.size();
    return values * 4;
}

// A procedural set (core/procedural_synapses.hpp) stores no dataset: it is
// regenerated from the description and the model's initialisation seed, the
// root attribute `procedural_seed`; its set index is its place among the
// description's weight sets.
constexpr const char* procedural_seed = "procedural_seed";

weight_matrix read_procedural_set(const h5::file& f, const network_description& d, const projection_spec& pr,
                                  std::uint32_t set) {
    const auto seed = h5::read_attr_uint64_opt(f, "/", procedural_seed);
    if (!seed)
        throw input_error(f.path + ": projection '" + pr.name + "' is procedural but the file has no attribute '" +
                          procedural_seed + "' on '/'");
    weight_matrix w;
    w.rule = synapse_rule(d, pr, *seed, set);
    w.rows = w.rule->rows();
    w.cols = w.rule->cols();
    return w;
}

void write_procedural_seed(const h5::file& f, const weight_matrix& w) {
    // Every procedural set of a model comes from one `gust init`, so one seed serves them all.
    const auto seed = h5::read_attr_uint64_opt(f, "/", procedural_seed);
    if (seed && *seed != w.rule->seed)
        throw input_error(f.path + ": procedural weight sets of different seeds cannot share a model file");
    if (!seed) h5::write_attr<std::uint64_t>(f, "/", procedural_seed, w.rule->seed);
}

network_model read_described(const h5::file& f, const h5::transfer& t) {
    network_description d = read_description_attribute(f);
    network_parameters p = read_parameters(f, "", d, t);
    check_root_attributes(f, d);
    return assemble(std::move(d), std::move(p), f.path);
}

}  // namespace

std::vector<float> read_finite_floats(const h5::file& f, const std::string& name, const std::vector<hsize_t>& dims,
                                      const h5::transfer& t) {
    if (!h5::exists(f, name)) throw input_error(f.path + ": dataset '" + name + "' is missing");
    check_float32(f, name);
    std::vector<float> v = h5::read<float>(f, name, dims, t);
    for (float x : v)
        if (!std::isfinite(x)) throw input_error(f.path + ": dataset '" + name + "' holds NaN or Inf");
    return v;
}

weight_matrix read_weight_set(const h5::file& f, const std::string& group, std::size_t rows, std::size_t cols,
                              const h5::transfer& t, bool sparse_empty) {
    const std::string dense = group + "/weight";
    const bool sparse = !h5::exists(f, dense) && h5::exists(f, group + "/indptr");
    // What a message names: the dense dataset, or the CSR group's values.
    const std::string shown = sparse ? group + "/data" : dense;
    weight_matrix w;
    if (sparse && sparse_empty) {
        w = read_csr_shape(f, group);
        w.indptr.assign(w.rows + 1, 0);  // every row empty, for read_csr_rows to fill
    } else if (sparse) {
        w = read_csr(f, group, t);
    } else {
        if (!h5::exists(f, dense)) throw input_error(f.path + ": dataset '" + dense + "' is missing");
        const auto d = h5::dims(f, dense);
        if (d.size() != 2) throw input_error(f.path + ": dataset '" + dense + "' must be 2-D [out, in]");
        w.rows = d[0];
        w.cols = d[1];
        check_float32(f, dense);
        w.w = h5::read<float>(f, dense, {}, t);
    }
    for (float x : w.w)
        if (!std::isfinite(x)) throw input_error(f.path + ": dataset '" + shown + "' holds NaN or Inf");
    if ((rows != 0 && w.rows != rows) || (cols != 0 && w.cols != cols))
        throw input_error(f.path + ": dataset '" + shown + "' has shape [" + std::to_string(w.rows) + ", " +
                          std::to_string(w.cols) + "], the network needs [" + std::to_string(rows) + ", " +
                          std::to_string(cols) + "]");
    return w;
}

network_description read_description_attribute(const h5::file& f) {
    return parse_network_description(h5::read_attr_string(f, "/", "network"), f.path + " (its attribute 'network')");
}

network_parameters read_parameters(const h5::file& f, const std::string& prefix, const network_description& d,
                                   const h5::transfer& t, bool sparse_empty) {
    network_parameters p;
    for (const auto& pr : d.projections) {
        if (!pr.owns_weights()) continue;
        if (pr.procedural) {
            p.weights.push_back(read_procedural_set(f, d, pr, static_cast<std::uint32_t>(p.weights.size())));
            continue;
        }
        const std::size_t rows = d.populations[d.population_index(pr.target)].size,
                          cols = d.populations[d.population_index(pr.source)].size;
        p.weights.push_back(read_weight_set(f, prefix + "/" + pr.name, rows, cols, t, sparse_empty));
    }
    const auto home = bias_homes(d);
    p.biases.resize(d.populations.size());
    for (std::size_t i = 0; i < d.populations.size(); ++i) {
        const population_spec& s = d.populations[i];
        if (s.type != population::kind::graded) continue;
        const std::string name = prefix + "/" + home[i] + "/bias";
        if (s.bias) p.biases[i] = read_finite_floats(f, name, {s.size}, t);
        else if (h5::exists(f, name))
            throw input_error(f.path + ": dataset '" + name + "' exists but population '" + s.name + "' has bias = false");
    }
    return p;
}

void write_parameters(const h5::file& f, const std::string& prefix, const network_model& m, const h5::transfer& t,
                      const sets_made_as_written* made) {
    const network_description& d = m.description;
    for (std::size_t j = 0, set = 0; j < d.projections.size(); ++j)
        if (d.projections[j].owns_weights()) {
            const weight_matrix& w = *m.net.projections[j].weights;
            const std::string group = prefix + "/" + d.projections[j].name;
            if (w.procedural()) write_procedural_seed(f, w);
            else if (made != nullptr && !made->offsets[set].empty()) write_weight_set_as_made(f, group, w, *made, set, t);
            else write_weight_set(f, group, w, t);
            ++set;
        }
    const auto home = bias_homes(d);
    for (std::size_t i = 0; i < d.populations.size(); ++i) {
        const std::vector<float>& b = m.net.populations[i].bias;
        if (!b.empty()) h5::write<float>(f, prefix + "/" + home[i] + "/bias", {b.size()}, b.data(), {}, t);
    }
    h5::write_attr_string(f, "/", "network", format_network_description(d));
}

namespace {

// The attributes that mark `group` a CSR set of rows x cols.
void write_csr_attributes(const h5::file& f, const std::string& group, std::size_t rows, std::size_t cols) {
    const std::int64_t shape[2] = {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(cols)};
    const hsize_t two = 2;
    h5::handle g(H5Oopen(f.h, group.c_str(), H5P_DEFAULT), H5Oclose);
    h5::handle sp(H5Screate_simple(1, &two, nullptr), H5Sclose);
    h5::handle a(H5Acreate2(g, "shape", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Awrite(a, H5T_NATIVE_INT64, shape) < 0)
        throw input_error(f.path + ": cannot write attribute 'shape' of '" + group + "'");
    h5::write_attr_string(f, group, "format", "csr");
}

// The rows of one set made a block at a time, as its datasets are written
// front to back: each slab's entries lie in the block made last, or in the
// next one, made from the slab's first row for about `block_entries`
// entries.
class rows_made_in_blocks {
public:
    rows_made_in_blocks(const sets_made_as_written& made, std::size_t set, std::size_t block_entries)
        : offsets_(made.offsets[set]), fill_(made.fill), set_(set), block_entries_(block_entries) {}

    // The block's rows hold entries [at, at + n) of the set; their values
    // start at entry first().
    const weight_matrix& cover(std::size_t at, std::size_t n) {
        if (at >= offsets_[lo_] && at + n <= offsets_[hi_]) return w_;
        const auto begin = offsets_.begin(), end = offsets_.end() - 1;  // offsets_[r] for rows r
        lo_ = static_cast<std::size_t>(std::upper_bound(begin, end, static_cast<std::uint32_t>(at)) - begin) - 1;
        // Whole slabs of this one's size, so that the slabs after it end
        // within the block, and the next starts where it ends.
        const std::size_t want = at + n * std::max<std::size_t>(1, block_entries_ / n);
        hi_ = static_cast<std::size_t>(
            std::lower_bound(begin + static_cast<std::ptrdiff_t>(lo_), end + 1,
                             static_cast<std::uint32_t>(std::min<std::size_t>(want, offsets_.back()))) - begin);
        w_ = weight_matrix{};  // the last block freed before the next is made
        fill_(set_, lo_, hi_, w_);
        return w_;
    }
    std::size_t first() const { return offsets_[lo_]; }

private:
    const std::vector<std::uint32_t>& offsets_;
    const row_filler& fill_;
    std::size_t set_, block_entries_, lo_ = 0, hi_ = 0;
    weight_matrix w_;
};

}  // namespace

void write_weight_set(const h5::file& f, const std::string& group, const weight_matrix& w, const h5::transfer& t) {
    if (!w.sparse()) {
        h5::write<float>(f, group + "/weight", {w.rows, w.cols}, w.w.data(), {}, t);
        return;
    }
    h5::write<float>(f, group + "/data", {w.w.size()}, w.w.data(), {}, t);
    h5::write_by_slab<std::uint32_t>(
        f, group + "/indices", {w.indices.size()},
        [&](std::size_t at, std::uint32_t* out, std::size_t n) { w.indices.widen(w.indptr, at, n, out); }, {}, t);
    h5::write<std::uint32_t>(f, group + "/indptr", {w.indptr.size()}, w.indptr.data(), {}, t);
    write_csr_attributes(f, group, w.rows, w.cols);
}

void write_weight_set_as_made(const h5::file& f, const std::string& group, const weight_matrix& shape,
                              const sets_made_as_written& made, std::size_t set, const h5::transfer& t) {
    const std::vector<std::uint32_t>& offsets = made.offsets[set];
    const std::size_t entries = offsets.back();
    // The same datasets, in the same order, as write_weight_set: the same
    // bytes as the set held whole. The rows are made for the sources, and
    // for the values too where those cannot be made alone.
    rows_made_in_blocks rows(made, set, 4 * t.slab);  // 16 Mi entries by default
    h5::write_by_slab<float>(f, group + "/data", {entries}, [&](std::size_t at, float* out, std::size_t n) {
        if (made.values && made.values(set, at, n, out)) return;
        const weight_matrix& w = rows.cover(at, n);
        std::copy_n(w.w.begin() + static_cast<std::ptrdiff_t>(at - rows.first()), n, out);
    }, {}, t);
    h5::write_by_slab<std::uint32_t>(f, group + "/indices", {entries}, [&](std::size_t at, std::uint32_t* out, std::size_t n) {
        const weight_matrix& w = rows.cover(at, n);
        w.indices.widen(w.indptr, at - rows.first(), n, out);
    }, {}, t);
    h5::write<std::uint32_t>(f, group + "/indptr", {offsets.size()}, offsets.data(), {}, t);
    write_csr_attributes(f, group, shape.rows, shape.cols);
}

void read_csr_rows(const h5::file& f, const std::string& group, std::size_t lo, std::size_t hi, weight_matrix& w) {
    const std::vector<std::uint32_t> offsets = read_offsets(f, group, w.rows, {});
    const std::uint32_t first = offsets[lo], end = offsets[hi];
    check_float32(f, group + "/data");
    w.w = h5::read_rows<float>(f, group + "/data", first, end - first);
    w.indptr.resize(offsets.size());
    for (std::size_t r = 0; r < offsets.size(); ++r) w.indptr[r] = std::clamp(offsets[r], first, end) - first;
    w.indices = read_sources(f, group, first, w.indptr, {});
    w.validate(f.path + ": sparse layer '" + group + "'");
}

network_model read_network_model_rows(const std::string& path, const rank_share& share) {
    h5::file f = h5::open_read(path);
    if (!h5::has_attr(f, "/", "network")) return read_network_model(path);  // the paper network: dense
    network_description d = read_description_attribute(f);
    std::vector<std::string> groups;
    for (const auto& pr : d.projections)
        if (pr.owns_weights()) groups.push_back("/" + pr.name);
    network_parameters p = read_parameters(f, "", d, {}, true);
    check_root_attributes(f, d);
    network_model m = assemble(std::move(d), std::move(p), f.path);
    hold_rows(m, share, [&](std::size_t set, std::size_t lo, std::size_t hi, weight_matrix& w) {
        read_csr_rows(f, groups[set], lo, hi, w);
    });
    return m;
}

network_model read_network_model(const std::string& path, const io_progress& progress, const h5::transfer& t) {
    {
        h5::file f = h5::open_read(path);
        if (h5::has_attr(f, "/", "network")) {
            progress_meter meter(progress, f, t);
            network_model m = read_described(f, meter.transfer());
            meter.finish();
            return m;
        }
    }
    return to_network_model(read_model(path, progress, t));
}

void write_network_model(const std::string& path, const network_model& m, const io_progress& progress,
                         const h5::transfer& t, const sets_made_as_written* made) {
    const network_description& d = m.description;
    progress_meter meter(progress, parameter_bytes(m, made), t);
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        write_parameters(f, "", m, meter.transfer(), made);
        h5::write_attr<std::int64_t>(f, "/", "T", d.cycle);
        h5::write_attr<std::int64_t>(f, "/", "height", static_cast<std::int64_t>(d.height));
        h5::write_attr<std::int64_t>(f, "/", "width", static_cast<std::int64_t>(d.width));
        if (is_paper_shaped(d)) {
            // What the published code and earlier readers look for.
            h5::write_attr<std::int64_t>(f, "/", "input_size", static_cast<std::int64_t>(d.pixels()));
            h5::write_attr<std::int64_t>(f, "/", "hidden_size", static_cast<std::int64_t>(d.populations[2].size));
            h5::write_attr<double>(f, "/", "theta", d.populations[0].theta);
            h5::write_attr<std::int64_t>(f, "/", "refractory", d.populations[0].refractory);
            h5::write_attr<double>(f, "/", "release_p", d.projections[1].release_p);
        }
        h5::write_attr_string(f, "/", "gust_version", GUST_VERSION);
        h5::close(f);
    }
    out.commit();
    meter.finish();
}

}  // namespace gust
