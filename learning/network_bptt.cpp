#include "learning/network_bptt.hpp"

#include "core/parallel_for.hpp"
#include "learning/model_parameters.hpp"

#include <tbb/task_arena.h>

#include <algorithm>

#include "learning/event_tape.hpp"
#include "learning/loss.hpp"
#include "neurons/graded_layer_backward.hpp"
#include "neurons/gust_neuron_backward.hpp"
#include "sim/afferents.hpp"
#include "sim/dense_backend.hpp"
#include "core/error.hpp"
#include "sim/graded_update.hpp"
#include "sim/rest_state.hpp"

namespace gust::learning {

network_gradient network_gradient::zeros_like(const network_model& m) {
    network_gradient g;
    for (std::size_t j = 0; j < m.description.projections.size(); ++j)
        if (m.description.projections[j].owns_weights()) g.weights.emplace_back(m.net.projections[j].weights->nnz(), 0.0f);
    for (const population& p : m.net.populations) g.biases.emplace_back(p.bias.size(), 0.0f);
    return g;
}

void network_gradient::add(const network_gradient& o) {
    for (std::size_t t = 0; t < weights.size(); ++t)
        for (std::size_t i = 0; i < weights[t].size(); ++i) weights[t][i] += o.weights[t][i];
    for (std::size_t t = 0; t < biases.size(); ++t)
        for (std::size_t i = 0; i < biases[t].size(); ++i) biases[t][i] += o.biases[t][i];
}

void require_trainable(const network_model& m, const std::string& origin) {
    try {
        require_stored_weights(m, "train it");
    } catch (const input_error& e) {
        throw input_error(origin + ": " + e.what());
    }
    for (std::size_t p : m.net.spiking) {
        const population& s = m.net.populations[p];
        if (!(s.theta >= 1.0f))
            throw input_error(origin + ": training needs theta >= 1 (pixels without input must not fire); population '" +
                              s.name + "' has theta = " + std::to_string(s.theta));
    }
}

namespace {

// What the backward pass reads of one image's forward pass: the outputs of
// the populations that carry state from step to step (the spiking ones, and
// every source of a delayed projection); the others are recomputed from
// them, step by step, with the forward's own code (sim/graded_update.hpp).
// And the context of the last cycle, which the loss reads (the read-out
// population's).
struct image_tape {
    std::vector<population_tape> out;  // per population; empty where recomputed
    std::vector<float> context_last;   // T x N
    std::size_t bytes() const {
        std::size_t b = context_last.size() * sizeof(float);
        for (const auto& t : out) b += t.bytes();
        return b;
    }
};

// Whether population p's outputs go on the tape.
bool taped(const network& net, std::size_t p) {
    if (net.is_spiking(p)) return true;
    return std::any_of(net.projections.begin(), net.projections.end(),
                       [&](const projection& pr) { return pr.source == p && pr.delay > 0; });
}

class network_backward {
public:
    network_backward(const network_model& m, const afferent_plan& plan, const draw_source& draws, const bptt_options& opt)
        : net_(m.net), plan_(plan), draws_(draws), opt_(opt), order_(m.net.evaluation_order()) {
        // Which gradient vector each weight matrix fills.
        std::size_t set = 0;
        for (std::size_t j = 0; j < m.description.projections.size(); ++j)
            if (m.description.projections[j].owns_weights()) set_of_.emplace_back(m.net.projections[j].weights.get(), set++);
        std::size_t widest = 0;
        for (const auto& p : net_.populations) widest = std::max(widest, p.size);
        scratch_.resize(widest);
        gather_ = graded_scratch(widest);
        current_.resize(net_.populations.size());
        for (std::size_t p = 0; p < net_.populations.size(); ++p) current_[p].resize(net_.populations[p].size);
        dinput_.resize(widest);
        da_.resize(widest);
        replay_.resize(net_.populations.size());
        dr_.resize(net_.populations.size());
    }

