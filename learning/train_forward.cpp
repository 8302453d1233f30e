#include "learning/train_forward.hpp"

#include <cmath>

#include "learning/loss.hpp"
#include "core/error.hpp"

namespace gust::learning {
namespace {

// Per-image state of the spiking layer that carries across cycles.
struct spiking_state {
    std::vector<refractory_t> r;                   // all pixels (only candidates ever change)
    std::vector<std::uint32_t> candidates;         // pixels with input, ascending
    std::vector<std::uint32_t> last_spikes;        // spikes of the previous step, ascending
};

}  // namespace

void train_forward(const train_weights& w, const image_inputs& in, const draw_source& draws,
                   const bptt_options& opt, forward_tape& tape) {
    forward_scratch scratch;
    train_forward(w, in, draws, opt, tape, scratch);
}

void train_forward(const train_weights& w, const image_inputs& in, const draw_source& draws,
                   const bptt_options& opt, forward_tape& tape, forward_scratch& scratch) {
    if (in.n != w.N)
        throw input_error("images have " + std::to_string(in.n) + " pixels, the model " + std::to_string(w.N));
    if (opt.cycles < 1) throw input_error("cycles must be positive");
    const std::size_t B = in.count, N = w.N, T = static_cast<std::size_t>(w.T);
    const int IT = opt.cycles;
    const auto cols = static_cast<Eigen::Index>(B * T);
    tape.images = B;
    tape.cycles = IT;
    tape.T = w.T;
    // Resized, not reassigned: a reused tape keeps its allocations.
    tape.dec1_out.resize(static_cast<std::size_t>(IT));
    tape.enc1_out.resize(static_cast<std::size_t>(IT - 1));
    tape.hidden.resize(static_cast<std::size_t>(IT - 1));
    tape.visits.resize(B);
    for (auto& v : tape.visits) v.clear();
    tape.input_ptr.assign(1, 0);
    tape.inputs.clear();
    tape.spikes = 0;

    tape.initial_hidden.resize(static_cast<Eigen::Index>(w.H), cols);
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < T; ++t)
            draws.initial_history(in.ids[b], hidden_population, t, T,
                                  tape.initial_hidden.col(static_cast<Eigen::Index>(b * T + t)).data(), w.H);

    // The candidates' rows of the context layer, packed once per image: in
    // every cycle but the last, only the candidates' context is computed
    // (their rows as a layer of their own, over the image's T decoder
    // outputs; each value is the bit of the full layer).
    std::vector<spiking_state> state(B);
    if (scratch.candidate_weights.size() < B) scratch.candidate_weights.resize(B);
    for (std::size_t b = 0; b < B; ++b) {
        state[b].r.assign(N, 0);
        const float* x = in.input + b * N;
        for (std::size_t i = 0; i < N; ++i)
            if (x[i] != 0.0f) state[b].candidates.push_back(static_cast<std::uint32_t>(i));
        if (IT > 1)
            scratch.candidate_weights[b].pack_rows(w.W4.data(), w.Md, state[b].candidates.data(),
                                                   state[b].candidates.size());
    }
    std::vector<std::uint32_t>& spikes_now = scratch.spikes_now;
    std::vector<float>& cand_ctx = scratch.candidate_context;
    std::vector<float> cand_bias;
    std::vector<column_input>& column = scratch.column;

