#include "learning/backward_events.hpp"

namespace gust::learning {

using const_vector_view = Eigen::Map<const Eigen::VectorXf>;

void backward_events(const train_weights& w, const forward_tape& tape, const image_inputs& in,
                     const draw_source& draws, const bptt_options& opt, gradient_accumulator& acc,
                     backward_workspace& ws) {
    const std::size_t B = tape.images, N = w.N, T = static_cast<std::size_t>(tape.T);
    const int IT = tape.cycles;
    const std::int32_t steps = IT * tape.T;
    const auto cols = static_cast<Eigen::Index>(B * T);
    const auto M = static_cast<Eigen::Index>(w.M), H = static_cast<Eigen::Index>(w.H),
               Md = static_cast<Eigen::Index>(w.Md);

    Eigen::MatrixXf& dW1_columns = acc.dW1_columns;
    row_major_matrix &dW2 = acc.dW2, &dW3 = acc.dW3, &dW4 = acc.dW4;
    Eigen::VectorXf &db1 = acc.db1, &db2 = acc.db2, &db3 = acc.db3, &db4 = acc.db4;

    activation_matrix &dH = ws.dH, &dA1 = ws.dA1, &dA1_next = ws.dA1_next, &dA2 = ws.dA2, &dZ3 = ws.dZ3,
                      &dA4 = ws.dA4;
    dH.setZero(H, cols);  // d loss / d hidden of this cycle
    dA1.resize(M, cols);
    dA1_next.resize(M, cols);
    dA2.resize(H, cols);
    dZ3.resize(Md, cols);
    bool have_dA1_next = false;

    std::vector<refractory_carry>& carry = ws.carry;
    carry.resize(B);
    for (auto& c : carry) c.reset(N);
    std::vector<std::size_t>& cursor = ws.cursor;
    cursor.resize(B);
    for (std::size_t b = 0; b < B; ++b) cursor[b] = tape.visits[b].size();
    auto& dA4_rows = ws.dA4_rows;

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
            add_row_sums(dA2, db2);
            dA1.noalias() = w.W2.transpose() * dA2;
            dA1 = (z1.array() > 0.0f).select(dA1, 0.0f);
            add_row_sums(dA1, db1);
            // Only pixels that delivered something (a spike, a released copy).
            for (Eigen::Index c = 0; c < cols; ++c) {
                const std::size_t g = tape.column(it, 0, 0) + static_cast<std::size_t>(c);
                for (std::uint32_t e = tape.input_ptr[g]; e < tape.input_ptr[g + 1]; ++e)
                    dW1_columns.col(tape.inputs[e].source) += tape.inputs[e].value * dA1.col(c);
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
                const gust_step_gradient d =
                    gust_step_backward(ds, rc.after(v.neuron, v.step), v.membrane, v.r_before, v.r_after, w.theta,
                                       w.tau, opt.surrogate_half_width);
                rc.value[v.neuron] = d.refractory_before;
                rc.step[v.neuron] = v.step;
                rc.r_before[v.neuron] = v.r_before;
                const float dc = x[v.neuron] * d.membrane;
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
            add_row_sums(dA4, db4);
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
            add_row_sums(dZ3, db3);
            const activation_matrix& d_in = it == 0 ? tape.initial_hidden : tape.hidden[c_idx - 1];
            dW3.noalias() += dZ3 * d_in.transpose();
            if (it > 0) dH.noalias() = w.W3.transpose() * dZ3;  // into the previous cycle's hidden
        } else {
            dH.setZero();  // nothing in this cycle depended on the previous one's hidden
        }

        std::swap(dA1, dA1_next);
        have_dA1_next = has_encoder;
    }

}

}  // namespace gust::learning
