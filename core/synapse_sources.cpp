#include "core/synapse_sources.hpp"

#include <atomic>
#include <limits>

#include "core/freed_memory.hpp"
#include "core/huge_pages.hpp"
#include "core/parallel_for.hpp"

namespace gust {

namespace {
// A narrow set's bytes are smaller than a wide one's.
bool narrower(std::size_t n, std::size_t rows) { return n > 2 * rows; }

// body(range) over rows [lo, hi) of a set of n synapses: on oneTBB's
// workers for a large set, in the calling thread for a small one, whose
// pass is shorter than waking the workers.
template <class Body>
void over_rows(std::size_t n, std::size_t lo, std::size_t hi, const Body& body) {
    const tbb::blocked_range<std::size_t> rows(lo, hi);
    if (n < (std::size_t{1} << 20))
        body(rows);
    else
        gust::parallel_for(rows, body);
}
}  // namespace

bool synapse_sources::rows_fit(const std::vector<std::uint32_t>& indptr, std::size_t lo, std::size_t hi) const {
    if (narrow_) return true;
    constexpr std::uint32_t widest = std::numeric_limits<std::uint16_t>::max();
    std::atomic<bool> fit = true;
    over_rows(wide_.size(), lo, hi, [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r)  // every entry, not only the last: a source below the first wraps
            for (std::uint32_t e = indptr[r]; e < indptr[r + 1]; ++e)
                if (wide_[e] - wide_[indptr[r]] > widest) fit.store(false, std::memory_order_relaxed);
    });
    return fit.load();
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
    over_rows(wide_.size(), 0, rows, [&](const tbb::blocked_range<std::size_t>& b) {
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
    over_rows(offset_.size(), 0, indptr.size() - 1, [&](const tbb::blocked_range<std::size_t>& b) {
        for (std::size_t r = b.begin(); r < b.end(); ++r)
            for (std::uint32_t e = indptr[r]; e < indptr[r + 1]; ++e) out[e] = at(r, e);
    });
    return out;
}

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
