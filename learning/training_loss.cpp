#include "learning/training_loss.hpp"

#include "learning/batch_gradient.hpp"
#include "learning/network_bptt.hpp"
#include "sim/paper_network.hpp"

namespace gust::learning {

bool uses_paper_pass(const network_model& m) {
    if (!is_paper_shaped(m.description)) return false;
    for (const projection& p : m.net.projections)
        if (p.weights->sparse()) return false;
    return true;
}

training_result training_loss_and_gradient(const network_model& m, const image_inputs& in, const draw_source& draws,
                                           const bptt_options& opt, int threads, bool with_gradient,
                                           const group_selection& groups) {
    training_result out;
    if (uses_paper_pass(m)) {
        batch_result r = batch_loss_and_gradient(to_paper_model(m, "model"), in, draws, opt, threads, with_gradient, groups);
        out.loss = r.loss;
        out.spikes = r.spikes;
        out.cancelled = r.cancelled;
        if (with_gradient)
            for (std::vector<float>* t : r.grad.tensors()) out.grad.push_back(std::move(*t));
        return out;
    }
    network_batch_result r = network_loss_and_gradient(m, in, draws, opt, threads, with_gradient, groups);
    out.loss = r.loss;
    out.spikes = r.spikes;
    out.cancelled = r.cancelled;
    if (with_gradient && !groups.each) out.grad = gradient_values(m, std::move(r.grad));
    return out;
}

std::size_t training_groups(const network_model& m, std::size_t images) {
    const std::size_t size = uses_paper_pass(m) ? images_per_group : network_group_size;
    return (images + size - 1) / size;
}

}  // namespace gust::learning
