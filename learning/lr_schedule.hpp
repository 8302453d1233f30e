#pragma once
// The reference learning-rate schedule: the base rate, halved after epoch 60,
// after epoch 100 and after epoch 200 (torch MultiStepLR with milestones
// 60, 100, 200 and gamma 0.5, stepped once per epoch). `epoch` is 0-based:
// epochs 0..59 use the base rate, 60..99 half of it, and so on.
#include <cstddef>

namespace gust::learning {

inline double scheduled_learning_rate(double base, std::size_t epoch) {
    double lr = base;
    for (std::size_t milestone : {60u, 100u, 200u})
        if (epoch >= milestone) lr *= 0.5;
    return lr;
}

}  // namespace gust::learning
