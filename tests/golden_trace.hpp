#pragma once
// Test-only access to the reference traces in tests/fixtures/golden: the
// published implementation's weights, inputs, every random draw it made, and
// what it computed. recorded_draws injects those draws into a backend.
#include <string>
#include <vector>

#include "io/h5.hpp"
#include "io/model_file.hpp"
#include "sim/draw_source.hpp"

namespace gust::test {

struct golden_trace {
    std::size_t B = 0, IT = 0, T = 0, N = 0, H = 0;
    gust_model model;
    std::vector<float> x, x_clean, hidden0;          // [B,N], [B,N], [B,T,H]
    std::vector<float> decay, noise;                 // [IT,T,B,N]
    std::vector<float> ctx, spike, rfr;              // [IT,T,B,N]
    std::vector<float> out_hidden;                   // [B,T,H]

    std::size_t at(std::int64_t step, std::size_t b) const {  // offset of [it,t,b,0]
        return (static_cast<std::size_t>(step) * B + b) * N;
    }
};

inline std::string golden_path(const std::string& name) {
    return std::string(GUST_FIXTURES) + "/golden/" + name;
}

inline golden_trace load_golden(const std::string& name) {
    h5::file f = h5::open_read(golden_path(name));
    golden_trace g;
    g.B = static_cast<std::size_t>(h5::read_attr_number(f, "/", "B"));
    g.IT = static_cast<std::size_t>(h5::read_attr_number(f, "/", "IT"));
    g.T = static_cast<std::size_t>(h5::read_attr_number(f, "/", "T"));
    read_model_weights(f, "/weights", g.model);
    g.model.T = static_cast<int>(g.T);
    g.N = g.model.n_pixels();
    g.H = g.model.n_hidden();
    g.x = h5::read<float>(f, "/input/x", {g.B, g.N});
    g.x_clean = h5::read<float>(f, "/input/x_clean", {g.B, g.N});
    g.hidden0 = h5::read<float>(f, "/input/hidden0", {g.B, g.T, g.H});
    g.decay = h5::read<float>(f, "/rand/decay", {g.IT, g.T, g.B, g.N});
    g.noise = h5::read<float>(f, "/rand/noise", {g.IT, g.T, g.B, g.N});
    g.ctx = h5::read<float>(f, "/trace/ctx", {g.IT, g.T, g.B, g.N});
    g.spike = h5::read<float>(f, "/trace/spike", {g.IT, g.T, g.B, g.N});
    g.rfr = h5::read<float>(f, "/trace/rfr", {g.IT, g.T, g.B, g.N});
    g.out_hidden = h5::read<float>(f, "/out/hidden", {g.B, g.T, g.H});
    return g;
}

// The reference's draws, served by (image = batch position, step).
class recorded_draws final : public draw_source {
public:
    explicit recorded_draws(const golden_trace& g) : g_(g) {}
    void membrane_noise(std::size_t image, std::size_t, std::int64_t step, float* out,
                        std::size_t n) const override {
        std::copy_n(g_.noise.begin() + static_cast<std::ptrdiff_t>(g_.at(step, image)), n, out);
    }
    void release(std::size_t image, std::size_t, std::int64_t step, float* out,
                 std::size_t n) const override {
        std::copy_n(g_.decay.begin() + static_cast<std::ptrdiff_t>(g_.at(step, image)), n, out);
    }
    float membrane_noise_at(std::size_t image, std::size_t, std::int64_t step, std::size_t unit) const override {
        return g_.noise[g_.at(step, image) + unit];
    }
    float release_at(std::size_t image, std::size_t, std::int64_t step, std::size_t unit) const override {
        return g_.decay[g_.at(step, image) + unit];
    }
    void initial_history(std::size_t image, std::size_t, std::size_t slot, std::size_t, float* out,
                         std::size_t n) const override {
        std::copy_n(g_.hidden0.begin() + static_cast<std::ptrdiff_t>((image * g_.T + slot) * g_.H), n, out);
    }

private:
    const golden_trace& g_;
};

}  // namespace gust::test
