#pragma once
// Dense codes 0..k-1 of arbitrary integer labels, ordered by value (as
// numpy.unique's inverse): the metrics index contingency tables and cluster
// sums by these codes, whatever values the labels take.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gust::analysis {

template <class T>
std::vector<std::int32_t> dense_label_codes(std::span<const T> labels, std::size_t& k) {
    std::vector<T> u(labels.begin(), labels.end());
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    k = u.size();
    std::vector<std::int32_t> code(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
        code[i] = static_cast<std::int32_t>(std::lower_bound(u.begin(), u.end(), labels[i]) - u.begin());
    return code;
}

}  // namespace gust::analysis
