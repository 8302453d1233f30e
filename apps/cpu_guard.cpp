// Before anything else of gust runs, even other files' static objects: a
// CPU without the extensions the build assumed ends the program with one
// line and exit status 2 (core/cpu_features.hpp), not with an illegal
// instruction. Compiled for the baseline x86-64, as the check is.
#include "core/cpu_features.hpp"

namespace {

// Priority 101, the first a program may use: constructors of lower number
// run first, and the default ones of every other file after all of these.
[[gnu::constructor(101)]] void require_cpu() {
    gust::require_cpu_features(gust::build_cpu_features, gust::this_cpu());
}

}  // namespace
