#pragma once
// What a simulation backend is: a network prepared once (validated, its
// tables built: the constructor), then run on any number of batches, each
// step observable. The dense and the event backend implement it, and every
// caller (the CLI, the read-out protocol, training's forward pass,
// benchmarks) picks one by kind and drives it the same way.
#include <memory>
#include <vector>

#include "sim/draw_source.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace gust {

enum class backend_kind { dense, event };

class engine {
public:
    virtual ~engine() = default;
    // Simulates every image; observe, if set, sees each step in image order.
    virtual std::vector<image_record> run(const image_batch& images, const draw_source& draws,
                                          const sim_options& opt, const step_observer& observe = {}) const = 0;
    virtual backend_kind kind() const = 0;
};

// The backend `kind` prepared for net (the event backend with opt.partitions).
// The network must outlive the engine.
std::unique_ptr<engine> make_engine(backend_kind kind, const network& net, const sim_options& opt = {});

}  // namespace gust
