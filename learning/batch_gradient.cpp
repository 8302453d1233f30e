#include "learning/batch_gradient.hpp"

#include <tbb/concurrent_queue.h>
#include <tbb/concurrent_vector.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <memory>

#include "core/parallel_for.hpp"
#include "learning/backward_events.hpp"

namespace gust::learning {

namespace {

// Scratch of one worker, reused for every group it runs (its contents are
// rewritten each time, so which worker ran a group cannot matter).
struct worker_space {
    forward_tape tape;
    forward_scratch forward;
    backward_workspace backward;
};

// What a group hands to the in-order reduction; recycled through a pool.
struct group_result {
    std::vector<double> loss;
    std::size_t spikes = 0;
    gradient_accumulator grad;
};

}  // namespace

batch_result batch_loss_and_gradient(const gust_model& m, const image_inputs& in, const draw_source& draws,
                                     const bptt_options& opt, int threads, bool with_gradient,
                                     const group_selection& selection) {
    const train_weights w(m);
    batch_result out;
    const std::size_t groups = std::min((in.count + images_per_group - 1) / images_per_group, selection.last);
    gradient_accumulator total;
    if (with_gradient && !selection.each) total.reset(w);

    tbb::enumerable_thread_specific<worker_space> spaces;
    // Results travel between the stages as plain pointers, which oneTBB
    // passes in its token by value. An item such as a shared_ptr it would
    // build in memory of its own, read by the next stage after a hand-over
    // inside oneTBB's compiled library that ThreadSanitizer cannot see, so
    // it reported a race there. `results` owns them; `pool` recycles them.
    tbb::concurrent_vector<std::unique_ptr<group_result>> results;
    tbb::concurrent_queue<group_result*> pool;
    const char started = 0, serial = 0;  // tokens for ThreadSanitizer, below
    auto run_group = [&](std::size_t g) {
        take_over(&started);
        group_result* r = nullptr;
        if (pool.try_pop(r)) take_over(r);
        else r = results.push_back(std::make_unique<group_result>())->get();
        const std::size_t first = g * images_per_group, count = std::min(images_per_group, in.count - first);
        const image_inputs part{count, in.n, in.input + first * in.n, in.clean + first * in.n, in.ids + first};
        worker_space& space = spaces.local();
        train_forward(w, part, draws, opt, space.tape, space.forward);
        r->loss = space.tape.loss;
        r->spikes = space.tape.spikes;
        if (with_gradient) {
            r->grad.reset(w);
            backward_events(w, space.tape, part, draws, opt, r->grad, space.backward);
        }
        hand_over(r);
        return r;
    };
    // The pipeline's serial stages run on any thread, one item at a time,
    // in order: oneTBB orders them, and take_over/hand_over of `serial` tell
    // ThreadSanitizer (core/parallel_for.hpp); those of a group's result, that
    // it passes from its worker to the reduction and back to the pool; those
    // of `started`, that the workers start after the set-up above.
    auto reduce = [&](group_result* r) {
        take_over(r);
        take_over(&serial);
        for (double l : r->loss) out.loss += l;  // image order
        out.spikes += r->spikes;
        if (selection.each) {
            group_values v{r->loss, r->spikes, {}};
            if (with_gradient) {
                model_gradients g = r->grad.to_model_gradients();
                for (std::vector<float>* t : g.tensors()) v.grad.push_back(std::move(*t));
            }
            selection.each(std::move(v));
        } else if (with_gradient) {
            total.add(r->grad);  // group order
        }
        hand_over(r);
        pool.push(r);
        hand_over(&serial);
    };

    const int workers = threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(workers);
    arena.execute([&] {
        std::size_t next = std::min(selection.first, groups);
        hand_over(&serial);
        hand_over(&started);
        tbb::parallel_pipeline(
            static_cast<std::size_t>(2 * workers),
            tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                [&](tbb::flow_control& fc) -> std::size_t {
                                                    take_over(&serial);
                                                    const std::size_t g = next;
                                                    if (g == groups || opt.cancelled()) fc.stop();
                                                    else ++next;
                                                    hand_over(&serial);
                                                    return g;
                                                }) &
                tbb::make_filter<std::size_t, group_result*>(tbb::filter_mode::parallel, run_group) &
                tbb::make_filter<group_result*, void>(tbb::filter_mode::serial_in_order, reduce));
    });
    take_over(&serial);
    if (with_gradient && !selection.each) out.grad = total.to_model_gradients();
    out.cancelled = opt.cancelled();
    return out;
}

}  // namespace gust::learning
