#pragma once
// Output of every population when nothing reaches it: spiking populations
// are silent, graded ones settle to act(bias + W * rest of their sources).
// Computed with the shared kernels, so it equals what the dense backend
// computes on a silent step, bit for bit. A graded population inside a loop
// of graded populations (through delays) has no such constant: it gets no
// rest value and is always computed.
#include <vector>

#include "sim/afferents.hpp"

namespace gust {

struct rest_state {
    std::vector<std::vector<float>> value;
    std::vector<bool> defined;
};

rest_state rest_values(const network& net, const afferent_plan& plan);

}  // namespace gust
