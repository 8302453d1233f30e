// Fuzzes the data-set reader (docs/formats.md "Shape data sets"): every split
// listed, its size, and its first images.
#include <algorithm>

#include "fuzz_input.hpp"
#include "io/dataset_file.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = gust::fuzz::as_file(data, size, ".h5");
    try {
        for (const auto& split : gust::split_names(path)) {
            try {
                const std::size_t n = gust::split_size(path, split);
                gust::read_split(path, split, 0, std::min<std::size_t>(n, 3));
            } catch (const gust::input_error&) {
            }
        }
    } catch (const gust::input_error&) {
    }
    return 0;
}
