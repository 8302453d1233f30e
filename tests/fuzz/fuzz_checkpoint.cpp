// Fuzzes the training checkpoint reader (docs/learning.md).
#include "fuzz_input.hpp"
#include "learning/checkpoint.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        gust::learning::train_config c;
        gust::learning::training_state s;
        gust::learning::read_checkpoint(gust::fuzz::as_file(data, size, ".h5"), c, s);
    } catch (const gust::input_error&) {
    }
    return 0;
}
