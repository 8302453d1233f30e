// Fuzzes option parsing: the bytes are an INI file given with --config to a
// command line of gust run's numeric and text options. Refusals are
// input_error or program_options errors, as gust's main reports them.
#include <boost/program_options.hpp>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "fuzz_input.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace po = boost::program_options;
    using namespace gust::cli;
    const std::string& path = gust::fuzz::as_file(data, size, ".ini");
    std::string model, images;
    int cycles = 30, threads = 0;
    double keep = 0.35;
    std::size_t partitions = 1;
    std::uint64_t seed = 1;
    po::options_description desc("fuzz");
    desc.add_options()("model", po::value<std::string>(&model))("images", po::value<std::string>(&images))(
        "cycles", in_range<int>(&cycles, 1, max_cycles)->default_value(30))(
        "threads", in_range<int>(&threads, 0, max_threads)->default_value(0))(
        "keep-prob", in_interval<double>(&keep, 0, 1, true, false)->default_value(0.35))(
        "partitions", in_range<std::size_t>(&partitions, 1, 65536)->default_value(1))(
        "seed", at_least<std::uint64_t>(&seed, 0)->default_value(1));
    po::variables_map vm;
    try {
        parse("run", "", desc, {"--config", path, "--cycles", "3"}, vm);
        if (!images.empty()) parse_range(images, 100, "--images");
    } catch (const gust::input_error&) {
    } catch (const po::error&) {
    }
    return 0;
}
