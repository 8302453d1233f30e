#include "core/weight_matrix.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "core/procedural_synapses.hpp"

namespace gust {

std::size_t weight_matrix::synapses() const {
    return procedural() ? static_cast<std::size_t>(std::llround(rule->expected_synapses())) : nnz();
}

namespace {

// Whether each row's sources ascend strictly and stay below `cols`:
// checked as a whole, branch-free and on oneTBB's workers, for a set of a
// billion synapses is checked at every load and engine set-up. Only where
// this fails does validate() walk the rows in order to name the first
// fault. Needs indptr checked first.
template <class Index>
bool rows_ascend_below(const std::vector<std::uint32_t>& indptr, const Index* src, const std::uint32_t* firsts,
                       std::size_t cols) {
    return parallel_all_of(indptr.back(), 0, indptr.size() - 1, [&](const tbb::blocked_range<std::size_t>& rows) {
        unsigned fault = 0;  // an integer and a std::size_t count: the loops vectorize
        for (std::size_t r = rows.begin(); r < rows.end(); ++r) {
            const std::uint32_t b = indptr[r], e = indptr[r + 1];
            if (b == e) continue;
            // The last source is the largest when they ascend; in 64 bits, so
            // that a first source and offset cannot wrap below cols.
            fault |= std::uint64_t{firsts ? firsts[r] : 0} + src[e - 1] >= cols;
            const Index* row = src + b;
            const std::size_t n = e - b;
            for (std::size_t k = 1; k < n; ++k) fault |= row[k] <= row[k - 1];
        }
        return fault == 0;
    });
}

bool all_finite(const std::vector<float>& w) {
    return parallel_all_of(w.size(), 0, w.size(), [&](const tbb::blocked_range<std::size_t>& part) {
        unsigned fault = 0;
        for (std::size_t i = part.begin(); i < part.end(); ++i) fault |= !std::isfinite(w[i]);
        return fault == 0;
    });
}

}  // namespace

void weight_matrix::validate(const std::string& origin) const {
    if (procedural()) {
        if (!w.empty() || !indptr.empty() || !indices.empty() || rule->rows() != rows || rule->cols() != cols)
            throw input_error(origin + ": a procedural weight set holds no values and has its rule's shape");
        return;
    }
    if (!sparse()) {
        if (w.size() != rows * cols) throw input_error(origin + ": weight matrix has the wrong number of values");
    } else {
        if (indptr.size() != rows + 1) throw input_error(origin + ": indptr must have rows + 1 entries");
        if (indptr.front() != 0 || indptr.back() != w.size() || indices.size() != w.size())
            throw input_error(origin + ": indptr must start at 0 and end at the number of values");
        // Every offset first: a row's range is read only once every range
        // lies within the values.
        for (std::size_t r = 0; r < rows; ++r)
            if (indptr[r] > indptr[r + 1]) throw input_error(origin + ": indptr decreases at row " + std::to_string(r));
        const bool whole = indices.is_narrow() ? rows_ascend_below(indptr, indices.offsets(), indices.firsts(), cols)
                                               : rows_ascend_below(indptr, indices.wide(), nullptr, cols);
        for (std::size_t r = 0; r < rows && !whole; ++r) {
            for (std::uint32_t s = indptr[r]; s < indptr[r + 1]; ++s) {
                const std::uint32_t source = indices.at(r, s);
                if (source >= cols)
                    throw input_error(origin + ": index " + std::to_string(source) + " in row " + std::to_string(r) +
                                      " is out of range (" + std::to_string(cols) + " columns)");
                if (s > indptr[r] && source <= indices.at(r, s - 1))
                    throw input_error(origin + ": indices of row " + std::to_string(r) + " are not strictly ascending");
            }
        }
    }
    if (!all_finite(w)) throw input_error(origin + ": weights hold NaN or Inf");
}

}  // namespace gust
