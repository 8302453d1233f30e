#pragma once
// A fresh model from a description and a seed: every weight set's synapses
// and initial weights, and every graded population's bias, drawn from the
// counter-based generator (docs/network.md, "Initialisation"):
//   weight set k (k-th projection that owns one): weights from stream
//     (weight_init, k) image 0, synapses of a random or local set from
//     stream (weight_init, 16 + k) one row at a time; a local set drawn one
//     by one (draw = "independent") takes both from core/synapse_hash.hpp
//     instead, stored or (procedural) regenerated when read;
//   a population's bias: image 1 of the stream of the first weight set that
//     targets it, with that set's bound.
// The paper network and the sparse family of `gust init`'s size options are
// descriptions like any other, and get exactly the weights they always had.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/network_model.hpp"
#include "sim/rank_share.hpp"

namespace gust {

// The rule of a local set drawn one by one (draw = "independent"), weight
// set number `set` of d, for a model initialised with `seed`: what a
// procedural set regenerates, and what a stored one is filled from.
std::shared_ptr<const procedural_synapses> synapse_rule(const network_description& d, const projection_spec& pr,
                                                        std::uint64_t seed, std::uint32_t set);

// d must be valid (validate(d, origin)). With `sparse_empty`, every stored
// sparse set comes with all its rows empty, for init_sparse_rows to fill.
network_parameters init_parameters(const network_description& d, std::uint64_t seed, bool sparse_empty = false);

// The row offsets of the whole of stored sparse weight set `set` (k-th
// projection owning one) of a fresh model, without drawing its synapses
// (a set drawn one by one counts what its rule regenerates).
std::vector<std::uint32_t> init_sparse_offsets(const network_description& d, std::uint64_t seed, std::size_t set);

// Values [first, first + n) of that set (in CSR order) into out, drawn
// without the synapses they belong to; false for a set drawn one by one,
// whose values come with its rows.
bool init_sparse_values(const network_description& d, std::uint64_t seed, std::size_t set, std::size_t first,
                        std::size_t n, float* out);

// Rows [lo, hi) of that set into W, as init_parameters draws them, the
// other rows empty; `whole`, when given, its init_sparse_offsets, not
// counted again (for a caller drawing the set a block of rows at a time).
void init_sparse_rows(const network_description& d, std::uint64_t seed, std::size_t set, std::size_t lo,
                      std::size_t hi, weight_matrix& W, const std::vector<std::uint32_t>* whole = nullptr);

// Memory the weight sets of a fresh model take (values, indices, offsets).
double weight_bytes(const network_description& d);

// The values a fresh model trains: every stored weight (at most: a local
// field cut by the border holds fewer) and every bias.
double trainable_values(const network_description& d);

// validate + init_parameters + assemble; refuses a network whose weights
// would not fit in the memory gust may hold (core/machine_memory.hpp),
// before allocating them.
network_model init_network(const network_description& d, std::uint64_t seed, const std::string& origin);

// The same with every stored sparse set's rows empty, for a caller that
// draws them a block of rows at a time (init_sparse_rows: gust init writes
// a model of any size so); refuses one whose other parts would not fit.
network_model init_network_unfilled(const network_description& d, std::uint64_t seed, const std::string& origin);

// What the process of `share` needs of that model: every stored sparse set
// holds only the rows that process uses (sim/held_rows.hpp).
network_model init_network_rows(const network_description& d, std::uint64_t seed, const std::string& origin,
                                const rank_share& share);

}  // namespace gust
