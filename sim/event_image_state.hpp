#pragma once
// What the event backend knows about one image at the current step, read
// and written by the updaters of sim/event_image_sim.hpp: each population's
// past outputs, whether each history slot holds the rest value, which rows
// changed at each slot, and this step's input of every afferent group.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "neurons/graded_layer.hpp"
#include "sim/draw_source.hpp"
#include "sim/event_setup.hpp"
#include "sim/history.hpp"

namespace gust::event_detail {

// This step's input of one afferent group (sim/input_gatherer.hpp).
struct group_input {
    std::vector<column_input> columns;  // this step's non-zero inputs, ascending
    const float* dense_input = nullptr; // the same as a vector (sparse rows read it)
    std::vector<float> scratch;         // summed graded inputs / scattered spikes
    std::vector<std::uint32_t> scattered;  // spiking sources: entries of scratch set this step
    bool at_rest = true;
    bool columns_ready = true;           // graded sources: `columns` lists dense_input's non-zeros
};

// Rows of a population recomputed at one step (the others held their rest
// value), or all of them. Listed per partition (each list ascending and
// inside its partition's range) so that partitions find and compute their
// rows in parallel.
struct changed_rows {
    bool all = false;
    std::vector<std::vector<std::uint32_t>> rows;  // [partition]
};

class event_image_state {
public:
    explicit event_image_state(const event_setup& s) : rest_(s.rest.value), hist_(s.net) {
        const std::size_t n = s.net.populations.size();
        rest_flag_.resize(n);
        changed_.resize(n);
        inputs_.resize(n);
        for (std::size_t p = 0; p < n; ++p) {
            rest_flag_[p].assign(static_cast<std::size_t>(s.net.max_delay_from(p) + 1), 0);
            changed_[p].resize(rest_flag_[p].size());
            for (auto& c : changed_[p]) c.rows.resize(s.plan.partitions);
            inputs_[p].resize(s.plan.groups[p].size());
        }
    }

    // A new image: its pixels and its initial history.
    void reset(std::size_t image, const float* x, const draw_source& draws) {
        image_ = image;
        x_ = x;
        hist_.reset(image, draws);
        for (auto& flags : rest_flag_) std::fill(flags.begin(), flags.end(), 0);
        for (auto& slots : changed_)  // the history before step 0 is not the rest state
            for (auto& c : slots) {
                c.all = true;
                for (auto& rows : c.rows) rows.clear();
            }
    }

    std::size_t image() const { return image_; }
    const float* pixels() const { return x_; }

    // The history slot of population p that holds step k.
    std::size_t slot(std::size_t p, std::int64_t k) const {
        const std::int64_t d = static_cast<std::int64_t>(rest_flag_[p].size());
        return static_cast<std::size_t>(((k % d) + d) % d);
    }
    bool at_rest(std::size_t p, std::int64_t k) const { return rest_flag_[p][slot(p, k)] != 0; }
    void set_at_rest(std::size_t p, std::int64_t k, bool rest) { rest_flag_[p][slot(p, k)] = rest; }

    // Population p's output at step k: its rest value, or what was computed.
    const float* output(std::size_t p, std::int64_t k) { return at_rest(p, k) ? rest_[p].data() : hist_.at(p, k); }
    // Where population p's output at step k is computed.
    float* layer(std::size_t p, std::int64_t k) { return hist_.at(p, k); }

    changed_rows& changed(std::size_t p, std::int64_t k) { return changed_[p][slot(p, k)]; }

    group_input& input(std::size_t p, std::size_t group) { return inputs_[p][group]; }
    const group_input& input(std::size_t p, std::size_t group) const { return inputs_[p][group]; }

private:
    const std::vector<std::vector<float>>& rest_;  // rest value per population
    population_history hist_;
    std::vector<std::vector<char>> rest_flag_;        // per population and history slot
    std::vector<std::vector<changed_rows>> changed_;  // per population and history slot
    std::vector<std::vector<group_input>> inputs_;    // per population and afferent group
    std::size_t image_ = 0;
    const float* x_ = nullptr;
};

}  // namespace gust::event_detail
