#pragma once
// A transfer of slabs of 1,000 values, chunks of 2,048 and datasets chunked
// above 5,000 values: a small model's datasets then move in many slabs, as
// a billion synapses' do, for the tests of what slab boundaries could break.
#include "io/h5.hpp"

namespace gust::test {

inline h5::transfer small_slabs() {
    h5::transfer t;
    t.slab = 1000;
    t.chunk = 2048;
    t.chunked_above = 5000;
    return t;
}

}  // namespace gust::test
