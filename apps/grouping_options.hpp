#pragma once
// The options of every command that reads grouping out (analyze, evaluate,
// compare-models, select, fit-context, learning-curve): one name, one
// default and one help text each, turned into the library's values here.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/model_grouping.hpp"
#include "apps/cli_common.hpp"

namespace gust::cli {

// A Victor-Purpura cost: a decimal ("0.333") or a fraction ("1/3"), finite and >= 0.
double parse_cost(const std::string& text, const std::string& option);

// Comma-separated values ("2,3,4"); throws input_error naming the option.
std::vector<std::size_t> parse_count_list(const std::string& text, const std::string& option);
std::vector<double> parse_number_list(const std::string& text, const std::string& option);

// --q, --syn-q, --restarts and the k-medoids seed (named `seed_option`).
struct readout_flags {
    std::string q = "3", syn_q = "1/3";
    std::uint64_t seed = 1;
    int restarts = 1;
    void add(po::options_description& desc, const char* seed_option);
    analysis::readout_options options() const;
};

// The whole protocol: the read-out above plus --cycles, --seed (simulation
// draws) and --threads.
struct protocol_flags {
    readout_flags readout;
    int cycles = 30, threads = 0;
    std::uint64_t seed = 11;
    void add(po::options_description& desc);
    analysis::grouping_protocol protocol() const;
};

// Fresh test images: --shapes, --images, --data-seed.
struct test_image_flags {
    std::string shapes;
    std::size_t images = 200;
    std::uint64_t data_seed = 7;
    void add(po::options_description& desc, const char* default_shapes);
    std::vector<std::size_t> shape_counts() const;
};

// A run's validation images: the last --val-fraction of a data set's
// train_multi split (gust train's split), at most --val-images of them.
struct validation_flags {
    std::string data;
    double val_fraction = 0.1;
    std::size_t val_images = 1000;
    void add(po::options_description& desc);
    image_set load() const;
    // "images A..B of DATA's train_multi", for the report of a choice.
    static std::string describe(const image_set& images, const std::string& data);
};

}  // namespace gust::cli
