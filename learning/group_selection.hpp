#pragma once
// Which of a batch's image groups a training pass computes, and where each
// group's result goes instead of into the batch's sum. A batch's loss and
// gradient are its groups' folded in group order from zero; ranks of one job
// each compute a range of groups and hand them over one by one, so that rank
// 0 folds them in that same order and gets a single process's bits.
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

namespace gust::learning {

struct group_values {
    std::vector<double> loss;         // per image
    std::size_t spikes = 0;
    std::vector<std::vector<float>> grad;  // parameter_layout() order; empty without gradient
};

struct group_selection {
    std::size_t first = 0, last = std::numeric_limits<std::size_t>::max();  // groups [first, last)
    // Set: each group's values, in group order, instead of the batch's sum.
    std::function<void(group_values&&)> each;
};

}  // namespace gust::learning
