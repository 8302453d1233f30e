// Memory accounting (sim/memory_account.hpp): the bytes of the weight sets
// and of the fan-out tables, against what each layout must hold.
#include <catch2/catch.hpp>

#include "sim/event_setup.hpp"
#include "sim/memory_account.hpp"
#include "sim/paper_network.hpp"

using namespace gust;

TEST_CASE("memory: dense sets and their fan-outs take four bytes per synapse", "[memory]") {
    const network net = paper_network(init_model({}, 1));
    const memory_account m = account_memory(net, afferent_plan(net, 1));
    CHECK(m.synapses == 784 * 512 + 512 * 400 + 400 * 512 + 512 * 784);  // the copy shares encoder/fc1
    CHECK(m.weights == 4.0 * double(m.synapses));
    CHECK(m.fanouts == 4.0 * double(m.synapses));
}

TEST_CASE("memory: a CSR set takes six bytes per synapse, its rows' first sources and offsets, its fan-out only "
          "what the run reads",
          "[memory]") {
    model_sizes s;
    s.sparse_fan_in = 16;
    const network net = paper_network(init_model(s, 1));
    const memory_account one = account_memory(net, event_setup(net, 1, 0, 1, false).plan);
    // Per row its offset in the values and its first source; per synapse a
    // weight and a 16-bit offset from that source (every layer has fewer
    // than 2^16 inputs).
    const double offsets = 4.0 * double((512 + 1) + (400 + 1) + (512 + 1) + (784 + 1));
    const double firsts = 4.0 * double(512 + 400 + 512 + 784);
    CHECK(one.synapses == 16 * (512 + 400 + 512 + 784));
    CHECK(one.weights == 6.0 * double(one.synapses) + firsts + offsets);
    // By source: cols + 1 offsets and each source's first target; every
    // target in 16 bits (no layer has 2^16 rows). The set the spikes are
    // scattered through keeps a value per synapse too. Of the sets fed by a
    // graded source, summed by rows, only the hidden layer's has a table,
    // of targets only: its rows are found from the changes of its source.
    // The decoder's layers are computed on demand and find no rows.
    const double by_source = 4.0 * double((784 + 1 + 784) + (512 + 1 + 512));
    const double spiked = 16.0 * 512, graded = 16.0 * 400;
    CHECK(one.fanouts == 6.0 * spiked + 2.0 * graded + by_source);
    const memory_account three = account_memory(net, event_setup(net, 3, 0, 3, false).plan);
    // 3 slices hold each synapse once between them, each with its own
    // offsets; the whole table keeps only its shape.
    CHECK(three.fanouts == 6.0 * spiked + 2.0 * graded + 3 * by_source);
}
