#pragma once
// The dense time-stepped backend: every neuron and unit of every population
// is updated every step, exactly as the spec reads. It is the equivalence
// reference for the event backend; parallel over images only, so its results
// do not depend on the thread count.
#include <memory>

#include "sim/draw_source.hpp"
#include "sim/engine.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace gust {

struct afferent_plan;

// A network prepared once (validated, fan-out tables built) and run on any
// number of batches: what a caller keeps between images to pay the set-up
// once. The network must outlive the engine.
class dense_engine final : public engine {
public:
    explicit dense_engine(const network& net);
    ~dense_engine() override;
    std::vector<image_record> run(const image_batch& images, const draw_source& draws, const sim_options& opt,
                                  const step_observer& observe = {}) const override;
    backend_kind kind() const override { return backend_kind::dense; }

private:
    const network& net_;
    std::unique_ptr<const afferent_plan> plan_;
};

// One-shot: prepares the network and runs it.
std::vector<image_record> simulate_dense(const network& net, const image_batch& images,
                                         const draw_source& draws, const sim_options& opt,
                                         const step_observer& observe = {});

}  // namespace gust