    // Adds image b's loss gradient to g; returns its loss.
    double run(const image_tape& tape, const float* x, const float* clean, std::size_t id, network_gradient& g) {
        const std::size_t P = net_.populations.size();
        const population& spk = net_.populations[net_.readout];
        const std::size_t N = spk.size, C = spk.context;
        const std::int64_t T = net_.cycle, K = static_cast<std::int64_t>(opt_.cycles) * T;
        dout_.resize(P);
        for (std::size_t p = 0; p < P; ++p) dout_[p].assign(static_cast<std::size_t>(K) * net_.populations[p].size, 0.0f);

        // The loss reads the context of the last cycle.
        std::vector<float> dctx(N);
        const double loss = receptive_field_loss(tape.context_last.data(), clean, static_cast<std::size_t>(T), N, dctx.data());
        for (std::size_t p : net_.spiking) {
            replay_[p].reset(tape.out[p], N, net_.populations[p].refractory);
            dr_[p].assign(N, 0.0f);  // d loss / d refractory counter after the step being taken back
        }
        for (std::int64_t k = K - T; k < K; ++k)
            std::copy(dctx.begin(), dctx.end(), dout_[C].begin() + static_cast<std::ptrdiff_t>(k * std::int64_t(N)));

        for (std::int64_t k = K - 1; k >= 0; --k) {
            restore_step(tape, k, id);
            for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
                const std::size_t p = *it;
                if (net_.is_spiking(p)) spiking_step(p, x, id, k);
                else graded_step(tape, p, id, k, g);
            }
        }
        return loss;
    }

private:
    // Every population's output at step k into current_: read from the tape
    // or recomputed, in evaluation order, exactly as the forward computed it.
    void restore_step(const image_tape& tape, std::int64_t k, std::size_t id) {
        step_ = k;
        for (std::size_t p : order_) {
            if (tape.out[p].steps() > 0) {
                tape.out[p].read(k, current_[p].data());
                continue;
            }
            graded_update(net_, plan_, p, k, id, draws_,
                          [&](std::size_t q, std::int64_t step) { return output(tape, q, step, id); },
                          current_[p].data(), gather_);
        }
    }

    // Population p's output at step k <= step_: this step's from current_,
    // earlier ones (taped populations only) from the tape.
    const float* output(const image_tape& tape, std::size_t p, std::int64_t k, std::size_t id) {
        const std::size_t n = net_.populations[p].size;
        if (k == step_) return current_[p].data();
        if (k >= 0) {
            tape.out[p].read(k, scratch_.data());
            return scratch_.data();
        }
        // Before step 0: zeros, or the population's drawn initial history
        // (slot j of depth D holds step j - D, as sim/history.hpp fills it).
        std::fill(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(n), 0.0f);
        if (net_.populations[p].history == initial_history::uniform) {
            const auto depth = static_cast<std::int64_t>(net_.max_delay_from(p));
            draws_.initial_history(id, p, static_cast<std::size_t>(k + depth), static_cast<std::size_t>(depth),
                                   scratch_.data(), n);
        }
        return scratch_.data();
    }

    // The released mask of projection j at delivery step k (1 where released).
    void release_mask(std::size_t j, std::int64_t k, std::size_t id, std::size_t n, std::vector<float>& mask) {
        mask.resize(n);
        const float p = net_.projections[j].release_p;
        if (p >= 1.0f) {
            std::fill(mask.begin(), mask.end(), 1.0f);
            return;
        }
        draws_.release(id, j, k, mask.data(), n);
        for (float& v : mask) v = v < p ? 1.0f : 0.0f;
    }

