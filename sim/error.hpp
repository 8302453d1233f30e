#pragma once
// One error type for everything a user can get wrong: a missing or malformed
// file, inconsistent shapes, NaN weights, a bad option. The message names the
// file or option; the CLI prints it on one line and exits with status 2.
#include <stdexcept>
#include <string>

namespace gust {

struct input_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace gust
