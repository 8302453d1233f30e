// gust dataset: a shapes data set in the reference generator's layout.
#include <chrono>
#include <iostream>

#include "apps/cli_common.hpp"
#include "apps/option_values.hpp"
#include "apps/commands.hpp"
#include "io/dataset_file.hpp"

namespace gust::cli {

int cmd_dataset(const args& a) {
    po::options_description desc("gust dataset options");
    shapes_dataset_spec s;
    desc.add_options()
        ("train-objects", in_range<std::size_t>(&s.n_train, 1, 1000)->required(), "shapes per training image")
        ("test-objects", in_range<std::size_t>(&s.n_test, 1, 1000)->required(), "shapes per test image")
        ("out", po::value<std::string>()->required(), "data set file to write (HDF5)")
        ("seed", at_least<std::uint64_t>(&s.seed, 0)->default_value(0), "random seed")
        ("train-size", in_range<std::size_t>(&s.train_size, 1, max_images)->default_value(20000), "images in each train split")
        ("test-size", in_range<std::size_t>(&s.test_size, 1, max_images)->default_value(10000), "images in the test split")
        ("height", in_range<std::size_t>(&s.height, 1, 4096)->default_value(28), "image height")
        ("width", in_range<std::size_t>(&s.width, 1, 4096)->default_value(28), "image width");
    po::variables_map vm;
    if (!parse("dataset", "--train-objects N --test-objects M --out FILE [options]", desc, a, vm)) return exit_ok;
    validate(s);
    const std::string out = vm["out"].as<std::string>();
    const auto t0 = std::chrono::steady_clock::now();
    write_shapes_dataset(out, s);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "wrote " << out << ": " << 5 * s.train_size + s.test_size << " images of " << s.height << "x"
              << s.width << " (" << s.n_train << " shapes in training, " << s.n_test << " in test) in " << secs
              << " s\n";
    return exit_ok;
}

}  // namespace gust::cli
