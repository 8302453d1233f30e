#pragma once
// The source unit of each synapse of a sparse (CSR) weight set. Stored
// narrow where every row's sources lie within 2^16 of the row's first one,
// as a local receptive field's do: a 16-bit offset per synapse and the
// first source of each row, so that a synapse takes 6 bytes with its weight
// instead of 8, and a row's sum reads a quarter fewer bytes. Stored wide (32
// bits per synapse) otherwise. A synapse is named by its row and its entry
// e in the weight set's values (indptr[row] <= e < indptr[row + 1]).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gust {

class synapse_sources {
public:
    synapse_sources() = default;
    // Wide, from the sources listed row by row.
    synapse_sources(std::vector<std::uint32_t> wide) : wide_(std::move(wide)) {}  // NOLINT: a list converts

    // Narrows in place where every row of indptr fits and the narrow form
    // takes fewer bytes (more than two synapses per row: a row's first
    // source takes 4); otherwise leaves it wide. Idempotent.
    void narrow(const std::vector<std::uint32_t>& indptr);
    // Whether the rows [lo, hi) of indptr fit the narrow form.
    bool rows_fit(const std::vector<std::uint32_t>& indptr, std::size_t lo, std::size_t hi) const;
    // The bytes n sources over `rows` rows take once narrow() has run, where
    // their rows fit or not.
    static std::size_t bytes_of(std::size_t n, std::size_t rows, bool fit);

    bool is_narrow() const { return narrow_; }
    std::size_t size() const { return narrow_ ? offset_.size() : wide_.size(); }
    bool empty() const { return size() == 0; }
    std::uint32_t at(std::size_t row, std::size_t e) const { return narrow_ ? first_[row] + offset_[e] : wide_[e]; }
    // f(e, source) for the entries [begin, end) of row `row`, in order: the
    // form is chosen once per row, not per synapse, for loops that run hot.
    template <class F>
    void for_each_in_row(std::size_t row, std::uint32_t begin, std::uint32_t end, F&& f) const {
        if (narrow_) {
            const std::uint32_t first = first_[row];
            for (std::uint32_t e = begin; e < end; ++e) f(e, first + offset_[e]);
        } else {
            for (std::uint32_t e = begin; e < end; ++e) f(e, wide_[e]);
        }
    }

    // The arrays behind it, for the kernels: wide() if !is_narrow(), else
    // offsets() and firsts() (one per row).
    const std::uint32_t* wide() const { return wide_.data(); }
    const std::uint16_t* offsets() const { return offset_.data(); }
    const std::uint32_t* firsts() const { return first_.data(); }

    // Every source as 32 bits, row by row (for other programs).
    std::vector<std::uint32_t> widened(const std::vector<std::uint32_t>& indptr) const;
    // The sources of entries [at, at + n) as 32 bits into out: a file is
    // written a slab at a time, with no 32-bit copy of the whole set.
    void widen(const std::vector<std::uint32_t>& indptr, std::size_t at, std::size_t n, std::uint32_t* out) const;
    std::size_t bytes() const;

    // The same sources (in either form) at every entry of indptr's rows.
    bool same(const synapse_sources& o, const std::vector<std::uint32_t>& indptr) const;

private:
    friend class synapse_sources_builder;
    bool narrow_ = false;
    std::vector<std::uint32_t> wide_;
    std::vector<std::uint16_t> offset_;
    std::vector<std::uint32_t> first_;
};

// Takes a set's 32-bit sources slab by slab, in entry order (a file's,
// read a slab at a time), and keeps them narrow as they come while every
// row fits: no 32-bit copy of the whole set is held. At the first entry
// that does not fit, what it has is widened and the rest kept wide. The
// result is the form narrow() gives the whole list.
class synapse_sources_builder {
public:
    // indptr: rising from 0 to its last entry, the number of sources.
    explicit synapse_sources_builder(const std::vector<std::uint32_t>& indptr);
    void append(const std::uint32_t* sources, std::size_t n);  // the next n
    synapse_sources finish();  // once every source is appended

private:
    void widen_taken();
    const std::vector<std::uint32_t>& indptr_;
    synapse_sources s_;
    std::size_t taken_ = 0, row_ = 0;  // entries appended; the row of the next one
};

}  // namespace gust
