#include "learning/backward_events.hpp"

namespace gust::learning {
namespace {

using vector_view = Eigen::Map<Eigen::VectorXf>;
using const_vector_view = Eigen::Map<const Eigen::VectorXf>;

vector_view vec(std::vector<float>& v) { return {v.data(), static_cast<Eigen::Index>(v.size())}; }
weights_view mat(std::vector<float>& v, std::size_t rows, std::size_t cols) {
    return {v.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)};
}

// The refractory chain's gradient of one neuron, carried backwards in time:
// d loss / d r_before at the latest visited step (see surrogates.hpp).
struct refractory_carry {
    std::vector<float> value;
    std::vector<std::int32_t> step;       // -1: nothing carried
    std::vector<refractory_t> r_before;

    explicit refractory_carry(std::size_t n) : value(n, 0.0f), step(n, -1), r_before(n, 0) {}

    // d loss / d r_after at step k of neuron i. Between two visited steps the
    // neuron neither spikes nor enters the window, so the gate term is zero
    // and r decreases by one per step: the chain from step k2 back to k
    // survives iff every r_after in (k, k2) is > 0, i.e. iff r_before(k2) > 0
    // (or there is no step in between).
    float after(std::uint32_t i, std::int32_t k) const {
        if (step[i] < 0) return 0.0f;
        return (step[i] == k + 1 || r_before[i] > 0) ? value[i] : 0.0f;
    }
};

}  // namespace

