// Fuzzes the model-file reader (docs/formats.md "Model files").
#include "fuzz_input.hpp"
#include "io/model_file.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        gust::read_model(gust::fuzz::as_file(data, size, ".h5"));
    } catch (const gust::input_error&) {
    }
    return 0;
}
