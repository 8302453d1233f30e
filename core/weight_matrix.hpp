#pragma once
// A projection's weights, [target, source] like torch.nn.Linear: dense
// row-major, or sparse CSR by target row (indptr, ascending indices, values)
// for networks far larger and sparser than the paper's, or procedural: no
// arrays at all, the synapses regenerated from their rule whenever they are
// read (core/procedural_synapses.hpp). A procedural set counts as sparse, so
// no dense path reads its (absent) values; every sparse reader checks
// procedural() before it reads indptr (the kernels of neurons/graded_layer.hpp
// and sim/afferents.hpp serve both), and whatever needs stored values
// (training, averaging, scaling) refuses it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/synapse_sources.hpp"

namespace gust {

struct procedural_synapses;

struct weight_matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<float> w;                     // dense: rows x cols; sparse: nnz values
    std::vector<std::uint32_t> indptr;        // sparse only: rows + 1 offsets
    synapse_sources indices;                  // sparse only: source of each value (narrowed where it fits)
    std::shared_ptr<const procedural_synapses> rule;  // procedural only: how its synapses are regenerated

    bool procedural() const { return rule != nullptr; }
    bool sparse() const { return !indptr.empty() || procedural(); }
    // Stored synapses (a procedural set stores none: see synapses()).
    std::size_t nnz() const { return w.size(); }
    // Synapses: stored, or expected of a procedural set (rounded).
    std::size_t synapses() const;

    // Throws input_error (prefixed with origin) unless the shapes agree, CSR
    // offsets are monotone, indices are in range and strictly ascending per
    // row, and every value is finite.
    void validate(const std::string& origin) const;
};

}  // namespace gust
