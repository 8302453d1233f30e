#pragma once
// A graded population computed whole from this step's input lists: every
// row, bias then each group's non-zero inputs (neurons/graded_layer.hpp,
// dense sets by neurons/panel_layer.hpp). For one image, split over its partitions; or
// for several images in lockstep (sim/lockstep_images.hpp) in one pass over
// the weights, which bound a single image's step, each image getting the
// bits it gets alone.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "neurons/panel_layer.hpp"
#include "sim/event_image_state.hpp"

namespace gust::event_detail {

class whole_layer_update {
public:
    explicit whole_layer_update(const event_setup& s);

    // Population p at step k of one image, into state.layer(p, k).
    void compute(std::size_t p, std::int64_t k, event_image_state& state);

    // Whether compute_batch() can compute p: dense weights in every group
    // (one partition per image).
    bool batchable(std::size_t p) const { return batchable_[p]; }

    // Population p at step k of several images at once, each into its own
    // state.layer(p, k).
    void compute_batch(std::size_t p, std::int64_t k, event_image_state* const* states, std::size_t count);

private:
    const event_setup& s_;
    std::vector<bool> batchable_;
    // compute_batch(): each image's output and input vector, the kernel's
    // lists of non-zero inputs, spikes scattered into vectors.
    std::vector<float*> outs_;
    std::vector<const float*> value_ptrs_;
    panel_scratch panel_scratch_;
    std::vector<std::vector<float>> scatter_;
};

}  // namespace gust::event_detail
