#include "learning/training_memory.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/machine_memory.hpp"
#include "sim/network_init.hpp"

namespace gust::learning {

double training_bytes(const network_description& d) {
    constexpr double copies = 5;  // Adam's m and v, the gradient twice, the updated parameters
    return weight_bytes(d) + copies * 4.0 * trainable_values(d);
}

void require_training_fits(const network_description& d, const std::string& origin, std::size_t processes_here) {
    const double need = training_bytes(d);
    const memory_limit limit = process_memory_limit();
    const std::string here = processes_here > 1
                                 ? " in each of the " + std::to_string(processes_here) + " processes on this machine"
                                 : "";
    if (need * double(processes_here) > limit.bytes)
        throw input_error(origin + ": training this network needs about " + whole_gib(need) +
                          " GiB" + here + " (its weights, and 20 bytes for each of its " +
                          std::to_string(std::llround(trainable_values(d))) +
                          " trainable values: Adam's two moments, the gradient twice, the update), more than " +
                          limit.described());
}

}  // namespace gust::learning
