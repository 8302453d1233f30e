#pragma once
// One error type for everything a user can get wrong: a missing or malformed
// file, inconsistent shapes, NaN weights, a bad value. The message names the
// file or the value; the CLI prints it on one line and exits with status 2.
// An error about one named value of a configuration carries that name
// (`field`, as the library spells it, e.g. "min_cycles"), so that each front
// end can name it its own way: the CLI as the option --min-cycles.
#include <stdexcept>
#include <string>

namespace gust {

struct input_error : std::runtime_error {
    explicit input_error(const std::string& what) : std::runtime_error(what) {}
    // what() reads "field: detail".
    input_error(const std::string& field, const std::string& detail)
        : std::runtime_error(field + ": " + detail), field_(field), detail_(detail) {}

    const std::string& field() const { return field_; }
    const std::string& detail() const { return detail_; }

private:
    std::string field_, detail_;
};

// A file that does not exist: input like any other for the CLI; the Python
// module raises it as FileNotFoundError too.
struct missing_file_error : input_error {
    using input_error::input_error;
};

}  // namespace gust
