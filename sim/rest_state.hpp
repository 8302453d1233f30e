#pragma once
// Output of every population when nothing reaches it: spiking populations
// are silent, graded ones settle to act(bias + W * rest of their sources).
// Computed with the shared kernels, so it equals what the dense backend
// computes on a silent step, bit for bit. A graded population inside a loop
// of graded populations (through delays) has no such constant: it gets no
// rest value and is always computed.
#include <functional>
#include <vector>

#include "sim/afferents.hpp"

namespace gust {

struct rest_state {
    std::vector<std::vector<float>> value;
    std::vector<bool> defined;
};

// `defined(p, value)`, if set, sees each population's rest value as soon as
// it is computed, before any population that reads it: processes sharing an
// image send each other the rows they own there (sim/exchange_plan.hpp).
// Without `values`, only which populations have a rest value is worked out
// (every value is left zero).
rest_state rest_values(const network& net, const afferent_plan& plan,
                       const std::function<void(std::size_t, std::vector<float>&)>& defined = {}, bool values = true);

}  // namespace gust
