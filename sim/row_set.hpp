#pragma once
// A set of rows of one range [first, first + size), as one bit per row: a
// step's rows are added in any order, each once, and taken out ascending
// without a sort. Taking them scans only the words between the lowest and
// the highest row added, and leaves the set empty for the next step.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace gust::event_detail {

class row_set {
public:
    row_set() = default;
    row_set(std::size_t first, std::size_t size) : first_(first), words_((size + 63) / 64, 0) {}

    // Adds row r (in the range); true if it was not in the set.
    bool insert(std::size_t r) {
        const std::size_t b = r - first_, w = b / 64;
        const std::uint64_t bit = std::uint64_t{1} << (b % 64);
        if (words_[w] & bit) return false;
        words_[w] |= bit;
        lo_ = std::min(lo_, w);
        hi_ = std::max(hi_, w + 1);
        ++count_;
        return true;
    }

    bool contains(std::size_t r) const {
        const std::size_t b = r - first_;
        return (words_[b / 64] >> (b % 64)) & 1u;
    }

    std::size_t size() const { return count_; }

    // Appends the rows to out, ascending, and empties the set.
    void take(std::vector<std::uint32_t>& out) {
        for (std::size_t w = lo_; w < hi_; ++w) {
            for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
                out.push_back(static_cast<std::uint32_t>(first_ + w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
            words_[w] = 0;
        }
        clear_bounds();
    }

    // Empties the set.
    void clear() {
        if (lo_ < hi_) std::fill(words_.begin() + static_cast<std::ptrdiff_t>(lo_), words_.begin() + static_cast<std::ptrdiff_t>(hi_), 0);
        clear_bounds();
    }

private:
    void clear_bounds() {
        lo_ = std::numeric_limits<std::size_t>::max();
        hi_ = 0;
        count_ = 0;
    }

    std::size_t first_ = 0;
    std::vector<std::uint64_t> words_;
    std::size_t lo_ = std::numeric_limits<std::size_t>::max(), hi_ = 0;  // the words holding rows: [lo_, hi_)
    std::size_t count_ = 0;
};

}  // namespace gust::event_detail
