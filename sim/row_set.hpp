#pragma once
// A set of rows of one range [first, first + size), as one bit per row: a
// step's rows are added in any order, each once, and taken out ascending
// without a sort. Taking them scans every word (a layer of 2.56 M rows is
// 40,000 words, microseconds against the milliseconds of a step's rows)
// and leaves the set empty for the next step.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gust::event_detail {

// The runs of consecutive rows in an ascending list of rows.
inline std::size_t runs_in(const std::vector<std::uint32_t>& rows) {
    std::size_t runs = rows.empty() ? 0 : 1;
    for (std::size_t i = 1; i < rows.size(); ++i) runs += rows[i] != rows[i - 1] + 1;
    return runs;
}

// The rows a partition summed from lists, and the runs they lay in
// (event_stats::listed_rows and listed_runs).
struct listed_counts {
    std::uint64_t rows = 0, runs = 0;
    void count(const std::vector<std::uint32_t>& list) {
        rows += list.size();
        runs += runs_in(list);
    }
};

// One per partition, side by side in a vector and written by different
// threads: a cache line of its own each, or every insert by one thread
// would take the line from the other (false sharing; the count is
// written on every insert).
class alignas(64) row_set {
public:
    row_set() = default;
    row_set(std::size_t first, std::size_t size) : first_(first), words_((size + 63) / 64, 0) {}

    // Adds row r (in the range); true if it was not in the set. Without a
    // branch: a step's walk over changed sources meets each row several
    // times, new or not in no pattern.
    bool insert(std::size_t r) {
        const std::size_t b = r - first_, w = b / 64;
        const std::uint64_t bit = std::uint64_t{1} << (b % 64);
        const std::uint64_t old = words_[w];
        words_[w] = old | bit;
        const bool added = (old & bit) == 0;
        count_ += added;
        return added;
    }

    // Adds row first + i for each bit i set in mask (each such row in the
    // range); returns how many were new.
    std::size_t insert_mask(std::size_t first, std::uint32_t mask) {
        const std::size_t b = first - first_, w = b / 64, shift = b % 64;
        const std::uint64_t low = std::uint64_t{mask} << shift;
        std::size_t added = static_cast<std::size_t>(std::popcount(low & ~words_[w]));
        words_[w] |= low;
        const std::uint64_t high = shift == 0 ? 0 : std::uint64_t{mask} >> (64 - shift);
        if (high != 0) {  // rows in the next word
            added += static_cast<std::size_t>(std::popcount(high & ~words_[w + 1]));
            words_[w + 1] |= high;
        }
        count_ += added;
        return added;
    }

    // Adds rows [begin, end) (in the range); returns how many were new.
    std::size_t insert_range(std::size_t begin, std::size_t end) {
        if (begin >= end) return 0;
        const std::size_t b = begin - first_, e = end - first_, last = (e - 1) / 64;
        std::size_t added = 0;
        for (std::size_t w = b / 64; w <= last; ++w) {
            std::uint64_t bits = ~std::uint64_t{0};
            if (w == b / 64) bits &= ~std::uint64_t{0} << (b % 64);
            if (w == last) bits &= ~std::uint64_t{0} >> (63 - (e - 1) % 64);
            added += static_cast<std::size_t>(std::popcount(bits & ~words_[w]));
            words_[w] |= bits;
        }
        count_ += added;
        return added;
    }

    bool contains(std::size_t r) const {
        const std::size_t b = r - first_;
        return (words_[b / 64] >> (b % 64)) & 1u;
    }

    std::size_t size() const { return count_; }

    // Appends the rows to out, ascending, and empties the set. out is
    // sized once: another partition's list may sit next to it.
    void take(std::vector<std::uint32_t>& out) {
        if (count_ == 0) return;
        std::size_t at = out.size();
        out.resize(at + count_);
        std::uint32_t* o = out.data();
        for (std::size_t w = 0; w < words_.size(); ++w) {
            for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
                o[at++] = static_cast<std::uint32_t>(first_ + w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
            words_[w] = 0;
        }
        count_ = 0;
    }

    // Calls f(r) for each row r in the set, ascending, keeping it.
    template <class F>
    void for_each(F f) const {
        for (std::size_t w = 0; w < words_.size(); ++w)
            for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
                f(first_ + w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
    }

    // Empties the set.
    void clear() {
        if (count_ != 0) std::fill(words_.begin(), words_.end(), 0);
        count_ = 0;
    }

private:
    std::size_t first_ = 0;
    std::vector<std::uint64_t> words_;
    std::size_t count_ = 0;
};

}  // namespace gust::event_detail
