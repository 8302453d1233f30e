#pragma once
// What a run records besides its spikes (sim_options::record): one variable
// of chosen units of one population at chosen steps, as NEST's multimeter or
// Arbor's probes do. Variables: a population's output (a graded layer's
// value; for the spiking population its spikes as 0/1; the context
// population's output is the context each pixel sees), or the spiking
// population's refractory counters (after the step's update). A probe costs
// nothing at steps it does not record, and what it keeps is its units x its
// steps; both backends record the same bits.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sim/network.hpp"

namespace gust {

struct probe {
    enum class variable { output, refractory };

    std::size_t population = 0;
    variable var = variable::output;
    std::vector<std::uint32_t> units;  // ascending, distinct; empty: every unit
    std::int64_t first_step = 0;       // records first_step, first_step + stride, ...
    std::int64_t end_step = -1;        // ... below end_step (-1: to the end of the run)
    std::int64_t stride = 1;

    probe() = default;
    // Every unit's output at every step: `opt.record = {p, q}`.
    probe(std::size_t p) : population(p) {}  // NOLINT: implicit on purpose

    bool records_step(std::int64_t k) const {
        return k >= first_step && (end_step < 0 || k < end_step) && (k - first_step) % stride == 0;
    }
    std::size_t width(const network& net) const { return units.empty() ? net.populations[population].size : units.size(); }
    // The step recording stops before, in a run of `steps` steps.
    std::int64_t end_in(std::int64_t steps) const { return end_step < 0 || end_step > steps ? steps : end_step; }
    // Steps recorded in a run of `steps` steps.
    std::size_t steps_in(std::int64_t steps) const {
        const std::int64_t end = end_in(steps);
        return end <= first_step ? 0 : static_cast<std::size_t>((end - 1 - first_step) / stride + 1);
    }
};

// Throws input_error (field "record") unless p fits net: an existing
// population, refractory counters only of the spiking population, units in
// range, ascending and distinct, steps first >= 0, stride >= 1.
void validate(const probe& p, const network& net);

// The bytes the records of `probes` take over `images` images of `steps`
// steps, 4 a value: a run holds them all until it writes them.
double recording_bytes(const std::vector<probe>& probes, const network& net, std::int64_t steps, std::size_t images);

// Throws input_error (field "record") when recording_bytes exceeds this
// machine's memory: refused before the run, not killed in the middle of it.
void require_recording_fits(const std::vector<probe>& probes, const network& net, std::int64_t steps,
                            std::size_t images);

}  // namespace gust
