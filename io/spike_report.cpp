#include "io/spike_report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "io/atomic_file.hpp"
#include "io/h5.hpp"

namespace gust {
namespace {

constexpr std::uint32_t sonata_magic = 0x0A7A;

// SONATA's `sorting` attribute: an enum on int8, as libsonata reads it.
void write_sorting_by_time(const h5::file& f, const std::string& group) {
    h5::handle t(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
    const std::int8_t none = 0, by_id = 1, by_time = 2;
    H5Tenum_insert(t, "none", &none);
    H5Tenum_insert(t, "by_id", &by_id);
    H5Tenum_insert(t, "by_time", &by_time);
    h5::handle g(H5Gopen2(f.h, group.c_str(), H5P_DEFAULT), H5Gclose);
    h5::handle sp(H5Screate(H5S_SCALAR), H5Sclose);
    h5::handle a(H5Acreate2(g, "sorting", t, sp, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Awrite(a, t, &by_time) < 0)
        throw input_error(f.path + ": cannot write attribute 'sorting' on " + group);
}

void write_extras(const h5::file& f, const spike_report& r) {
    const run_metadata& m = *r.meta;
    h5::make_groups(f, "/gust");
    h5::write_attr<std::int64_t>(f, "/gust", "T", m.T);
    h5::write_attr<std::int64_t>(f, "/gust", "cycles", m.cycles);
    h5::write_attr<std::uint64_t>(f, "/gust", "seed", m.seed);
    h5::write_attr_string(f, "/gust", "backend", m.backend);
    h5::write_attr_string(f, "/gust", "split", m.split);
    h5::write_attr_string(f, "/gust", "data_file", m.data_file);
    h5::write_attr_string(f, "/gust", "model_file", m.model_file);
    h5::write_attr_string(f, "/gust", "version", GUST_VERSION);
    for (std::size_t k = 0; k < r.images.size(); ++k) {
        // Beside its population, by name: what readers look up.
        const image_extras& im = r.images[k];
        if (im.input.empty()) continue;
        const std::string g = "/gust/" + r.populations[k].name;
        h5::write<float>(f, g + "/input", {m.height, m.width}, im.input.data());
        if (!im.labels.empty()) h5::write<float>(f, g + "/labels", {m.height, m.width}, im.labels.data());
    }
}

}  // namespace

void write_spike_report(const std::string& path, const spike_report& r) {
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        h5::write_attr<std::uint32_t>(f, "/", "magic", sonata_magic);
        h5::write_attr_u32s(f, "/", "version", {0, 1});
        h5::make_groups(f, "/spikes");
        h5::write_attr<double>(f, "/spikes", "dt", 1.0);
        for (const auto& p : r.populations) {
            if (p.timestamps.size() != p.node_ids.size())
                throw input_error(path + ": population " + p.name + " has unequal timestamps and node_ids");
            const std::string g = "/spikes/" + p.name;
            h5::make_groups(f, g);
            write_sorting_by_time(f, g);
            h5::write<double>(f, g + "/timestamps", {p.timestamps.size()}, p.timestamps.data());
            h5::write_attr_string(f, g + "/timestamps", "units", "ms");
            h5::write<std::uint64_t>(f, g + "/node_ids", {p.node_ids.size()}, p.node_ids.data());
        }
        if (r.meta) write_extras(f, r);
        h5::close(f);
    }
    out.commit();
}

std::optional<std::size_t> image_index_in_name(const std::string& name) {
    const std::string prefix = "image_";
    if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return std::nullopt;
    std::size_t index = 0;
    const char* first = name.data() + prefix.size();
    const char* last = name.data() + name.size();
    const auto [end, ec] = std::from_chars(first, last, index);
    if (ec != std::errc() || end != last) return std::nullopt;
    return index;
}

spike_report read_spike_report(const std::string& path) {
    h5::file f = h5::open_read(path);
    if (!h5::exists(f, "/spikes")) throw input_error(path + ": not a SONATA spike report (no /spikes group)");
    spike_report r;
    for (const std::string& name : h5::children(f, "/spikes")) {
        const std::string g = "/spikes/" + name;
        spike_population p;
        p.name = name;
        p.timestamps = h5::read<double>(f, g + "/timestamps");
        p.node_ids = h5::read<std::uint64_t>(f, g + "/node_ids");
        if (p.timestamps.size() != p.node_ids.size())
            throw input_error(path + ": " + g + " has " + std::to_string(p.timestamps.size()) +
                              " timestamps but " + std::to_string(p.node_ids.size()) + " node_ids");
        for (double t : p.timestamps)
            if (!std::isfinite(t) || t < 0)
                throw input_error(path + ": " + g + "/timestamps holds a negative or non-finite time");
        r.populations.push_back(std::move(p));
    }
    if (!h5::exists(f, "/gust")) return r;
    // Of the /gust extras only T is needed to cut spikes into cycles; every
    // other attribute is descriptive and may be missing (a file another tool
    // wrote, or one edited by hand).
    run_metadata m;
    if (!h5::has_attr(f, "/gust", "T"))
        throw input_error(path + ": /gust has no attribute T (steps per cycle), which cutting spikes into cycles needs");
    m.T = static_cast<int>(h5::read_attr_integer(f, "/gust", "T", 1, 16));
    m.cycles = static_cast<int>(h5::read_attr_integer_opt(f, "/gust", "cycles", 1, 1000000).value_or(0));  // 0: as far as the spikes reach
    m.seed = h5::read_attr_uint64_opt(f, "/gust", "seed").value_or(0);
    for (auto [name, field] : {std::pair<const char*, std::string*>{"backend", &m.backend}, {"split", &m.split},
                               {"data_file", &m.data_file}, {"model_file", &m.model_file}})
        if (h5::has_attr(f, "/gust", name)) *field = h5::read_attr_string(f, "/gust", name);
    bool sized = false;
    for (const auto& p : r.populations) {
        image_extras im;
        const std::string g = "/gust/" + p.name;
        if (const auto i = image_index_in_name(p.name)) im.index = *i;
        if (!h5::exists(f, g + "/input")) {
            r.images.push_back(std::move(im));
            continue;
        }
        auto d = h5::dims(f, g + "/input");
        if (d.size() != 2 || d[0] == 0 || d[1] == 0 || d[0] > 65536 || d[1] > 65536)
            throw input_error(path + ": " + g + "/input must be 2-D [height, width] with sides from 1 to 65536");
        // Every image of a report has one size: a reader sizes its buffers once.
        if (sized && (d[0] != m.height || d[1] != m.width))
            throw input_error(path + ": " + g + "/input is " + std::to_string(d[0]) + "x" + std::to_string(d[1]) +
                              " but an earlier image is " + std::to_string(m.height) + "x" + std::to_string(m.width));
        sized = true;
        m.height = d[0];
        m.width = d[1];
        im.input = h5::read<float>(f, g + "/input");
        if (h5::exists(f, g + "/labels")) im.labels = h5::read<float>(f, g + "/labels", d);
        r.images.push_back(std::move(im));
    }
    r.meta = m;
    return r;
}

}  // namespace gust
