#include "sim/network_description.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/grid_layout.hpp"

namespace gust {

std::size_t network_description::population_index(const std::string& name) const {
    for (std::size_t i = 0; i < populations.size(); ++i)
        if (populations[i].name == name) return i;
    return std::string::npos;
}

std::size_t network_description::weight_set_owner(const std::string& name) const {
    for (std::size_t j = 0; j < projections.size(); ++j)
        if (projections[j].owns_weights() && projections[j].name == name) return j;
    return std::string::npos;
}

namespace {

std::string at(const std::string& origin, int line) {
    return line > 0 ? origin + ":" + std::to_string(line) + ": " : origin + ": ";
}

// Every population must be computable at each step from earlier steps and
// from populations computed before it: a loop of zero-delay projections (the
// spiking population reads its context at delay 0 too) has no start.
template <class Fail>
void check_delay_loops(const network_description& d, Fail&& fail) {
    const std::size_t n = d.populations.size();
    std::vector<std::vector<std::size_t>> out(n);
    std::vector<int> indeg(n, 0);
    auto edge = [&](std::size_t a, std::size_t b) {
        out[a].push_back(b);
        ++indeg[b];
    };
    for (const auto& pr : d.projections)
        if (pr.delay == 0) edge(d.population_index(pr.source), d.population_index(pr.target));
    for (std::size_t i = 0; i < n; ++i)
        if (d.populations[i].type == population::kind::spiking) edge(d.population_index(d.populations[i].context), i);
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < n; ++i)
        if (indeg[i] == 0) ready.push_back(i);
    while (!ready.empty()) {
        const std::size_t v = ready.back();
        ready.pop_back();
        for (std::size_t w : out[v])
            if (--indeg[w] == 0) ready.push_back(w);
    }
    std::string loop;
    for (std::size_t i = 0; i < n; ++i)
        if (indeg[i] > 0) loop += (loop.empty() ? "" : ", ") + d.populations[i].name;
    if (loop.empty()) return;
    // Name a projection of the loop: one with no delay between two populations left unordered.
    for (const auto& pr : d.projections) {
        const std::size_t a = d.population_index(pr.source), b = d.population_index(pr.target);
        if (pr.delay == 0 && indeg[a] > 0 && indeg[b] > 0)
            fail(pr.line, "projection " + pr.source + " -> " + pr.target +
                              ": key 'delay' = 0 closes a loop of projections with no delay (through " + loop +
                              "); give one of them a delay >= 1");
    }
    fail(0, "no order computes populations " + loop +
                ": they form (or depend on) a loop of projections with no delay; give one a delay >= 1");
}

// Names become HDF5 paths (/<weight set>/weight) and TOML strings: letters,
// digits, '_', '.', '-', and for weight sets '/' between non-empty parts.
bool plain_name(const std::string& s, bool slashes) {
    if (s.empty() || s.size() > 200 || s.front() == '/' || s.back() == '/' || s == "." || s == "..") return false;
    char prev = 0;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '.' || c == '-' || (slashes && c == '/' && prev != '/');
        if (!ok) return false;
        prev = c;
    }
    return true;
}

}  // namespace

