#pragma once
// Whether model A groups better than model B on the same images. An image's
// score varies a lot from image to image, but the two models' scores of one
// image are correlated, so the question needs the standard error of the
// paired difference, not the spread of either mean.
#include <vector>

namespace gust::analysis {

struct paired_difference {
    std::size_t n = 0;             // pairs used (both values defined)
    double mean_a = 0, mean_b = 0;
    double mean_diff = 0;          // mean of a - b
    double std_error = 0;          // sample std (ddof 1) of a - b over sqrt(n); NaN for n < 2
    double correlation = 0;        // Pearson's r of a and b; NaN when either is constant
};

// Pairs where either value is NaN (e.g. SynScore undefined) are left out.
paired_difference compare_paired(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace gust::analysis
