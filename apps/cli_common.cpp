#include "apps/cli_common.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/error.hpp"

namespace gust::cli {

bool parse(const std::string& command, const std::string& usage, po::options_description& desc,
           const std::vector<std::string>& args, po::variables_map& vm) {
    desc.add_options()("config", po::value<std::string>(),
                       "read options from an INI file (key = value; command line wins)")(
        "help,h", "show this help");
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
        std::cout << "usage: gust " << command << " " << usage << "\n\n" << desc << "\n";
        return false;
    }
    if (vm.count("config")) {
        const std::string path = vm["config"].as<std::string>();
        std::ifstream in(path);
        if (!in) throw input_error("--config " + path + ": cannot open file");
        try {
            po::store(po::parse_config_file(in, desc), vm);
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
