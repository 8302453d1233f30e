#include "sim/dense_backend.hpp"

#include <tbb/blocked_range.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "neurons/graded_layer.hpp"
#include "sim/afferents.hpp"
#include "sim/graded_update.hpp"
#include "sim/history.hpp"
#include "sim/probe_recording.hpp"

namespace gust {
namespace {

class dense_image_sim {
public:
    dense_image_sim(const network& net, const afferent_plan& plan, const draw_source& draws)
        : net_(net), plan_(plan), draws_(draws), hist_(net), order_(net.evaluation_order()),
          refractory_(net.populations.size()) {
        std::size_t widest = 0;
        for (const auto& p : net.populations) widest = std::max(widest, p.size);
        uniform_.resize(widest);
        scratch_ = graded_scratch(widest);
    }

    void run(const float* x, std::size_t batch_pos, std::size_t image_id, const sim_options& opt,
             image_record& rec, const step_observer& observe) {
        hist_.reset(image_id, draws_);
        for (std::size_t p : net_.spiking) refractory_[p].assign(net_.populations[p].size, 0);
        const std::int64_t steps = static_cast<std::int64_t>(opt.cycles) * net_.cycle;
        begin_probes(net_, opt.record, steps, rec);

        for (std::int64_t k = 0; k < steps; ++k) {
            for (std::size_t p : order_) update(p, k, x, image_id);
            const float* s = hist_.at(net_.readout, k);
            for (std::size_t i = 0; i < net_.populations[net_.readout].size; ++i)
                if (s[i] != 0.0f) {
                    rec.steps.push_back(k);
                    rec.neurons.push_back(static_cast<std::uint32_t>(i));
                }
            if (!opt.record.empty())
                record_probes(
                    net_, opt.record, k,
                    [&](std::size_t p, const std::vector<std::uint32_t>& units, float* out) {
                        const float* o = hist_.at(p, k);
                        if (units.empty()) std::copy(o, o + net_.populations[p].size, out);
                        else
                            for (std::uint32_t i : units) *out++ = o[i];
                    },
                    [&](std::size_t p, std::uint32_t i) { return hist_.at(p, k)[i] != 0.0f; },
                    [&](std::size_t p, std::uint32_t i) { return refractory_[p][i]; }, rec);
            if (observe) {
                step_view v{batch_pos, k, {}, {}};
                for (std::size_t p = 0; p < net_.populations.size(); ++p) {
                    v.outputs.push_back(hist_.at(p, k));
                    v.refractory.push_back(refractory_[p].empty() ? nullptr : refractory_[p].data());
                }
                observe(v);
            }
        }
    }

private:
    void update(std::size_t p, std::int64_t k, const float* x, std::size_t image_id) {
        const auto& pop = net_.populations[p];
        float* out = hist_.at(p, k);
        if (pop.type == population::kind::spiking) {
            draws_.membrane_noise(image_id, p, k, uniform_.data(), pop.size);
            gust_step_layer(x, hist_.at(pop.context, k), uniform_.data(), refractory_[p].data(), out,
                            pop.size, {pop.theta, pop.refractory});
            return;
        }
        graded_update(net_, plan_, p, k, image_id, draws_, [&](std::size_t q, std::int64_t step) { return hist_.at(q, step); },
                      out, scratch_);
    }

    const network& net_;
    const afferent_plan& plan_;
    const draw_source& draws_;
    population_history hist_;
    std::vector<std::size_t> order_;
    std::vector<std::vector<refractory_t>> refractory_;  // per population; empty unless spiking
    std::vector<float> uniform_;
    graded_scratch scratch_;
};

}  // namespace

dense_engine::dense_engine(const network& net) : net_(net) {
    net.validate();
    plan_ = std::make_unique<const afferent_plan>(net);
}

dense_engine::~dense_engine() = default;

std::vector<image_record> dense_engine::run(const image_batch& images, const draw_source& draws,
                                            const sim_options& opt, const step_observer& observe) const {
    net_.check_image_size(images.size);
    for (const probe& r : opt.record) validate(r, net_);
    std::vector<image_record> out(images.count);
    auto body = [&](const tbb::blocked_range<std::size_t>& r) {
        dense_image_sim sim(net_, *plan_, draws);
        for (std::size_t b = r.begin(); b != r.end(); ++b)
            sim.run(images.pixels + b * images.size, b, images.ids.empty() ? b : images.ids[b], opt,
                    out[b], observe);
    };
    if (observe || images.count <= 1) {
        body({0, images.count});  // observers see images in order
    } else {
        tbb::task_arena arena(opt.threads > 0 ? opt.threads : tbb::task_arena::automatic);
        arena.execute([&] { gust::parallel_for(tbb::blocked_range<std::size_t>(0, images.count, 1), body); });
    }
    return out;
}

std::vector<image_record> simulate_dense(const network& net, const image_batch& images,
                                         const draw_source& draws, const sim_options& opt,
                                         const step_observer& observe) {
    return dense_engine(net).run(images, draws, opt, observe);
}

}  // namespace gust
