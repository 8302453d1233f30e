#include "learning/batch_gradient.hpp"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <memory>

#include "learning/backward_events.hpp"

namespace gust::learning {

namespace {
struct group_result {
    std::size_t first = 0, count = 0;
    std::vector<double> loss;
    std::size_t spikes = 0;
    model_gradients grad;
};
}  // namespace

batch_result batch_loss_and_gradient(const gust_model& m, const image_inputs& in, const draw_source& draws,
                                     const bptt_options& opt, int threads, bool with_gradient) {
    const train_weights w(m);
    batch_result out;
    if (with_gradient) out.grad = model_gradients::zeros_like(m);
    const std::size_t groups = (in.count + images_per_group - 1) / images_per_group;
    if (groups == 0) return out;

    auto run_group = [&](std::size_t g) {
        auto r = std::make_shared<group_result>();
        r->first = g * images_per_group;
        r->count = std::min(images_per_group, in.count - r->first);
        const image_inputs part{r->count, in.n, in.input + r->first * in.n, in.clean + r->first * in.n,
                                in.ids + r->first};
        forward_tape tape;
        train_forward(w, part, draws, opt, tape);
        r->loss = tape.loss;
        r->spikes = tape.spikes;
        if (with_gradient) {
            r->grad = model_gradients::zeros_like(m);
            backward_events(w, tape, part, draws, opt, r->grad);
        }
        return r;
    };
    auto reduce = [&](const group_result& r) {
        for (double l : r.loss) out.loss += l;  // image order
        out.spikes += r.spikes;
        if (with_gradient) out.grad.add(r.grad);  // group order
    };

    const int workers = threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(workers);
    arena.execute([&] {
        std::size_t next = 0;
        tbb::parallel_pipeline(
            static_cast<std::size_t>(2 * workers),
            tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                [&](tbb::flow_control& fc) -> std::size_t {
                                                    if (next == groups) {
                                                        fc.stop();
                                                        return 0;
                                                    }
                                                    return next++;
                                                }) &
                tbb::make_filter<std::size_t, std::shared_ptr<group_result>>(
                    tbb::filter_mode::parallel,
                    [&](std::size_t g) { return run_group(g); }) &
                tbb::make_filter<std::shared_ptr<group_result>, void>(
                    tbb::filter_mode::serial_in_order,
                    [&](std::shared_ptr<group_result> r) { reduce(*r); }));
    });
    return out;
}

}  // namespace gust::learning
