#pragma once
// What the benchmark programs share: a wall clock and the model they time.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/freed_memory.hpp"
#include "io/h5.hpp"
#include "io/model_file.hpp"
#include "sim/model.hpp"

namespace gust::bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// "" gives a fresh paper model (seed 1); FILE a model file; FILE:/group the
// weights stored under a group (e.g. the trained weights of
// tests/fixtures/golden/reference_trace_trained_B2_IT8.h5:/weights).
inline gust_model load_model(const std::string& spec) {
    gust_model model = init_model({}, 1);
    if (auto colon = spec.find(":/"); colon != std::string::npos) {
        h5::file f = h5::open_read(spec.substr(0, colon));
        read_model_weights(f, spec.substr(colon + 1), model);
    } else if (!spec.empty()) {
        model = read_model(spec);
    }
    return model;
}

// Runs a benchmark's body; an exception (a missing or malformed model file,
// sizes that do not fit) ends it with one line and status 2, not an abort.
inline int guarded(int argc, char** argv, int (*body)(int, char**)) {
    keep_freed_memory();  // as gust does (core/freed_memory.hpp)
    try {
        return body(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 2;
    }
}

// A benchmark's argument that must be a whole number >= min; anything else
// ends the program with one line naming the argument and status 2.
inline std::size_t whole_number(const std::string& option, const std::string& text, std::size_t min = 1) {
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min) {
        std::fprintf(stderr, "%s %s: expected a whole number >= %zu\n", option.c_str(), text.c_str(), min);
        std::exit(2);
    }
    return v;
}

// Options come as "--name value" pairs: a name without its value is refused.
inline void require_pairs(int argc, char** argv) {
    if (argc % 2 == 0) {
        std::fprintf(stderr, "%s: no value\n", argv[argc - 1]);
        std::exit(2);
    }
}

// The options the simulation and training benchmarks share:
//   [--images N] [--cycles C] [--repeats R] [--model M]
struct run_options {
    std::size_t images;
    int cycles, repeats;
    std::string model;

    void parse(int argc, char** argv) {
        require_pairs(argc, argv);
        for (int i = 1; i + 1 < argc; i += 2) {
            const std::string a = argv[i], v = argv[i + 1];
            if (a == "--images") images = whole_number(a, v);
            else if (a == "--cycles") cycles = static_cast<int>(whole_number(a, v));
            else if (a == "--repeats") repeats = static_cast<int>(whole_number(a, v));
            else if (a == "--model") model = v;
            else {
                std::fprintf(stderr, "unknown option %s\n", argv[i]);
                std::exit(2);
            }
        }
    }
};

}  // namespace gust::bench
