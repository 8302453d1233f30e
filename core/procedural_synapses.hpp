#pragma once
// A local projection whose synapses are not stored (`procedural = true`,
// docs/network.md): every synapse is regenerated from the counter-based hash
// of core/synapse_hash.hpp whenever it is read, as GeNN's procedural
// connectivity does, so the set costs a few kilobytes however many synapses
// it has.
//
// Target row r takes each candidate source s of its receptive field
// (core/local_window.hpp) independently, with probability min(1, fan_in /
// candidates), and its initial weight is U(-g/sqrt(fan_in), g/sqrt(fan_in))
// (or 0): both pure functions of (seed, set, r, s). A stored set drawn the
// same way (`draw = "independent"`) holds exactly these synapses with these
// weights, and the kernels visit them in the same order (ascending source
// within a row, ascending row within a source), so the two give the same
// bits. Only an untrained set can be procedural: its weights are its rule.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/local_window.hpp"
#include "core/synapse_hash.hpp"

namespace gust {

struct procedural_synapses {
    std::uint64_t seed = 0;  // the model's initialisation seed
    std::uint32_t set = 0;   // the weight set's index (k-th projection that owns one)
    std::size_t fan_in = 0;
    float bound = 0, gain = 1;
    bool zero = false;       // init = "zero"
    local_window window;
    synapse_hash hash;

    procedural_synapses(std::uint64_t seed, std::uint32_t set, std::size_t rows, std::size_t cols, std::size_t radius,
                        double aspect, std::size_t fan_in, float gain, bool zero);

    std::size_t rows() const { return window.rows; }
    std::size_t cols() const { return window.cols; }

    // A field's candidate count by its parts, for testing a source's targets
    // in 32-bit lanes: target grid row ty's field covers full_rows[ty] whole
    // source grid rows, and the last (partial) one if reaches_last[ty];
    // target grid column tx's covers columns[tx] columns, last_columns[tx]
    // of them in the last source grid row. count(field_at(ty, tx)) =
    // full_rows x columns + reaches_last x last_columns.
    std::vector<std::uint32_t> full_rows, reaches_last, columns, last_columns;
    // The widest field, away from the grid's edges: widest_rows whole grid
    // rows of widest_columns, and its threshold (most fields are this one).
    std::uint32_t widest_rows = 0, widest_columns = 0, widest_threshold = 0;
    // No field has more candidates: at most one partial grid row beyond
    // the widest's whole ones, none wider.
    std::size_t candidates_bound() const { return (std::size_t(widest_rows) + 1) * widest_columns; }

    // p x 2^24 for a field: a candidate is a synapse where the top 24 bits
    // of its presence draw fall below it:
    // floor(fan_in x 2^24 / candidates), or 2^24 (all) when candidates <= fan_in.
    std::uint32_t threshold(const local_window::span& f) const {
        const std::size_t n = window.count(f);
        if (n <= fan_in) return std::uint32_t{1} << 24;
        return static_cast<std::uint32_t>((std::uint64_t(fan_in) << 24) / n);
    }
    // The same test without the division, where each candidate has a field
    // of its own (a source's targets): for integers, a < floor(F 2^24 / n)
    // exactly when (a + 1) n <= F 2^24, and when n <= F both hold for every
    // a < 2^24.
    bool present(std::uint32_t presence_draw, std::uint32_t candidates) const {
        return std::uint64_t(synapse_hash::top24(presence_draw) + 1) * candidates <= std::uint64_t(fan_in) << 24;
    }

    // The weight of a synapse whose weight draw is h: written once, so the
    // stored twin's values are these bits.
    float weight(std::uint32_t h) const {
        if (zero) return 0.0f;
        float w = (2.0f * synapse_hash::uniform(h) - 1.0f) * bound;
        if (gain != 1.0f) w *= gain;
        return w;
    }
    float weight_at(std::size_t r, std::uint32_t s) const {
        return weight(synapse_hash::draw(synapse_hash::row_key(hash.weight_key, static_cast<std::uint32_t>(r)), s));
    }

    // f(s, w) for each synapse of target row r, ascending s.
    template <class F>
    void for_each_in_row(std::size_t r, F&& f) const {
        const std::uint32_t t = threshold(window.field(r));
        const std::uint32_t kp = synapse_hash::row_key(hash.presence_key, static_cast<std::uint32_t>(r));
        const std::uint32_t kw = synapse_hash::row_key(hash.weight_key, static_cast<std::uint32_t>(r));
        window.for_each_candidate(r, [&](std::uint32_t s) {
            if (synapse_hash::top24(synapse_hash::draw(kp, s)) < t) f(s, weight(synapse_hash::draw(kw, s)));
        });
    }

    // Up to 16 consecutive target rows from `first`: bit i of keep is set
    // where row first + i takes the source.
    struct target_run {
        std::uint32_t first, keep;
    };
    // Appends to out the runs of source s's targets within [row_begin,
    // row_end) that hold at least one, ascending. The candidates of each
    // run (one target grid row's, sixteen at a time) are tested together
    // in vector lanes (each has a field, a count and two hashes of its
    // own), and all of a source's runs in one loop, so that their chains
    // of operations overlap.
    void target_runs(std::uint32_t s, std::size_t row_begin, std::size_t row_end, std::vector<target_run>& out) const;

    // g(first, keep) for each of target_runs. The runs are held per thread
    // and per g's type, so g must not look up targets with its own type again.
    template <class G>
    void for_each_target_mask(std::uint32_t s, std::size_t row_begin, std::size_t row_end, G&& g) const {
        thread_local std::vector<target_run> runs;
        runs.clear();
        target_runs(s, row_begin, row_end, runs);
        for (const target_run& t : runs) g(std::size_t(t.first), t.keep);
    }

    // f(r) for each target row in [row_begin, row_end) that source s reaches, ascending.
    template <class F>
    void for_each_target(std::uint32_t s, std::size_t row_begin, std::size_t row_end, F&& f) const {
        for_each_target_mask(s, row_begin, row_end, [&](std::size_t first, std::uint32_t keep) {
            for (; keep != 0; keep &= keep - 1) f(first + static_cast<std::size_t>(std::countr_zero(keep)));
        });
    }

    // acc[r] += v x weight_at(r, s) for each target row r in [row_begin,
    // row_end) of source s: a spike's (or a changed value's) terms scattered.
    void add_to_targets(std::uint32_t s, float v, float* acc, std::size_t row_begin, std::size_t row_end) const;

    // acc + the sum of row r over the non-zero entries of `in`, in the
    // canonical order (ascending source, zero inputs skipped).
    float row_sum(std::size_t r, const float* in, float acc) const;
    // acc[i] = row_sum(rows[i], in, acc[i]) for i < n, the same bits, eight rows at a time.
    void rows_sum(std::size_t n, const std::size_t* rows, const float* in, float* acc) const;

    // Row r's synapses, ascending (for_each_in_row's), drawn in vector lanes.
    void row_synapses(std::size_t r, std::vector<std::uint32_t>& sources, std::vector<float>& weights) const;
    // Row r's sources alone, the same list, without drawing a weight.
    void row_sources(std::size_t r, std::vector<std::uint32_t>& sources) const;

    // The number of synapses of source s (its targets), by enumeration.
    std::size_t out_degree(std::uint32_t s) const;
    // The expected number of synapses: the sum over rows of candidates x p.
    double expected_synapses() const;
};

}  // namespace gust
