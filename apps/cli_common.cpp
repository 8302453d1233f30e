#include "apps/cli_common.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "core/error.hpp"

namespace gust::cli {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// The known option closest to a mistyped one, if any is close: within a
// third of its length in edits, or the only one it is a prefix of.
std::string nearest_option(const po::options_description& desc, std::string typed) {
    while (!typed.empty() && typed.front() == '-') typed.erase(0, 1);
    typed = typed.substr(0, typed.find('='));
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, typed.size() / 3) + 1;
    for (const auto& o : desc.options()) {
        const std::string& name = o->long_name();
        const std::size_t d = name.rfind(typed, 0) == 0 && !typed.empty() ? 1 : edit_distance(typed, name);
        if (d < best_d) best_d = d, best = name;
    }
    return best;
}

// Every key and section of an INI file must look like an option name before
// the file reaches Boost, whose error messages substitute '%...%'
// placeholders in what they quote and never finish on text that holds one.
bool option_name(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
}

void check_config_keys(std::istream& in, const std::string& path) {
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
        const auto first = line.find_first_not_of(" \t\r");
        // Only '#' starts a comment for Boost's reader: a line starting with ';' is a key line to it.
        if (first == std::string::npos || line[first] == '#') continue;
        if (line[first] == '[') {
            std::string section = line.substr(first);
            section.erase(section.find_last_not_of(" \t\r") + 1);
            if (section.size() < 3 || section.back() != ']' || !option_name(section.substr(1, section.size() - 2)))
                throw input_error("--config " + path + ": line " + std::to_string(n) + " is not a section '[name]'");
            continue;
        }
        const auto eq = line.find('=');
        std::string key = line.substr(first, eq == std::string::npos ? std::string::npos : eq - first);
        key.erase(key.find_last_not_of(" \t\r") + 1);
        if (!option_name(key) || eq == std::string::npos)
            throw input_error("--config " + path + ": line " + std::to_string(n) +
                              " is not 'key = value' with an option name as key");
    }
}

}  // namespace

bool parse(const std::string& command, const std::string& usage, po::options_description& desc,
           const std::vector<std::string>& args, po::variables_map& vm) {
    desc.add_options()("config", po::value<std::string>(),
                       "read options from an INI file (key = value; command line wins)")(
        "help,h", "show this help");
    // Boost substitutes placeholders such as %canonical_option% into its
    // messages until none is left, so an option name holding one would make
    // its message never end: such a name is refused here, in gust's words.
    for (const std::string& a : args)
        if (a.size() > 1 && a[0] == '-' && a.substr(0, a.find('=')).find('%') != std::string::npos) {
            std::string shown = a.substr(0, a.find('='));
            std::replace(shown.begin(), shown.end(), '%', '?');
            throw input_error("unrecognised option '" + shown + "' (gust " + command + " --help lists the options)");
        }
    try {
        po::store(po::command_line_parser(args).options(desc).run(), vm);
    } catch (const po::unknown_option& e) {
        const std::string near = nearest_option(desc, e.get_option_name());
        throw input_error(std::string(e.what()) + (near.empty() ? " (gust " + command + " --help lists the options)"
                                                                 : " (did you mean --" + near + "?)"));
    }
    if (vm.count("help")) {
        std::cout << "usage: gust " << command << " " << usage << "\n\n" << desc << "\n";
        return false;
    }
    if (vm.count("config")) {
        const std::string path = vm["config"].as<std::string>();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            throw input_error("--config " + path + ": " +
                              (std::filesystem::exists(path, ec) ? "not a regular file" : "no such file"));
        std::ifstream in(path);
        if (!in) throw input_error("--config " + path + ": cannot open file");
        check_config_keys(in, path);
        in.clear();
        in.seekg(0);
        try {
            const po::parsed_options parsed = po::parse_config_file(in, desc);
            std::map<std::string, int> seen;
            for (const auto& o : parsed.options)
                if (++seen[o.string_key] == 2)
                    throw input_error("--config " + path + ": '" + o.string_key +
                                      "' is given twice; give each key once");
            // Every value of the file is checked, also those the command line overrides.
            po::variables_map whole_file;
            po::store(parsed, whole_file);
            po::store(parsed, vm);
        } catch (const po::error& e) {
            throw input_error("--config " + path + ": " + e.what());
        }
    }
    po::notify(vm);
    return true;
}

namespace {
bool parse_size(const std::string& s, std::size_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

index_range parse_range(const std::string& text, std::size_t size, const std::string& option) {
    index_range r;
    const auto bad = [&](const std::string& why) {
        throw input_error(option + " " + text + ": " + why);
    };
    if (text == "all") return {0, size};
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        if (!parse_size(text, r.first)) bad("expected A:B (images A..B-1), A: or A");
        r.last = r.first + 1;
    } else {
        const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
        if (!(a.empty() ? (r.first = 0, true) : parse_size(a, r.first))) bad("expected A:B with integers");
        if (b.empty()) r.last = size;
        else if (!parse_size(b, r.last)) bad("expected A:B with integers");
    }
    if (r.last <= r.first) bad("empty range");
    if (r.last > size) bad("out of bounds: the split holds " + std::to_string(size) + " images");
    return r;
}

void require_distinct_output(const std::string& out, const std::vector<std::string>& inputs) {
    std::error_code ec;
    for (const auto& in : inputs)
        if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(out, in, ec))
            throw input_error("--out " + out + ": is one of the input files; choose another name");
}

void require_positive(const po::variables_map& vm, const std::string& option) {
    if (!vm.count(option)) return;
    const auto& v = vm[option].value();
    bool ok = true;
    if (auto p = boost::any_cast<int>(&v)) ok = *p > 0;
    else if (auto q = boost::any_cast<std::size_t>(&v)) ok = *q > 0;
    else if (auto d = boost::any_cast<double>(&v)) ok = *d > 0;
    if (!ok) throw input_error("--" + option + " must be positive");
}

void require_nonnegative(const po::variables_map& vm, const std::string& option) {
    if (!vm.count(option)) return;
    const auto& v = vm[option].value();
    if (auto p = boost::any_cast<int>(&v); p && *p < 0)
        throw input_error("--" + option + " must not be negative");
}

}  // namespace gust::cli
