#pragma once
// What the benchmark programs share: a wall clock and the model they time.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/h5.hpp"
#include "io/model_file.hpp"
#include "sim/model.hpp"

namespace gust::bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// "" gives a fresh paper model (seed 1); FILE a model file; FILE:/group the
// weights stored under a group (e.g. the trained weights of
// ../shared/fixtures/golden/reference_trace_trained_B2_IT8.h5:/weights).
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

// The options the simulation and training benchmarks share:
//   [--images N] [--cycles C] [--repeats R] [--model M]
struct run_options {
    std::size_t images;
    int cycles, repeats;
    std::string model;

    void parse(int argc, char** argv) {
        for (int i = 1; i + 1 < argc; i += 2) {
            const std::string a = argv[i], v = argv[i + 1];
            if (a == "--images") images = std::stoul(v);
            else if (a == "--cycles") cycles = std::stoi(v);
            else if (a == "--repeats") repeats = std::stoi(v);
            else if (a == "--model") model = v;
            else {
                std::fprintf(stderr, "unknown option %s\n", argv[i]);
                std::exit(2);
            }
        }
    }
};

}  // namespace gust::bench
