#pragma once
// Network descriptions as TOML files (docs/network.md): parsed with toml++
// into a validated network_description, and written back in one canonical
// form (the text a model file stores). Every refusal is an input_error
// naming the file and the line: `net.toml:12: population 'enc1': ...`.
#include <string>
#include <string_view>

#include "sim/network_description.hpp"

namespace gust {

// Reads and validates a description file (a regular file, at most 1 MiB).
network_description read_network_description(const std::string& path);

// The same from text; `origin` names it in messages.
network_description parse_network_description(std::string_view text, const std::string& origin);

// The canonical TOML text of d: every key written, in the documented order,
// so that parsing it gives d back.
std::string format_network_description(const network_description& d);

}  // namespace gust