    for (int it = 0; it < IT; ++it) {
        const bool last = it == IT - 1;
        const activation_matrix& d_in = it == 0 ? tape.initial_hidden : tape.hidden[static_cast<std::size_t>(it - 1)];
        activation_matrix& z3 = tape.dec1_out[static_cast<std::size_t>(it)];
        z3.resize(static_cast<Eigen::Index>(w.Md), cols);
        panel_layer(w.W3_panels, w.b3.data(), activation::relu, d_in.data(), B * T, z3.data(), scratch.layer);
        if (last) {
            // The loss needs every pixel's context in the last cycle.
            tape.context_last.resize(static_cast<Eigen::Index>(N), cols);
            panel_layer(w.W4_panels, w.b4.data(), activation::sigmoid, z3.data(), B * T, tape.context_last.data(),
                        scratch.layer);
        }

        // The spiking layer, step by step per image (cheap: only pixels with input).
        for (std::size_t b = 0; b < B; ++b) {
            spiking_state& st = state[b];
            const float* x = in.input + b * N;
            const std::size_t id = in.ids[b];
            const std::size_t nc = st.candidates.size();
            if (!last) {
                // The candidates' context at every phase of the cycle, before the steps.
                cand_bias.resize(nc);
                for (std::size_t j = 0; j < nc; ++j) cand_bias[j] = w.b4[st.candidates[j]];
                cand_ctx.resize(nc * T);
                panel_layer(scratch.candidate_weights[b], cand_bias.data(), activation::sigmoid,
                            z3.col(static_cast<Eigen::Index>(b * T)).data(), T, cand_ctx.data(), scratch.layer);
            }
            for (std::size_t t = 0; t < T; ++t) {
                const std::int64_t k = static_cast<std::int64_t>(it) * w.T + static_cast<std::int64_t>(t);
                const auto col = static_cast<Eigen::Index>(b * T + t);
                spikes_now.clear();
                for (std::size_t j = 0; j < nc; ++j) {
                    const std::uint32_t i = st.candidates[j];
                    const refractory_t r = st.r[i];
                    if (r >= 1) {  // gate closed: no spike, no gradient through m
                        st.r[i] = gust_refractory_next(r, false, w.tau);
                        continue;
                    }
                    const float c = last ? tape.context_last(i, col) : cand_ctx[t * nc + j];
                    const float u = draws.membrane_noise_at(id, pixels_population, k, i);
                    const float m = x[i] * c + u;
                    const bool s = gust_fires(x[i], c, u, r, w.theta);
                    const refractory_t r_after = gust_refractory_next(r, s, w.tau);
                    st.r[i] = r_after;
                    if (s) spikes_now.push_back(i);
                    if (s || in_threshold_window(m, w.theta, opt.surrogate_half_width))
                        tape.visits[b].push_back({static_cast<std::int32_t>(k), i, c, m, r, r_after, s});
                }
                // Encoder input s + q: this step's spikes, plus last step's spikes
                // released by the stochastic copy; ascending pixel order.
                column.clear();
                auto a = spikes_now.begin();
                for (std::uint32_t i : st.last_spikes) {
                    if (!(draws.release_at(id, release_projection, k, i) < w.release_p)) continue;
                    for (; a != spikes_now.end() && *a < i; ++a) column.push_back({*a, 1.0f});
                    if (a != spikes_now.end() && *a == i) {
                        column.push_back({i, 2.0f});
                        ++a;
                    } else {
                        column.push_back({i, 1.0f});
                    }
                }
                for (; a != spikes_now.end(); ++a) column.push_back({*a, 1.0f});
                tape.inputs.insert(tape.inputs.end(), column.begin(), column.end());
                tape.input_ptr.push_back(static_cast<std::uint32_t>(tape.inputs.size()));
                tape.spikes += spikes_now.size();
                st.last_spikes.swap(spikes_now);
            }
        }
        if (last) break;  // the last cycle's hidden vectors are never read

        activation_matrix& z1 = tape.enc1_out[static_cast<std::size_t>(it)];
        z1.resize(static_cast<Eigen::Index>(w.M), cols);
        for (Eigen::Index c = 0; c < cols; ++c) {
            float* acc = z1.col(c).data();
            for (std::size_t r = 0; r < w.M; ++r) acc[r] = w.b1[static_cast<Eigen::Index>(r)];
            const std::size_t g = tape.column(it, 0, 0) + static_cast<std::size_t>(c);
            accumulate_panels(w.W1_panels, tape.inputs.data() + tape.input_ptr[g],
                              tape.input_ptr[g + 1] - tape.input_ptr[g], acc, 0, w.M);
        }
        apply_activation(activation::relu, z1.data(), w.M * B * T);
        activation_matrix& h = tape.hidden[static_cast<std::size_t>(it)];
        h.resize(static_cast<Eigen::Index>(w.H), cols);
        panel_layer(w.W2_panels, w.b2.data(), activation::sigmoid, z1.data(), B * T, h.data(), scratch.layer);
    }

    tape.loss.assign(B, 0.0);
    tape.d_context.assign(B * N, 0.0f);
    std::vector<float> ctx(T * N);
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t t = 0; t < T; ++t) {
            const float* c = tape.context_last.col(static_cast<Eigen::Index>(b * T + t)).data();
            std::copy(c, c + N, ctx.begin() + static_cast<std::ptrdiff_t>(t * N));
        }
        tape.loss[b] = receptive_field_loss(ctx.data(), in.clean + b * N, T, N, tape.d_context.data() + b * N);
    }
}

}  // namespace gust::learning
