#pragma once
// Choosing a backend by name (sim/engine.hpp), for the CLI and benchmarks.
#include <string>

#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"
#include "core/error.hpp"

namespace gust {

inline backend_kind parse_backend(const std::string& name) {
    if (name == "dense") return backend_kind::dense;
    if (name == "event") return backend_kind::event;
    throw input_error("backend", name + ": unknown backend (available: event, dense)");
}

inline const char* backend_name(backend_kind b) { return b == backend_kind::dense ? "dense" : "event"; }

// One-shot: prepares the backend and runs it.
inline std::vector<image_record> simulate(backend_kind b, const network& net, const image_batch& images,
                                          const draw_source& draws, const sim_options& opt) {
    return make_engine(b, net, opt)->run(images, draws, opt);
}

}  // namespace gust