void backward_events(const train_weights& w, const forward_tape& tape, const image_inputs& in,
                     const draw_source& draws, const bptt_options& opt, model_gradients& grad) {
    const std::size_t B = tape.images, N = w.N, T = static_cast<std::size_t>(tape.T);
    const int IT = tape.cycles;
    const std::int32_t steps = IT * tape.T;
    const auto cols = static_cast<Eigen::Index>(B * T);
    const auto M = static_cast<Eigen::Index>(w.M), H = static_cast<Eigen::Index>(w.H),
               Md = static_cast<Eigen::Index>(w.Md);

    auto dW2 = mat(grad.enc2.weight, w.H, w.M);
    auto dW3 = mat(grad.dec1.weight, w.Md, w.H);
    auto dW4 = mat(grad.dec2.weight, w.N, w.Md);
    auto db1 = vec(grad.enc1.bias), db2 = vec(grad.enc2.bias), db3 = vec(grad.dec1.bias),
         db4 = vec(grad.dec2.bias);
    // dW1 by column (pixel), contiguous: added to the row-major gradient at the end.
    Eigen::MatrixXf dW1T = Eigen::MatrixXf::Zero(M, static_cast<Eigen::Index>(N));

    activation_matrix dH = activation_matrix::Zero(H, cols);  // d loss / d hidden of this cycle
    activation_matrix dA1(M, cols), dA1_next(M, cols), dA2(H, cols), dZ3(Md, cols), dA4;
    bool have_dA1_next = false;

    std::vector<refractory_carry> carry(B, refractory_carry(N));
    std::vector<std::size_t> cursor(B);
    for (std::size_t b = 0; b < B; ++b) cursor[b] = tape.visits[b].size();
    struct sparse_entry {
        Eigen::Index col;
        std::uint32_t row;
        float value;
    };
    std::vector<sparse_entry> dA4_rows;

    auto w1_dot = [&](std::uint32_t i, const activation_matrix& d, Eigen::Index col) {
        return const_vector_view(w.w1_column(i), M).dot(d.col(col));
    };

    for (int it = IT - 1; it >= 0; --it) {
        const bool last = it == IT - 1;
        const bool has_encoder = !last;  // this cycle's hidden vectors are read by the next one
        const auto c_idx = static_cast<std::size_t>(it);

        if (has_encoder) {
            const activation_matrix& h = tape.hidden[c_idx];
            const activation_matrix& z1 = tape.enc1_out[c_idx];
            dA2 = dH.cwiseProduct(h).cwiseProduct((1.0f - h.array()).matrix());
            dW2.noalias() += dA2 * z1.transpose();
            db2.noalias() += dA2.rowwise().sum();
            dA1.noalias() = w.W2.transpose() * dA2;
            dA1 = (z1.array() > 0.0f).select(dA1, 0.0f);
            db1.noalias() += dA1.rowwise().sum();
            // Only pixels that delivered something (a spike, a released copy).
            for (Eigen::Index c = 0; c < cols; ++c) {
                const std::size_t g = tape.column(it, 0, 0) + static_cast<std::size_t>(c);
                for (std::uint32_t e = tape.input_ptr[g]; e < tape.input_ptr[g + 1]; ++e)
                    dW1T.col(tape.inputs[e].source) += tape.inputs[e].value * dA1.col(c);
            }
        }

        // The spiking layer: visited (neuron, step) pairs of this cycle, latest first.
        if (last) {
            dA4.resize(static_cast<Eigen::Index>(N), cols);
            for (std::size_t b = 0; b < B; ++b)
                for (std::size_t t = 0; t < T; ++t)
                    dA4.col(static_cast<Eigen::Index>(b * T + t)) =
                        const_vector_view(tape.d_context.data() + b * N, static_cast<Eigen::Index>(N));
        }
        dA4_rows.clear();
        const std::int32_t first_step = it * tape.T;
        for (std::size_t b = 0; b < B; ++b) {
            const auto& visits = tape.visits[b];
            const float* x = in.input + b * N;
            const std::size_t id = in.ids[b];
            refractory_carry& rc = carry[b];
            while (cursor[b] > 0 && visits[cursor[b] - 1].step >= first_step) {
                const visited_step& v = visits[--cursor[b]];
                const std::size_t t = static_cast<std::size_t>(v.step - first_step);
                const auto col = static_cast<Eigen::Index>(b * T + t);
                float ds = 0.0f;
                if (has_encoder) ds += w1_dot(v.neuron, dA1, col);
                // The copy of this step's spike, delivered at k+1 with release b_{k+1}.
                const std::int32_t k1 = v.step + 1;
                if (k1 < steps) {
                    const int cycle1 = k1 / tape.T;
                    const bool read = cycle1 < IT - 1 && (cycle1 == it || have_dA1_next);
                    if (read && draws.release_at(id, release_projection, k1, v.neuron) < w.release_p) {
                        const auto col1 = static_cast<Eigen::Index>(b * T + static_cast<std::size_t>(k1 % tape.T));
                        ds += w1_dot(v.neuron, cycle1 == it ? dA1 : dA1_next, col1);
                    }
                }
                // Refractory chain: r_after = max(0, r_before - 1 + tau s).
                const float dr_after = rc.after(v.neuron, v.step);
                const bool passes = refractory_update_passes(v.r_after);
                if (passes) ds += static_cast<float>(w.tau) * dr_after;
                const bool window = in_threshold_window(v.membrane, w.theta, opt.surrogate_half_width);
                const float dm = window ? ds * (v.r_before < 1 ? 1.0f : 0.0f) : 0.0f;
                // s = H(m - theta) g(-r): ds/dr = -H(m - theta) g'(-r) (H = 1 exactly when it spiked).
                const float gate = v.spiked ? refractory_gate_slope(v.r_before) : 0.0f;
                rc.value[v.neuron] = (passes ? dr_after : 0.0f) - gate * ds;
                rc.step[v.neuron] = v.step;
                rc.r_before[v.neuron] = v.r_before;
                const float dc = x[v.neuron] * dm;
                if (dc == 0.0f) continue;
                if (last) dA4(v.neuron, col) += dc;
                else dA4_rows.push_back({col, v.neuron, dc * v.context * (1.0f - v.context)});
            }
        }

        // The decoder.
        const activation_matrix& z3 = tape.dec1_out[c_idx];
        if (last) {
            const activation_matrix& c = tape.context_last;
            dA4 = dA4.cwiseProduct(c).cwiseProduct((1.0f - c.array()).matrix());
            dW4.noalias() += dA4 * z3.transpose();
            db4.noalias() += dA4.rowwise().sum();
            dZ3.noalias() = w.W4.transpose() * dA4;
        } else {
            dZ3.setZero();
            for (const auto& e : dA4_rows) {
                dW4.row(e.row) += e.value * z3.col(e.col).transpose();
                db4[e.row] += e.value;
                dZ3.col(e.col) += e.value * w.W4.row(e.row).transpose();
            }
        }
        if (last || !dA4_rows.empty()) {
            dZ3 = (z3.array() > 0.0f).select(dZ3, 0.0f);  // now dA3
            db3.noalias() += dZ3.rowwise().sum();
            const activation_matrix& d_in = it == 0 ? tape.initial_hidden : tape.hidden[c_idx - 1];
            dW3.noalias() += dZ3 * d_in.transpose();
            if (it > 0) dH.noalias() = w.W3.transpose() * dZ3;  // into the previous cycle's hidden
        } else {
            dH.setZero();  // nothing in this cycle depended on the previous one's hidden
        }

        std::swap(dA1, dA1_next);
        have_dA1_next = has_encoder;
    }

    float* g1 = grad.enc1.weight.data();
    for (std::size_t r = 0; r < w.M; ++r)
        for (std::size_t i = 0; i < N; ++i) g1[r * N + i] += dW1T(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i));
}

}  // namespace gust::learning
