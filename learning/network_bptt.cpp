#include "learning/network_bptt.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "learning/loss.hpp"
#include "learning/surrogates.hpp"
#include "sim/afferents.hpp"
#include "sim/dense_backend.hpp"
#include "sim/error.hpp"

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
    const population& s = m.net.populations[m.net.spiking];
    if (!(s.theta >= 1.0f))
        throw input_error(origin + ": training needs theta >= 1 (pixels without input must not fire); population '" +
                          s.name + "' has theta = " + std::to_string(s.theta));
}

namespace {

// What the backward pass reads of one image's forward pass.
struct image_tape {
    std::vector<std::vector<float>> out;   // per population: steps x size
    std::vector<refractory_t> r_after;     // spiking population: steps x size
};

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
        input_.resize(widest);
        dinput_.resize(widest);
        da_.resize(widest);
    }

    // Adds image b's loss gradient to g; returns its loss.
    double run(const image_tape& tape, const float* x, const float* clean, std::size_t id, network_gradient& g) {
        const std::size_t P = net_.populations.size(), S = net_.spiking;
        const population& spk = net_.populations[S];
        const std::size_t N = spk.size, C = spk.context;
        const std::int64_t T = net_.cycle, K = static_cast<std::int64_t>(opt_.cycles) * T;
        dout_.resize(P);
        for (std::size_t p = 0; p < P; ++p) dout_[p].assign(static_cast<std::size_t>(K) * net_.populations[p].size, 0.0f);

        // The loss reads the context of the last cycle.
        const float* ctx_last = tape.out[C].data() + static_cast<std::size_t>(K - T) * N;
        std::vector<float> dctx(N);
        const double loss = receptive_field_loss(ctx_last, clean, static_cast<std::size_t>(T), N, dctx.data());
        for (std::int64_t k = K - T; k < K; ++k)
            std::copy(dctx.begin(), dctx.end(), dout_[C].begin() + static_cast<std::ptrdiff_t>(k * std::int64_t(N)));

        std::vector<float> dr(N, 0.0f);
        for (std::int64_t k = K - 1; k >= 0; --k) {
            for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
                const std::size_t p = *it;
                if (p == S) spiking_step(tape, x, id, k, dr);
                else graded_step(tape, p, id, k, g);
            }
        }
        return loss;
    }

