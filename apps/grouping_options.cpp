#include "apps/grouping_options.hpp"

#include "apps/option_values.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"

namespace gust::cli {

namespace {

template <class T>
bool parse_exact(const std::string& s, T& v) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const auto comma = text.find(',', start);
        parts.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos) return parts;
        start = comma + 1;
    }
}

}  // namespace

double parse_cost(const std::string& text, const std::string& option) {
    const auto bad = [&] {
        return input_error("--" + option + " " + text + ": expected a number >= 0 such as 3, 0.5 or 1/3");
    };
    const auto number = [&](const std::string& s) {
        double v = 0.0;
        if (!parse_exact(s, v)) throw bad();
        return v;
    };
    const auto slash = text.find('/');
    const double v = slash == std::string::npos ? number(text)
                                                : number(text.substr(0, slash)) / number(text.substr(slash + 1));
    if (!std::isfinite(v) || v < 0.0) throw bad();
    return v;
}

std::vector<std::size_t> parse_count_list(const std::string& text, const std::string& option) {
    std::vector<std::size_t> out;
    for (const auto& part : split_commas(text)) {
        std::size_t v = 0;
        if (!parse_exact(part, v) || v == 0 || v > 1000)
            throw input_error("--" + option + " " + text + ": expected whole numbers from 1 to 1000, comma-separated");
        out.push_back(v);
    }
    return out;
}

std::vector<double> parse_number_list(const std::string& text, const std::string& option) {
    std::vector<double> out;
    for (const auto& part : split_commas(text)) {
        double v = 0;
        if (!parse_exact(part, v) || !std::isfinite(v))
            throw input_error("--" + option + " " + text + ": expected finite numbers, comma-separated");
        out.push_back(v);
    }
    return out;
}

void readout_flags::add(po::options_description& desc, const char* seed_option) {
    desc.add_options()
        ("q", po::value<std::string>(&q)->default_value(q), "Victor-Purpura cost of the clustering")
        ("syn-q", po::value<std::string>(&syn_q)->default_value(syn_q), "Victor-Purpura cost of SynScore (decimal or fraction)")
        (seed_option, at_least<std::uint64_t>(&seed, 0)->default_value(seed), "k-medoids++ seed")
        ("restarts", in_range<int>(&restarts, 1, 1000)->default_value(restarts),
         "k-medoids++ seedings per cycle; the clustering with the lowest total distance is kept (1 = the reference's protocol)");
}

analysis::readout_options readout_flags::options() const {
    analysis::readout_options o;
    o.q = parse_cost(q, "q");
    o.syn_q = parse_cost(syn_q, "syn-q");
    o.seed = seed;
    o.restarts = restarts;
    return o;
}

void protocol_flags::add(po::options_description& desc) {
    desc.add_options()
        ("cycles", in_range<int>(&cycles, 1, max_cycles)->default_value(cycles), "cycles simulated per image; the last is read out")
        ("seed", at_least<std::uint64_t>(&seed, 0)->default_value(seed), "simulation seed (membrane noise and release draws)")
        ("threads", in_range<int>(&threads, 0, max_threads)->default_value(threads), "worker threads (0 = all cores); results never depend on it");
    readout.add(desc, "kmedoids-seed");
}

analysis::grouping_protocol protocol_flags::protocol() const {
    analysis::grouping_protocol p;
    p.cycles = cycles;
    p.seed = seed;
    p.threads = threads;
    p.readout = readout.options();
    return p;
}

void test_image_flags::add(po::options_description& desc, const char* default_shapes) {
    shapes = default_shapes;
    desc.add_options()
        ("shapes", po::value<std::string>(&shapes)->default_value(shapes), "shapes per test image, one evaluation each (e.g. 2,3,4)")
        ("images", in_range<std::size_t>(&images, 1, 1000000)->default_value(images), "fresh test images per shape count")
        ("data-seed", at_least<std::uint64_t>(&data_seed, 0)->default_value(data_seed),
         "seed of the test images (as gust dataset --seed; choose one no earlier choice has seen)");
}

std::vector<std::size_t> test_image_flags::shape_counts() const {
    return parse_count_list(shapes, "shapes");
}

void validation_flags::add(po::options_description& desc) {
    desc.add_options()
        ("data", po::value<std::string>(&data)->required(), "the training run's data set; its train_multi split holds the validation images")
        ("val-fraction", in_interval<double>(&val_fraction, 0, 1, true, true)->default_value(val_fraction),
         "the last fraction of train_multi that validates (as gust train --val-fraction)")
        ("val-images", in_range<std::size_t>(&val_images, 1, 1000000)->default_value(val_images),
         "read out at most this many validation images (the first ones of the validation part)");
}

std::string validation_flags::describe(const image_set& images, const std::string& data) {
    return "images " + std::to_string(images.indices.front()) + ".." + std::to_string(images.indices.back()) + " of " +
           data + "'s train_multi";
}

image_set validation_flags::load() const {
    const std::size_t total = split_size(data, "train_multi");
    const std::size_t n_val = static_cast<std::size_t>(std::floor(static_cast<double>(total) * val_fraction));
    if (n_val == 0)
        throw input_error("--data " + data + ": train_multi holds " + std::to_string(total) +
                          " images, so --val-fraction leaves none to validate");
    const std::size_t first = total - n_val, count = std::min(n_val, val_images);
    image_set set = read_split(data, "train_multi", first, count);
    if (set.labels.empty()) throw input_error("--data " + data + ": train_multi has no 'groups' (label) dataset");
    return set;
}

}  // namespace gust::cli
