#pragma once
// Adjusted mutual information, matching scikit-learn 1.2.1
// adjusted_mutual_info_score(labels_true, labels_pred,
// average_method="arithmetic"):
//   AMI = (MI - EMI) / (mean(H_true, H_pred) - EMI)
// with natural logarithms, EMI the exact expectation of MI under the
// hypergeometric (permutation) model with both marginals fixed, summed in log
// space with lgamma. Special cases as scikit-learn:
//   - both labelings have one cluster, or the input is empty: 1.0;
//   - MI is 0 when either labeling has a single cluster; so is EMI;
//   - the denominator is kept at least machine epsilon in magnitude, with its
//     sign (so a perfect match with EMI == normaliser gives 0/eps = 0, not NaN).
// Label values are arbitrary integers; only equality matters.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gust::analysis {

double adjusted_mutual_info(std::span<const std::int64_t> labels_true,
                            std::span<const std::int64_t> labels_pred);
double adjusted_mutual_info(std::span<const std::int32_t> labels_true,
                            std::span<const std::int32_t> labels_pred);

// The pieces, on a dense R x C contingency table (row-major counts, every row
// and column sum positive), for tests and callers that already have counts.
struct contingency_table {
    std::size_t rows = 0, cols = 0;
    std::vector<std::int64_t> counts;  // rows * cols
    std::int64_t n = 0;
};
double mutual_info(const contingency_table& t);
double expected_mutual_info(const contingency_table& t);
double adjusted_mutual_info(const contingency_table& t);

}  // namespace gust::analysis
