#pragma once
// One step of every probe (sim/probe.hpp) appended to an image's record,
// the same for both backends: each says how to read a graded population's
// output and a spiking population's units at this step.
#include "sim/probe.hpp"
#include "sim/simulation.hpp"

namespace gust {

// values(p, units, out): population p's output at step k for `units`
// (ascending; empty: every unit) into out, p graded; spiked(p, i),
// refractory(p, i): unit i of spiking population p at step k. With `only`
// ([probe]: ascending units, for a process that records its own rows
// only), each probe records just those units (none when empty).
template <class Values, class Spiked, class Refractory>
void record_probes(const network& net, const std::vector<probe>& probes, std::int64_t k, Values&& values,
                   Spiked&& spiked, Refractory&& refractory, image_record& rec,
                   const std::vector<std::vector<std::uint32_t>>* only = nullptr) {
    for (std::size_t r = 0; r < probes.size(); ++r) {
        const probe& pr = probes[r];
        if (!pr.records_step(k)) continue;
        std::vector<float>& out = rec.recorded[r];
        const std::vector<std::uint32_t>& units = only ? (*only)[r] : pr.units;
        const std::size_t n = only ? units.size() : pr.width(net);
        if (n == 0) continue;
        auto unit = [&](std::size_t j) { return units.empty() ? static_cast<std::uint32_t>(j) : units[j]; };
        if (pr.var == probe::variable::refractory) {
            for (std::size_t j = 0; j < n; ++j) out.push_back(static_cast<float>(refractory(pr.population, unit(j))));
        } else if (net.is_spiking(pr.population)) {
            for (std::size_t j = 0; j < n; ++j) out.push_back(spiked(pr.population, unit(j)) ? 1.0f : 0.0f);
        } else {
            out.resize(out.size() + n);
            values(pr.population, units, out.data() + out.size() - n);
        }
    }
}

// Reserves each probe's record for a run of `steps` steps (of `only`'s
// units, as record_probes).
inline void begin_probes(const network& net, const std::vector<probe>& probes, std::int64_t steps, image_record& rec,
                         const std::vector<std::vector<std::uint32_t>>* only = nullptr) {
    rec.recorded.assign(probes.size(), {});
    for (std::size_t r = 0; r < probes.size(); ++r)
        rec.recorded[r].reserve(probes[r].steps_in(steps) * (only ? (*only)[r].size() : probes[r].width(net)));
}

}  // namespace gust