private:
    const float* output(const image_tape& tape, std::size_t p, std::int64_t k, std::size_t id) {
        const std::size_t n = net_.populations[p].size;
        if (k >= 0) return tape.out[p].data() + static_cast<std::size_t>(k) * n;
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
        const float* o = tape.out[p].data() + static_cast<std::size_t>(k) * n;
        const float* d = dout_[p].data() + static_cast<std::size_t>(k) * n;
        bool any = false;
        for (std::size_t r = 0; r < n; ++r) {
            const float deriv = pop.act == activation::relu ? (o[r] > 0.0f ? 1.0f : 0.0f) : o[r] * (1.0f - o[r]);
            da_[r] = d[r] * deriv;
            any |= da_[r] != 0.0f;
        }
        if (!any) return;
        if (!pop.bias.empty())
            for (std::size_t r = 0; r < n; ++r) g.biases[p][r] += da_[r];
        for (const afferent_group& grp : plan_.groups[p]) {
            const weight_matrix& W = *grp.weights;
            // The group's input at step k, as the forward gathered it.
            std::fill(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(W.cols), 0.0f);
            for (std::size_t j : grp.projections) {
                const auto& pr = net_.projections[j];
                const float* src = output(tape, pr.source, k - pr.delay, id);
                release_mask(j, k, id, W.cols, mask_);
                for (std::size_t i = 0; i < W.cols; ++i) input_[i] += mask_[i] * src[i];
            }
            std::vector<float>& dW = g.weights[set_index(grp.weights)];
            std::fill(dinput_.begin(), dinput_.begin() + static_cast<std::ptrdiff_t>(W.cols), 0.0f);
            for (std::size_t r = 0; r < n; ++r) {
                const float a = da_[r];
                if (a == 0.0f) continue;
                if (W.sparse()) {
                    for (std::uint32_t s = W.indptr[r]; s < W.indptr[r + 1]; ++s) {
                        dW[s] += a * input_[W.indices[s]];
                        dinput_[W.indices[s]] += W.w[s] * a;
                    }
                } else {
                    float* dw = dW.data() + r * W.cols;
                    const float* w = W.w.data() + r * W.cols;
                    for (std::size_t i = 0; i < W.cols; ++i) {
                        dw[i] += a * input_[i];
                        dinput_[i] += w[i] * a;
                    }
                }
            }
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

    void spiking_step(const image_tape& tape, const float* x, std::size_t id, std::int64_t k, std::vector<float>& dr) {
        const std::size_t S = net_.spiking;
        const population& spk = net_.populations[S];
        const std::size_t N = spk.size;
        const float* c = tape.out[spk.context].data() + static_cast<std::size_t>(k) * N;
        const refractory_t* r_after = tape.r_after.data() + static_cast<std::size_t>(k) * N;
        const refractory_t* r_prev = k > 0 ? tape.r_after.data() + static_cast<std::size_t>(k - 1) * N : nullptr;
        const float* ds_in = dout_[S].data() + static_cast<std::size_t>(k) * N;
        float* dc = dout_[spk.context].data() + static_cast<std::size_t>(k) * N;
        draws_.membrane_noise(id, S, k, scratch_.data(), N);
        for (std::size_t i = 0; i < N; ++i) {
            const refractory_t r_before = r_prev ? r_prev[i] : 0;
            float ds = ds_in[i];
            const float dr_after = dr[i];
            const bool passes = refractory_update_passes(r_after[i]);
            if (passes) ds += static_cast<float>(spk.refractory) * dr_after;
            const float m = x[i] * c[i] + scratch_[i];
            const float heaviside = m > spk.theta ? 1.0f : 0.0f;
            const float gate = r_before < 1 ? 1.0f : 0.0f;
            const float box = in_threshold_window(m, spk.theta, opt_.surrogate_half_width) ? 1.0f : 0.0f;
            const float dm = ds * box * gate;
            dr[i] = (passes ? dr_after : 0.0f) - ds * heaviside * refractory_gate_slope(r_before);
            dc[i] += x[i] * dm;
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
    std::vector<float> scratch_, input_, dinput_, da_, mask_;
};

// Groups of images that run together on one worker; fixed by the batch.
constexpr std::size_t group_size = 8;

}  // namespace

network_batch_result network_loss_and_gradient(const network_model& m, const image_inputs& in,
                                               const draw_source& draws, const bptt_options& opt, int threads,
                                               bool with_gradient) {
    if (opt.cycles < 1) throw input_error("cycles must be positive");
    m.net.check_image_size(in.n);
    const dense_engine engine(m.net);
    const afferent_plan plan(m.net);
    const std::size_t P = m.net.populations.size(), S = m.net.spiking, N = in.n;
    const std::int64_t K = static_cast<std::int64_t>(opt.cycles) * m.net.cycle;
    const std::size_t groups = (in.count + group_size - 1) / group_size;
    struct group_result {
        std::vector<double> loss;
        std::size_t spikes = 0;
        network_gradient grad;
    };
    std::vector<group_result> results(groups);

    auto run_group = [&](std::size_t gi) {
        group_result& res = results[gi];
        if (with_gradient) res.grad = network_gradient::zeros_like(m);
        network_backward backward(m, plan, draws, opt);
        const std::size_t first = gi * group_size, count = std::min(group_size, in.count - first);
        image_tape tape;
        tape.out.resize(P);
        for (std::size_t b = first; b < first + count; ++b) {
            for (std::size_t p = 0; p < P; ++p) tape.out[p].resize(static_cast<std::size_t>(K) * m.net.populations[p].size);
            tape.r_after.resize(static_cast<std::size_t>(K) * N);
            // The forward pass: the dense backend, recorded step by step.
            const image_batch one{1, N, in.input + b * N, {in.ids[b]}};
            sim_options so;
            so.cycles = opt.cycles;
            so.threads = 1;
            const auto rec = engine.run(one, draws, so, [&](const step_view& v) {
                for (std::size_t p = 0; p < P; ++p) {
                    const std::size_t n = m.net.populations[p].size;
                    std::copy(v.outputs[p], v.outputs[p] + n, tape.out[p].begin() + static_cast<std::ptrdiff_t>(v.step * std::int64_t(n)));
                }
                std::copy(v.refractory, v.refractory + N, tape.r_after.begin() + static_cast<std::ptrdiff_t>(v.step * std::int64_t(N)));
            });
            res.spikes += rec[0].steps.size();
            if (with_gradient) {
                res.loss.push_back(backward.run(tape, in.input + b * N, in.clean + b * N, in.ids[b], res.grad));
            } else {
                const std::size_t C = m.net.populations[S].context;
                res.loss.push_back(receptive_field_loss(tape.out[C].data() + static_cast<std::size_t>(K - m.net.cycle) * N,
                                                        in.clean + b * N, static_cast<std::size_t>(m.net.cycle), N, nullptr));
            }
        }
    };
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] { tbb::parallel_for(std::size_t{0}, groups, run_group); });

    network_batch_result out;
    if (with_gradient) out.grad = network_gradient::zeros_like(m);
    for (const group_result& r : results) {  // group order
        for (double l : r.loss) out.loss += l;
        out.spikes += r.spikes;
        if (with_gradient) out.grad.add(r.grad);
    }
    return out;
}

}  // namespace gust::learning
