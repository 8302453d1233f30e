#include "io/fresh_model_file.hpp"

#include "io/network_file.hpp"
#include "sim/network_init.hpp"

namespace gust {

std::size_t write_fresh_network_model(const std::string& path, const network_model& unfilled, std::uint64_t seed,
                                      const io_progress& progress, const h5::transfer& t) {
    const network_description& d = unfilled.description;
    sets_made_as_written made;
    std::size_t synapses = 0;
    for (std::size_t j = 0, set = 0; j < d.projections.size(); ++j)
        if (d.projections[j].owns_weights()) {
            const weight_matrix& w = *unfilled.net.projections[j].weights;
            made.offsets.push_back(w.sparse() && !w.procedural() ? init_sparse_offsets(d, seed, set)
                                                                 : std::vector<std::uint32_t>{});
            synapses += made.offsets.back().empty() ? w.synapses() : made.offsets.back().back();
            ++set;
        }
    made.fill = [&](std::size_t set, std::size_t lo, std::size_t hi, weight_matrix& w) {
        init_sparse_rows(d, seed, set, lo, hi, w, &made.offsets[set]);
    };
    made.values = [&](std::size_t set, std::size_t at, std::size_t n, float* out) {
        return init_sparse_values(d, seed, set, at, n, out);
    };
    write_network_model(path, unfilled, progress, t, &made);
    return synapses;
}

}  // namespace gust
