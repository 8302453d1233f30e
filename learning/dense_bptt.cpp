#include "learning/dense_bptt.hpp"

#include <cmath>

#include "learning/loss.hpp"
#include "neurons/gust_neuron_backward.hpp"
#include "learning/train_weights.hpp"

namespace gust::learning {
namespace {

using vec = Eigen::VectorXf;
using weights_view = Eigen::Map<row_major_matrix>;

struct step_record {
    vec d_in, a3, z3, c, m, released, v, a1, z1, h;
    std::vector<refractory_t> r_before, r_after;
    std::vector<float> s;
};

float sigmoid(float a) { return apply_activation(activation::sigmoid, a); }

}  // namespace

batch_result dense_bptt(const gust_model& model, const image_inputs& in, const draw_source& draws,
                        const bptt_options& opt) {
    const train_weights w(model);
    const std::size_t N = w.N, T = static_cast<std::size_t>(w.T);
    const auto n = static_cast<Eigen::Index>(N);
    const std::size_t K = static_cast<std::size_t>(opt.cycles) * T;
    batch_result out;
    out.grad = model_gradients::zeros_like(model);
    weights_view dW1(out.grad.enc1.weight.data(), static_cast<Eigen::Index>(w.M), n);
    weights_view dW2(out.grad.enc2.weight.data(), static_cast<Eigen::Index>(w.H), static_cast<Eigen::Index>(w.M));
    weights_view dW3(out.grad.dec1.weight.data(), static_cast<Eigen::Index>(w.Md), static_cast<Eigen::Index>(w.H));
    weights_view dW4(out.grad.dec2.weight.data(), n, static_cast<Eigen::Index>(w.Md));
    Eigen::Map<vec> db1(out.grad.enc1.bias.data(), static_cast<Eigen::Index>(w.M)),
        db2(out.grad.enc2.bias.data(), static_cast<Eigen::Index>(w.H)),
        db3(out.grad.dec1.bias.data(), static_cast<Eigen::Index>(w.Md)), db4(out.grad.dec2.bias.data(), n);

    std::vector<step_record> rec(K);
    for (std::size_t b = 0; b < in.count; ++b) {
        const std::size_t id = in.ids[b];
        const Eigen::Map<const vec> x(in.input + b * N, n);
        // Forward, one global step at a time, every neuron.
        std::vector<vec> D(T, vec(static_cast<Eigen::Index>(w.H)));
        for (std::size_t t = 0; t < T; ++t) draws.initial_history(id, hidden_population, t, T, D[t].data(), w.H);
        std::vector<refractory_t> r(N, 0);
        vec s_prev = vec::Zero(n), u(n), rel(n);
        for (std::size_t k = 0; k < K; ++k) {
            step_record& e = rec[k];
            const std::size_t t = k % T;
            e.d_in = D[t];
            e.a3 = w.W3 * e.d_in + w.b3;
            e.z3 = e.a3.cwiseMax(0.0f);
            e.c = (w.W4 * e.z3 + w.b4).unaryExpr([](float a) { return sigmoid(a); });
            draws.membrane_noise(id, pixels_population, static_cast<std::int64_t>(k), u.data(), N);
            e.m = x.cwiseProduct(e.c) + u;
            e.r_before = r;
            e.s.assign(N, 0.0f);
            for (std::size_t i = 0; i < N; ++i) {
                const bool s = gust_fires(x[static_cast<Eigen::Index>(i)], e.c[static_cast<Eigen::Index>(i)],
                                          u[static_cast<Eigen::Index>(i)], r[i], w.theta);
                e.s[i] = s ? 1.0f : 0.0f;
                r[i] = gust_refractory_next(r[i], s, w.tau);
            }
            e.r_after = r;
            draws.release(id, release_projection, static_cast<std::int64_t>(k), rel.data(), N);
            e.released = rel.unaryExpr([&](float d) { return d < w.release_p ? 1.0f : 0.0f; });
            const Eigen::Map<const vec> s(e.s.data(), n);
            e.v = s + s_prev.cwiseProduct(e.released);
            e.a1 = w.W1 * e.v + w.b1;
            e.z1 = e.a1.cwiseMax(0.0f);
            e.h = (w.W2 * e.z1 + w.b2).unaryExpr([](float a) { return sigmoid(a); });
            D[t] = e.h;
            s_prev = s;
        }
        std::vector<float> ctx(T * N), d_loss(N);
        for (std::size_t t = 0; t < T; ++t)
            std::copy(rec[K - T + t].c.data(), rec[K - T + t].c.data() + N, ctx.begin() + static_cast<std::ptrdiff_t>(t * N));
        out.loss += receptive_field_loss(ctx.data(), in.clean + b * N, T, N, d_loss.data());

        // Backward, one global step at a time in reverse.
        std::vector<vec> dh(K, vec::Zero(static_cast<Eigen::Index>(w.H)));
        vec dv_next = vec::Zero(n), released_next = vec::Zero(n), dr = vec::Zero(n);
        for (std::size_t k = K; k-- > 0;) {
            const step_record& e = rec[k];
            const vec da2 = dh[k].cwiseProduct(e.h).cwiseProduct((1.0f - e.h.array()).matrix());
            dW2.noalias() += da2 * e.z1.transpose();
            db2 += da2;
            const vec da1 = (e.a1.array() > 0.0f).select(w.W2.transpose() * da2, 0.0f);
            dW1.noalias() += da1 * e.v.transpose();
            db1 += da1;
            const vec dv = w.W1.transpose() * da1;
            vec dc = vec::Zero(n);
            if (k >= K - T) dc = Eigen::Map<const vec>(d_loss.data(), n);
            for (std::size_t i = 0; i < N; ++i) {
                const auto j = static_cast<Eigen::Index>(i);
                const gust_step_gradient d =
                    gust_step_backward(dv[j] + released_next[j] * dv_next[j], dr[j], e.m[j], e.r_before[i],
                                       e.r_after[i], w.theta, w.tau, opt.surrogate_half_width);
                dr[j] = d.refractory_before;
                dc[j] += x[j] * d.membrane;
            }
            const vec da4 = dc.cwiseProduct(e.c).cwiseProduct((1.0f - e.c.array()).matrix());
            dW4.noalias() += da4 * e.z3.transpose();
            db4 += da4;
            const vec da3 = (e.a3.array() > 0.0f).select(w.W4.transpose() * da4, 0.0f);
            dW3.noalias() += da3 * e.d_in.transpose();
            db3 += da3;
            if (k >= T) dh[k - T] += w.W3.transpose() * da3;
            dv_next = dv;
            released_next = e.released;
        }
        for (const auto& e : rec)
            for (float s : e.s) out.spikes += s != 0.0f;
    }
    return out;
}

}  // namespace gust::learning