void validate(const network_description& d, const std::string& origin) {
    auto fail = [&](int line, const std::string& what) { throw input_error(at(origin, line) + what); };
    if (d.height == 0 || d.width == 0) fail(0, "image height and width must be positive");
    if (d.cycle < 1) fail(0, "cycle must be at least 1");
    if (d.populations.empty()) fail(0, "no population is defined");

    std::set<std::string> names;
    std::size_t spiking = 0;
    for (const auto& p : d.populations) {
        if (!plain_name(p.name, false))
            fail(p.line, "population name '" + p.name + "' must be 1-200 letters, digits, '_', '.' or '-'");
        if (!names.insert(p.name).second) fail(p.line, "population '" + p.name + "' is defined twice");
        if (p.size == 0) fail(p.line, "population '" + p.name + "': size must be positive");
        if (p.type == population::kind::spiking) {
            ++spiking;
            if (p.size != d.pixels())
                fail(p.line, "population '" + p.name + "': a spiking population has one neuron per pixel (" +
                                 std::to_string(d.pixels()) + "), not " + std::to_string(p.size));
            if (!(p.theta == p.theta) || p.refractory < 1)
                fail(p.line, "population '" + p.name + "': theta must be a number and refractory at least 1");
        }
    }
    if (spiking == 0) fail(0, "no spiking population (one the image drives) is defined");
    std::set<std::string> contexts;
    for (const auto& p : d.populations) {
        if (p.type != population::kind::spiking) continue;
        const std::size_t c = d.population_index(p.context);
        if (c == std::string::npos)
            fail(p.line, "population '" + p.name + "': context '" + p.context + "' is not a population");
        const auto& ctx = d.populations[c];
        if (ctx.type != population::kind::graded || ctx.size != p.size)
            fail(p.line, "population '" + p.name + "': context '" + p.context +
                             "' must be a graded population of the same size");
        if (!contexts.insert(p.context).second)
            fail(p.line, "population '" + p.name + "': context '" + p.context +
                             "' is already another spiking population's context");
    }
    if (d.population_index(d.readout) == std::string::npos)
        fail(0, "readout '" + d.readout + "' is not a population");
    if (d.populations[d.population_index(d.readout)].type != population::kind::spiking)
        fail(0, "readout '" + d.readout + "' must be a spiking population");

    std::set<std::string> weight_sets;
    std::vector<bool> fed(d.populations.size(), false);
    for (const auto& pr : d.projections) {
        const std::string self = "projection " + pr.source + " -> " + pr.target;
        const std::size_t s = d.population_index(pr.source), t = d.population_index(pr.target);
        if (s == std::string::npos) fail(pr.line, self + ": source '" + pr.source + "' is not a population");
        if (t == std::string::npos) fail(pr.line, self + ": target '" + pr.target + "' is not a population");
        if (d.populations[t].type != population::kind::graded)
            fail(pr.line, self + ": only graded populations take projections (the spiking one reads its context)");
        fed[t] = true;
        if (pr.delay < 0) fail(pr.line, self + ": delay must be at least 0");
        if (!(pr.release_p >= 0.0f && pr.release_p <= 1.0f)) fail(pr.line, self + ": release_p must be in [0, 1]");
        if (pr.owns_weights()) {
            if (!plain_name(pr.name, true))
                fail(pr.line, self + ": name '" + pr.name +
                                  "' must be 1-200 letters, digits, '_', '.', '-', with '/' between parts");
            if (!weight_sets.insert(pr.name).second) fail(pr.line, self + ": weight set '" + pr.name + "' is defined twice");
            if (!(pr.gain == pr.gain) || pr.gain < 0.0f) fail(pr.line, self + ": gain must be a number >= 0");
            const std::size_t in = d.populations[s].size;
            if (pr.conn != connectivity::dense && pr.fan_in == 0)
                fail(pr.line, self + ": a random or local projection needs fan_in >= 1");
            if (pr.draw == synapse_draw::independent && pr.conn != connectivity::local)
                fail(pr.line, self + ": key 'draw' = \"independent\" applies to local projections only");
            if (pr.procedural && pr.draw != synapse_draw::independent)
                fail(pr.line, self + ": key 'procedural' = true needs draw = \"independent\" (a fixed draw cannot be "
                                     "regenerated source by source)");
            if (pr.conn == connectivity::local) {
                if (pr.radius == 0) fail(pr.line, self + ": a local projection needs radius >= 1");
                const grid_layout g(in, double(d.width) / double(d.height));
                if (pr.radius >= std::max(g.rows, g.cols))
                    fail(pr.line, self + ": radius " + std::to_string(pr.radius) + " covers the whole source grid (" +
                                      std::to_string(g.rows) + "x" + std::to_string(g.cols) +
                                      "); use connectivity = \"random\"");
            }
        } else {
            const std::size_t o = d.weight_set_owner(pr.shares);
            if (o == std::string::npos) fail(pr.line, self + ": shares '" + pr.shares + "', which is no weight set");
            if (d.projections[o].source != pr.source || d.projections[o].target != pr.target)
                fail(pr.line, self + ": shares '" + pr.shares + "', which connects other populations");
        }
    }
    for (std::size_t i = 0; i < d.populations.size(); ++i)
        if (d.populations[i].type == population::kind::graded && !fed[i])
            fail(d.populations[i].line, "population '" + d.populations[i].name + "' receives no projection");
    check_delay_loops(d, fail);
}

}  // namespace gust
