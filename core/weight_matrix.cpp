#include "core/weight_matrix.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/procedural_synapses.hpp"

namespace gust {

std::size_t weight_matrix::synapses() const {
    return procedural() ? static_cast<std::size_t>(std::llround(rule->expected_synapses())) : nnz();
}

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
        for (std::size_t r = 0; r < rows; ++r) {
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
    for (float v : w)
        if (!std::isfinite(v)) throw input_error(origin + ": weights hold NaN or Inf");
}

}  // namespace gust
