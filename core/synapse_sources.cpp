#include "core/synapse_sources.hpp"

#include <algorithm>
#include <limits>

#include "core/freed_memory.hpp"
#include "core/huge_pages.hpp"
#include "core/parallel_for.hpp"

namespace gust {

namespace {
// A narrow set's bytes are smaller than a wide one's.
bool narrower(std::size_t n, std::size_t rows) { return n > 2 * rows; }
}  // namespace

bool synapse_sources::rows_fit(const std::vector<std::uint32_t>& indptr, std::size_t lo, std::size_t hi) const {
    if (narrow_) return true;
    constexpr std::uint32_t widest = std::numeric_limits<std::uint16_t>::max();
    return parallel_all_of(wide_.size(), lo, hi, [&](const tbb::blocked_range<std::size_t>& b) {
        bool fit = true;
        for (std::size_t r = b.begin(); r < b.end(); ++r)  // every entry, not only the last: a source below the first wraps
            for (std::uint32_t e = indptr[r]; e < indptr[r + 1]; ++e) fit &= wide_[e] - wide_[indptr[r]] <= widest;
        return fit;
    });
}

std::size_t synapse_sources::bytes_of(std::size_t n, std::size_t rows, bool fit) {
    if (fit && narrower(n, rows)) return n * sizeof(std::uint16_t) + rows * sizeof(std::uint32_t);
    return n * sizeof(std::uint32_t);
}

void synapse_sources::narrow(const std::vector<std::uint32_t>& indptr) {
    if (narrow_ || indptr.empty() || indptr.back() != wide_.size()) return;
    const std::size_t rows = indptr.size() - 1;
    if (!narrower(wide_.size(), rows) || !rows_fit(indptr, 0, rows)) return;
    first_.assign(rows, 0);
    resize_on_huge_pages(offset_, wide_.size());
    parallel_for_long(wide_.size(), 0, rows, [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r) {
            if (indptr[r] == indptr[r + 1]) continue;
            const std::uint32_t first = wide_[indptr[r]];
            first_[r] = first;
            for (std::uint32_t e = indptr[r]; e < indptr[r + 1]; ++e)
                offset_[e] = static_cast<std::uint16_t>(wide_[e] - first);
        }
    });
    std::vector<std::uint32_t>().swap(wide_);  // its memory returned now, not at destruction
    return_freed_memory();
    narrow_ = true;
}

std::vector<std::uint32_t> synapse_sources::widened(const std::vector<std::uint32_t>& indptr) const {
    if (!narrow_ || indptr.empty()) return wide_;
    std::vector<std::uint32_t> out;
    resize_on_huge_pages(out, offset_.size());
    parallel_for_long(offset_.size(), 0, indptr.size() - 1, [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r)
            for (std::uint32_t e = indptr[r]; e < indptr[r + 1]; ++e) out[e] = at(r, e);
    });
    return out;
}

void synapse_sources::widen(const std::vector<std::uint32_t>& indptr, std::size_t at, std::size_t n,
                            std::uint32_t* out) const {
    if (!narrow_) {
        std::copy(wide_.begin() + static_cast<std::ptrdiff_t>(at), wide_.begin() + static_cast<std::ptrdiff_t>(at + n), out);
        return;
    }
    // The row holding entry `at`: the last whose first entry is at or before it.
    std::size_t r = static_cast<std::size_t>(std::upper_bound(indptr.begin(), indptr.end() - 1, at) - indptr.begin()) - 1;
    for (std::size_t e = at; e < at + n; ++e) {
        while (indptr[r + 1] <= e) ++r;
        out[e - at] = first_[r] + offset_[e];
    }
}

synapse_sources_builder::synapse_sources_builder(const std::vector<std::uint32_t>& indptr) : indptr_(indptr) {
    const std::size_t n = indptr.empty() ? 0 : indptr.back(), rows = indptr.empty() ? 0 : indptr.size() - 1;
    s_.narrow_ = narrower(n, rows);
    if (s_.narrow_) {
        s_.first_.assign(rows, 0);
        resize_on_huge_pages(s_.offset_, n);
    } else {
        resize_on_huge_pages(s_.wide_, n);
    }
}

void synapse_sources_builder::widen_taken() {
    resize_on_huge_pages(s_.wide_, s_.offset_.size());
    // Entries [0, taken_) are narrow, in rows 0 .. row_.
    for (std::size_t r = 0; r <= row_; ++r)
        for (std::size_t e = indptr_[r]; e < std::min<std::size_t>(indptr_[r + 1], taken_); ++e)
            s_.wide_[e] = s_.first_[r] + s_.offset_[e];
    std::vector<std::uint16_t>().swap(s_.offset_);
    std::vector<std::uint32_t>().swap(s_.first_);
    return_freed_memory();
    s_.narrow_ = false;
}

void synapse_sources_builder::append(const std::uint32_t* sources, std::size_t n) {
    constexpr std::uint32_t widest = std::numeric_limits<std::uint16_t>::max();
    const std::size_t base = taken_, end = taken_ + n;
    // Row by row, each row's run in a plain loop over raw arrays.
    while (s_.narrow_ && taken_ < end) {
        while (indptr_[row_ + 1] <= taken_) ++row_;
        if (taken_ == indptr_[row_]) s_.first_[row_] = sources[taken_ - base];
        const std::uint32_t first = s_.first_[row_];
        const std::size_t row_end = std::min<std::size_t>(indptr_[row_ + 1], end);
        std::uint16_t* offset = s_.offset_.data();
        std::size_t e = taken_;
        for (; e < row_end; ++e) {
            const std::uint32_t d = sources[e - base] - first;  // a source below the first wraps: too wide
            if (d > widest) break;
            offset[e] = static_cast<std::uint16_t>(d);
        }
        taken_ = e;
        if (e < row_end) widen_taken();
    }
    if (taken_ < end) std::copy(sources + (taken_ - base), sources + n, s_.wide_.data() + taken_);
    taken_ = end;
}

synapse_sources synapse_sources_builder::finish() { return std::move(s_); }

std::size_t synapse_sources::bytes() const {
    return wide_.size() * sizeof(std::uint32_t) + offset_.size() * sizeof(std::uint16_t) +
           first_.size() * sizeof(std::uint32_t);
}

bool synapse_sources::same(const synapse_sources& o, const std::vector<std::uint32_t>& indptr) const {
    if (size() != o.size()) return false;
    for (std::size_t r = 0; r + 1 < indptr.size(); ++r)
        for (std::uint32_t e = indptr[r]; e < indptr[r + 1]; ++e)
            if (at(r, e) != o.at(r, e)) return false;
    return true;
}

}  // namespace gust
