#include "sim/probe.hpp"

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

}  // namespace gust
