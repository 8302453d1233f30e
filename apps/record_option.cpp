#include "apps/record_option.hpp"

#include <charconv>

#include "core/error.hpp"

namespace gust::cli {

namespace {

[[noreturn]] void refuse(const std::string& spec, const std::string& why) {
    throw input_error("--record " + spec + ": " + why);
}

std::int64_t whole(const std::string& spec, const std::string& text, const char* what) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < 0)
        refuse(spec, std::string(what) + " '" + text + "' is not a whole number >= 0");
    return v;
}

}  // namespace

probe parse_record_option(const std::string& spec, const network_description& d) {
    probe p;
    std::string rest = spec, steps, units;
    if (const auto at = rest.find('@'); at != std::string::npos) {
        steps = rest.substr(at + 1);
        rest.resize(at);
        if (steps.empty()) refuse(spec, "'@' needs FIRST:END[:STRIDE]");
    }
    if (const auto colon = rest.find(':'); colon != std::string::npos) {
        units = rest.substr(colon + 1);
        rest.resize(colon);
        if (units.empty()) refuse(spec, "':' needs units (e.g. 0-99,200)");
    }
    if (rest.size() > 11 && rest.compare(rest.size() - 11, 11, ".refractory") == 0) {
        p.var = probe::variable::refractory;
        rest.resize(rest.size() - 11);
    }
    p.population = d.population_index(rest);
    if (p.population == std::string::npos) {
        std::string names;
        for (const auto& q : d.populations) names += (names.empty() ? "" : ", ") + q.name;
        refuse(spec, "no population '" + rest + "' (the network has " + names + ")");
    }
    for (std::size_t pos = 0; pos < units.size();) {
        const std::size_t comma = std::min(units.find(',', pos), units.size());
        const std::string item = units.substr(pos, comma - pos);
        const auto dash = item.find('-');
        const std::int64_t lo = whole(spec, item.substr(0, dash), "unit");
        const std::int64_t hi = dash == std::string::npos ? lo : whole(spec, item.substr(dash + 1), "unit");
        if (hi < lo) refuse(spec, "range " + item + " runs backwards");
        if (hi >= static_cast<std::int64_t>(d.populations[p.population].size))
            refuse(spec, "'" + rest + "' has " + std::to_string(d.populations[p.population].size) + " units");
        for (std::int64_t u = lo; u <= hi; ++u) {
            if (!p.units.empty() && u <= p.units.back()) refuse(spec, "units must be ascending and distinct");
            p.units.push_back(static_cast<std::uint32_t>(u));
        }
        pos = comma + 1;
    }
    if (!steps.empty()) {
        const auto c1 = steps.find(':');
        if (c1 == std::string::npos) refuse(spec, "steps are FIRST:END[:STRIDE]");
        const auto c2 = steps.find(':', c1 + 1);
        const std::string first = steps.substr(0, c1),
                          end = steps.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1),
                          stride = c2 == std::string::npos ? "" : steps.substr(c2 + 1);
        p.first_step = first.empty() ? 0 : whole(spec, first, "step");
        p.end_step = end.empty() ? -1 : whole(spec, end, "step");
        p.stride = stride.empty() ? 1 : whole(spec, stride, "stride");
        if (p.stride < 1) refuse(spec, "the stride must be at least 1");
        if (p.end_step >= 0 && p.end_step <= p.first_step) refuse(spec, "the steps select nothing");
    }
    if (p.var == probe::variable::refractory && d.populations[p.population].type != population::kind::spiking)
        refuse(spec, "'" + rest + "' has no refractory counters (only the spiking population has)");
    return p;
}

}  // namespace gust::cli
