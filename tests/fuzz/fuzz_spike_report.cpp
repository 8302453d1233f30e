// Fuzzes the SONATA spike-report reader (docs/formats.md "Spike reports").
#include "fuzz_input.hpp"
#include "io/spike_report.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        gust::read_spike_report(gust::fuzz::as_file(data, size, ".h5"));
    } catch (const gust::input_error&) {
    }
    return 0;
}
