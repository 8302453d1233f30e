#pragma once
// The learning-rate schedule: the base rate, halved after each milestone
// epoch. The reference's is milestones 60, 100, 200 (torch MultiStepLR with
// gamma 0.5, stepped once per epoch). `epoch` is 0-based: with the reference
// milestones, epochs 0..59 use the base rate, 60..99 half of it, and so on.
#include <cstddef>
#include <vector>

namespace gust::learning {

inline double scheduled_learning_rate(double base, std::size_t epoch, const std::vector<std::size_t>& milestones) {
    double lr = base;
    for (std::size_t milestone : milestones)
        if (epoch >= milestone) lr *= 0.5;
    return lr;
}

}  // namespace gust::learning