    void graded_step(const image_tape& tape, std::size_t p, std::size_t id, std::int64_t k, network_gradient& g) {
        const population& pop = net_.populations[p];
        const std::size_t n = pop.size;
        const float* o = current_[p].data();
        const float* d = dout_[p].data() + static_cast<std::size_t>(k) * n;
        bool any = false;
        for (std::size_t r = 0; r < n; ++r) {
            da_[r] = d[r] * activation_slope(pop.act, o[r]);
            any |= da_[r] != 0.0f;
        }
        if (!any) return;
        if (!pop.bias.empty())
            for (std::size_t r = 0; r < n; ++r) g.biases[p][r] += da_[r];
        for (const afferent_group& grp : plan_.groups[p]) {
            const weight_matrix& W = *grp.weights;
            // The group's input at step k, as the forward gathered it.
            const float* input = gather_group_input(
                net_, grp, k, id, draws_, [&](std::size_t q, std::int64_t step) { return output(tape, q, step, id); }, gather_);
            std::vector<float>& dW = g.weights[set_index(grp.weights)];
            std::fill(dinput_.begin(), dinput_.begin() + static_cast<std::ptrdiff_t>(W.cols), 0.0f);
            graded_layer_backward(W, da_.data(), input, dW.data(), dinput_.data());
            // Back through each projection's delay and release.
            for (std::size_t j : grp.projections) {
                const auto& pr = net_.projections[j];
                const std::int64_t ks = k - pr.delay;
                if (ks < 0) continue;  // initial history: a constant
                release_mask(j, k, id, W.cols, mask_);
                float* ds = dout_[pr.source].data() + static_cast<std::size_t>(ks) * W.cols;
                for (std::size_t i = 0; i < W.cols; ++i) ds[i] += mask_[i] * dinput_[i];
            }
        }
    }

    void spiking_step(std::size_t S, const float* x, std::size_t id, std::int64_t k) {
        const population& spk = net_.populations[S];
        std::vector<float>& dr = dr_[S];
        const std::size_t N = spk.size;
        const float* c = current_[spk.context].data();
        const float* ds_in = dout_[S].data() + static_cast<std::size_t>(k) * N;
        float* dc = dout_[spk.context].data() + static_cast<std::size_t>(k) * N;
        draws_.membrane_noise(id, S, k, scratch_.data(), N);
        for (std::size_t i = 0; i < N; ++i) {
            refractory_t r_before, r_after;
            replay_[S].at(i, k, r_before, r_after);
            const float m = x[i] * c[i] + scratch_[i];
            const gust_step_gradient d = gust_step_backward(ds_in[i], dr[i], m, r_before, r_after, spk.theta,
                                                            spk.refractory, opt_.surrogate_half_width);
            dr[i] = d.refractory_before;
            dc[i] += x[i] * d.membrane;
        }
    }

    std::size_t set_index(const weight_matrix* w) const {
        for (const auto& [m, s] : set_of_)
            if (m == w) return s;
        return 0;
    }

    const network& net_;
    const afferent_plan& plan_;
    const draw_source& draws_;
    const bptt_options& opt_;
    std::vector<std::size_t> order_;
    std::vector<std::pair<const weight_matrix*, std::size_t>> set_of_;
    std::vector<std::vector<float>> dout_;
    std::vector<float> scratch_, dinput_, da_, mask_;
    std::vector<std::vector<float>> current_;  // every population's output at step_
    std::int64_t step_ = -1;
    graded_scratch gather_;
    std::vector<refractory_replay> replay_;  // per population; used for the spiking ones
    std::vector<std::vector<float>> dr_;     // per population; used for the spiking ones
};


}  // namespace

