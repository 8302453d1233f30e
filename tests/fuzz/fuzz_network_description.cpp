// Fuzzes the network-description parser (docs/network.md): any text is either
// a valid description, whose canonical form parses back to itself, or one
// input_error; never a crash, a hang or an internal error.
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "fuzz_input.hpp"
#include "io/network_toml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const gust::network_description d = gust::parse_network_description(text, "fuzz.toml");
        const std::string canonical = gust::format_network_description(d);
        if (gust::format_network_description(gust::parse_network_description(canonical, "canonical")) != canonical)
            std::abort();  // the canonical form must round-trip
    } catch (const gust::input_error&) {
    }
    return 0;
}
