#pragma once
// Demand-driven graded populations (advance::demand_rows): never computed
// whole; a row is computed when a reader needs it, in the kernels' order,
// pulling the rows it reads from demand-driven sources in turn. The spiking
// population asks for the context rows of its candidates only. Rows of a
// population read by other demand-driven ones are kept for the step, per
// partition, so that partitions never share a write.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/event_backend.hpp"
#include "sim/event_image_state.hpp"
#include "sim/event_schedule.hpp"
#include "sim/row_set.hpp"

namespace gust::event_detail {

class demand_rows {
public:
    explicit demand_rows(const event_setup& s);

    // Forgets the kept rows, for a new image.
    void reset();

    // Row i of population p at step k, for partition q. A population that
    // is not demand-driven, or at rest, is read from its output.
    float row(std::size_t p, std::int64_t k, std::size_t i, std::size_t q, event_image_state& state);

    // The rows `ids` of p at step k into out, for partition q: the same bits
    // as row(), summed eight rows at a time.
    void rows(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids, std::vector<float>& out,
              std::size_t q, event_image_state& state);

    // For observers: the rows of p some partition computed at step k into
    // out (p demand-driven, read by other demand-driven populations); the
    // other entries are left alone.
    void kept_rows(std::size_t p, std::int64_t k, float* out) const;
    // Adds the rows computed to be kept since reset() to st.pulled_rows, and
    // the rows summed from lists and their runs to st.listed_rows and runs.
    void add_counts(event_stats& st) const;

private:
    // rows() of a demand-driven population not at rest, without keeping them.
    void compute(std::size_t p, std::int64_t k, const std::vector<std::uint32_t>& ids, std::vector<float>& out,
                 std::size_t q, event_image_state& state);
    // Computes and keeps the rows of p (demand-driven, not at rest) that the
    // rows `readers` of W read.
    void fill(std::size_t p, std::int64_t k, const weight_matrix& W, const std::vector<std::uint32_t>& readers,
              std::size_t q, event_image_state& state);

    // Rows of one population computed at one step: a bit per row, not a
    // step per row, as the test of every source a reader's rows name is
    // the dearest part of listing them (at 2.56 M rows, 320 KB against
    // 20 MB).
    struct row_cache {
        bool kept = false;               // the population's rows are kept
        std::int64_t step = -1;          // the step `done` and `value` hold
        row_set done;                    // the rows computed at `step`
        std::vector<float> value;        // their values
        row_set listing;                 // fill(): the rows still to compute,
        std::vector<std::uint32_t> need;  // then listed,
        std::vector<float> sums;          // and their values

        // The rows computed at step k (none yet if k is a new step).
        row_set& at(std::int64_t k) {
            if (step != k) {
                done.clear();
                step = k;
            }
            return done;
        }
    };

    const event_setup& s_;
    const network& net_;
    const population_schedule& schedule_;
    std::vector<std::vector<row_cache>> kept_;  // [partition][population]; empty unless kept
    std::vector<std::uint64_t> pulled_;         // [partition]: rows computed and kept since reset()
    std::vector<listed_counts> listed_;         // [partition]: since reset()
    // [population]: whether its rows can be summed in batches (every
    // demand-driven source reached through sparse weights, its rows kept).
    std::vector<char> batched_;
};

}  // namespace gust::event_detail