network_batch_result network_loss_and_gradient(const network_model& m, const image_inputs& in,
                                               const draw_source& draws, const bptt_options& opt, int threads,
                                               bool with_gradient, const group_selection& selection) {
    if (opt.cycles < 1) throw input_error("cycles must be positive");
    m.net.check_image_size(in.n);
    const dense_engine engine(m.net);
    const afferent_plan plan(m.net);
    const std::size_t P = m.net.populations.size(), S = m.net.readout, N = in.n;
    const std::int64_t K = static_cast<std::int64_t>(opt.cycles) * m.net.cycle;
    const std::size_t groups = std::min((in.count + network_group_size - 1) / network_group_size, selection.last);
    const std::size_t first_group = std::min(selection.first, groups);
    // What the tape leaves out: each population's rest value (zeros where
    // it has none, as inside a loop of graded layers).
    const rest_state rest = rest_values(m.net, plan);
    std::vector<std::vector<float>> base(P);
    std::vector<bool> keep(P);
    for (std::size_t p = 0; p < P; ++p) keep[p] = taped(m.net, p);
    for (std::size_t p = 0; p < P; ++p)
        base[p] = rest.defined[p] ? rest.value[p] : std::vector<float>(m.net.populations[p].size, 0.0f);
    struct group_result {
        std::vector<double> loss;
        std::size_t spikes = 0, tape_bytes = 0;
        network_gradient grad;
    };
    std::vector<group_result> results(groups);

    auto run_group = [&](std::size_t gi) {
        group_result& res = results[gi];
        if (with_gradient) res.grad = network_gradient::zeros_like(m);
        network_backward backward(m, plan, draws, opt);
        const std::size_t first = gi * network_group_size, count = std::min(network_group_size, in.count - first);
        image_tape tape;
        tape.out.resize(P);
        for (std::size_t b = first; b < first + count; ++b) {
            if (opt.cancelled()) return;
            for (std::size_t p = 0; p < P; ++p)
                if (keep[p]) tape.out[p].reset(base[p].data(), m.net.populations[p].size);
            const std::size_t C = m.net.populations[S].context, T = static_cast<std::size_t>(m.net.cycle);
            tape.context_last.resize(T * N);
            // The forward pass: the dense backend, recorded step by step.
            const image_batch one{1, N, in.input + b * N, {in.ids[b]}};
            sim_options so;
            so.cycles = opt.cycles;
            so.threads = 1;
            const auto rec = engine.run(one, draws, so, [&](const step_view& v) {
                for (std::size_t p = 0; p < P; ++p)
                    if (keep[p]) tape.out[p].record(v.outputs[p]);
                if (v.step >= K - std::int64_t(T))
                    std::copy(v.outputs[C], v.outputs[C] + N,
                              tape.context_last.begin() + (v.step - (K - std::int64_t(T))) * std::int64_t(N));
            });
            res.spikes += rec[0].steps.size();
            res.tape_bytes = std::max(res.tape_bytes, tape.bytes());
            if (with_gradient) {
                res.loss.push_back(backward.run(tape, in.input + b * N, in.clean + b * N, in.ids[b], res.grad));
            } else {
                res.loss.push_back(receptive_field_loss(tape.context_last.data(), in.clean + b * N, T, N, nullptr));
            }
        }
    };
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] { gust::parallel_for(first_group, groups, run_group); });

    network_batch_result out;
    for (std::size_t p = 0; p < P; ++p) out.dense_tape_bytes += static_cast<std::size_t>(K) * m.net.populations[p].size * sizeof(float);
    out.dense_tape_bytes += static_cast<std::size_t>(K) * N * m.net.spiking.size();  // refractory counters
    if (with_gradient && !selection.each) out.grad = network_gradient::zeros_like(m);
    for (std::size_t gi = first_group; gi < groups; ++gi) {  // group order
        group_result& r = results[gi];
        for (double l : r.loss) out.loss += l;
        out.spikes += r.spikes;
        out.tape_bytes = std::max(out.tape_bytes, r.tape_bytes);
        if (selection.each) selection.each({r.loss, r.spikes, with_gradient ? gradient_values(m, std::move(r.grad)) : tensor_list{}});
        else if (with_gradient) out.grad.add(r.grad);
    }
    out.cancelled = opt.cancelled();
    return out;
}

}  // namespace gust::learning
