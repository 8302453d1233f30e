#pragma once
// Copies of the rows of a stored sparse weight set that one image's run
// sums step after step, side by side in the order they were first asked for.
// A step's rows lie in short runs over the set, one per grid line across an
// object, and in runs that short the kernel waits on memory at each run's
// start: it reads a step's rows at half the speed of rows read front to back
// (docs/benchmarks.md, "Where a step's rows lie is what they cost"). An image
// is still for its whole run, so the steps ask for nearly the same rows, and
// in the copy those lie nearly back to back. The copy holds the same
// synapses in the same order, so every sum keeps its bits. Worth it only
// where the set is far larger than the caches (row_copies_pay).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/weight_matrix.hpp"
#include "neurons/graded_layer.hpp"

namespace gust::event_detail {

// Whether copying W's rows pays: W stored, sparse and of at least
// `from_bytes` (sim_options::copy_rows_from), so large that its rows come
// from memory at every step.
bool row_copies_pay(const weight_matrix& W, std::size_t from_bytes);

class row_copies {
public:
    // At most `capacity` synapses copied; the rows past it are read in place.
    row_copies(const weight_matrix& W, std::size_t capacity);

    // Forgets the copies, for a new image.
    void clear();

    // acc[i] += the sum of row rows[i] of W for i < n, rows ascending: the
    // same bits as accumulate_sparse_row_list, each row copied on its first
    // call (while the capacity lasts) and read from its copy afterwards.
    void accumulate(const std::uint32_t* rows, std::size_t n, const float* dense_in, float* acc);

    // f(source) for each synapse of each row rows[i], i < n, in order, the
    // rows copied on the way as accumulate() copies them: a list's sources
    // read side by side, then its sums from the same copies.
    template <class F>
    void for_each_source(const std::uint32_t* rows, std::size_t n, F&& f) {
        prepare();
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t r = rows[i];
            if (slot_[r] == 0 && fits(r)) copy(r);
            if (slot_[r] == 0) {
                W_.indices.for_each_in_row(r, W_.indptr[r], W_.indptr[r + 1], [&](std::uint32_t, std::uint32_t s) { f(s); });
                continue;
            }
            const std::uint32_t c = slot_[r] - 1;
            if (W_.indices.is_narrow()) {
                const std::uint32_t first = firsts_[c];
                for (std::uint32_t e = indptr_[c]; e < indptr_[c + 1]; ++e) f(first + offsets_[e]);
            } else {
                for (std::uint32_t e = indptr_[c]; e < indptr_[c + 1]; ++e) f(wide_[e]);
            }
        }
    }

    std::size_t copied_rows() const { return row_of_.size(); }
    std::size_t copied_synapses() const { return w_.size(); }

private:
    void prepare();  // room for the copies, on first use
    bool fits(std::uint32_t r) const { return w_.size() + (W_.indptr[r + 1] - W_.indptr[r]) <= capacity_; }
    void copy(std::uint32_t r);  // appends row r

    const weight_matrix& W_;
    std::size_t capacity_;
    std::vector<std::uint32_t> slot_;    // [row of W]: 1 + its copy's slot, or 0
    std::vector<std::uint32_t> row_of_;  // [slot]: the row of W copied there
    std::vector<std::uint32_t> indptr_;  // the copies' entries, as a set's
    std::vector<float> w_;
    std::vector<std::uint16_t> offsets_;
    std::vector<std::uint32_t> firsts_, wide_;
    // accumulate(): the rows read from copies (as slots) and in place.
    std::vector<std::uint32_t> slots_, in_place_, in_place_at_;
    std::vector<float> copied_acc_, in_place_acc_;
};

// One partition's copies of every weight set whose rows it sums by list,
// made on a set's first use where they pay. Each set's copies take at most
// an eighth of its synapses over all `partitions`, so an image's run holds
// at most 0.75 bytes per synapse more (6-byte synapses; 1 with 32-bit
// sources), whatever its objects.
class row_copies_by_set {
public:
    row_copies_by_set(std::size_t from_bytes, std::size_t partitions) : from_bytes_(from_bytes), partitions_(partitions) {}
    void clear();
    // The rows copied since clear(), of every set.
    std::size_t copied_rows() const;
    // acc[i] += the sum of row rows[i] of W for i < n, rows ascending: the
    // bits of accumulate_sparse_row_list.
    void accumulate(const weight_matrix& W, const std::uint32_t* rows, std::size_t n, const float* dense_in,
                    float* acc);
    // f(source) for each synapse of each row rows[i] of W, i < n, in order,
    // through the copies where they pay (row_copies::for_each_source).
    template <class F>
    void for_each_source(const weight_matrix& W, const std::uint32_t* rows, std::size_t n, F&& f) {
        if (row_copies* c = copies_of(W)) {
            c->for_each_source(rows, n, f);
            return;
        }
        for (std::size_t i = 0; i < n; ++i)
            W.indices.for_each_in_row(rows[i], W.indptr[rows[i]], W.indptr[rows[i] + 1],
                                      [&](std::uint32_t, std::uint32_t s) { f(s); });
    }

private:
    row_copies* copies_of(const weight_matrix& W);  // null where they do not pay

    std::size_t from_bytes_, partitions_;
    std::vector<std::pair<const weight_matrix*, std::unique_ptr<row_copies>>> sets_;  // null: does not pay
};

}  // namespace gust::event_detail
