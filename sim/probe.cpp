#include "sim/probe.hpp"

#include "core/machine_memory.hpp"

namespace gust {

void validate(const probe& p, const network& net) {
    if (p.population >= net.populations.size())
        throw input_error("record", "population " + std::to_string(p.population) + " does not exist");
    const auto& pop = net.populations[p.population];
    if (p.var == probe::variable::refractory && !net.is_spiking(p.population))
        throw input_error("record", "'" + pop.name + "' has no refractory counters (only spiking populations have)");
    for (std::size_t j = 0; j < p.units.size(); ++j) {
        if (p.units[j] >= pop.size)
            throw input_error("record", "'" + pop.name + "' has " + std::to_string(pop.size) + " units; unit " +
                                            std::to_string(p.units[j]) + " does not exist");
        if (j > 0 && p.units[j] <= p.units[j - 1])
            throw input_error("record", "'" + pop.name + "': units must be ascending and distinct");
    }
    if (p.first_step < 0) throw input_error("record", "'" + pop.name + "': the first step must not be negative");
    if (p.stride < 1) throw input_error("record", "'" + pop.name + "': the step stride must be at least 1");
    if (p.end_step >= 0 && p.end_step <= p.first_step)
        throw input_error("record", "'" + pop.name + "': the steps select nothing");
}

double recording_bytes(const std::vector<probe>& probes, const network& net, std::int64_t steps, std::size_t images) {
    double values = 0;
    for (const probe& p : probes) values += double(p.steps_in(steps)) * double(p.width(net));
    return 4.0 * values * double(images);
}

void require_recording_fits(const std::vector<probe>& probes, const network& net, std::int64_t steps,
                            std::size_t images) {
    const double need = recording_bytes(probes, net, steps, images);
    const memory_limit limit = process_memory_limit();
    if (need > limit.bytes)
        throw input_error("record", "recording " + std::to_string(images) + " images of " + std::to_string(steps) +
                                        " steps holds " + whole_gib(need) + " GiB until the report is written, more than " +
                                        limit.described() + "; record fewer units, steps (@FIRST:END:STRIDE) or images");
}

}  // namespace gust
