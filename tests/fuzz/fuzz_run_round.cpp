// Fuzzes the reader of a `gust run` round file (docs/formats.md, "Rounds of an
// interrupted run"), which `--resume` reads from REPORT.partial/. The seed
// (corpus/run_round/two_images.h5) is round 0 of a run named "fuzz" of two
// images, with spikes and one recorded state of 6 values each, the shape
// given here, so that the fuzzer starts past the check of the run's name.
#include "core/error.hpp"
#include "fuzz_input.hpp"
#include "io/run_checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const gust::record_shape shape{10, 50, {6}};
    try {
        gust::read_run_round(gust::fuzz::as_file(data, size, ".h5"), "fuzz", 0, 2, shape);
    } catch (const gust::input_error&) {
    }
    return 0;
}
