#include "io/state_report.hpp"

#include <map>

#include "io/atomic_file.hpp"
#include "io/h5.hpp"

namespace gust {

std::vector<std::string> state_report_names(const std::vector<probe>& probes, const network& net) {
    std::vector<std::string> names;
    std::map<std::string, int> seen;
    for (const probe& p : probes) {
        std::string name = net.populations[p.population].name;
        if (p.var == probe::variable::refractory) name += ".refractory";
        const int n = ++seen[name];
        names.push_back(n == 1 ? name : name + "_" + std::to_string(n));
    }
    return names;
}

void write_state_report(const std::string& path, const std::vector<probe>& probes, const network& net,
                        const std::vector<image_record>& records, const image_set& images, std::int64_t steps) {
    const auto names = state_report_names(probes, net);
    atomic_file out(path);
    {
        h5::file f = h5::create(out.temp_path(), path);
        h5::make_groups(f, "/report");
        const std::vector<std::uint64_t> image_ids(images.indices.begin(), images.indices.end());
        for (std::size_t r = 0; r < probes.size(); ++r) {
            const probe& p = probes[r];
            const std::string g = "/report/" + names[r];
            const std::size_t units = p.width(net), n_steps = p.steps_in(steps);
            std::vector<float> data;
            data.reserve(records.size() * n_steps * units);
            for (const auto& rec : records) {
                if (rec.recorded.size() != probes.size() || rec.recorded[r].size() != n_steps * units)
                    throw input_error(path + ": probe " + names[r] + " recorded " +
                                      std::to_string(rec.recorded.size() > r ? rec.recorded[r].size() : 0) +
                                      " values of an image, expected " + std::to_string(n_steps * units));
                data.insert(data.end(), rec.recorded[r].begin(), rec.recorded[r].end());
            }
            h5::make_groups(f, g + "/mapping");
            h5::write_attr_string(f, g, "population", net.populations[p.population].name);
            h5::write_attr_string(f, g, "variable", p.var == probe::variable::output ? "output" : "refractory");
            h5::write<float>(f, g + "/data", {records.size(), n_steps, units}, data.data());
            std::vector<std::uint64_t> ids(units);
            for (std::size_t j = 0; j < units; ++j) ids[j] = p.units.empty() ? j : p.units[j];
            h5::write<std::uint64_t>(f, g + "/mapping/node_ids", {units}, ids.data());
            const double time[3] = {static_cast<double>(p.first_step), static_cast<double>(p.end_in(steps)),
                                    static_cast<double>(p.stride)};
            h5::write<double>(f, g + "/mapping/time", {3}, time);
            h5::write_attr_string(f, g + "/mapping/time", "units", "ms");
            h5::write<std::uint64_t>(f, g + "/mapping/images", {image_ids.size()}, image_ids.data());
        }
        h5::close(f);
    }
    out.commit();
}

}  // namespace gust
