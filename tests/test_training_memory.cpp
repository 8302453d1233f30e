// What training a network holds, counted from its description.
#include <catch2/catch.hpp>

#include <numeric>

#include "io/network_toml.hpp"
#include "learning/model_parameters.hpp"
#include "learning/training_memory.hpp"
#include "sim/network_init.hpp"

using namespace gust;

TEST_CASE("training memory: a description's trainable values are the parameters of the model drawn from it",
          "[learning][memory]") {
    const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";
    for (const char* name : {"paper.toml", "deep_decoder.toml", "two_spiking.toml", "sparse_local_128.toml"}) {
        INFO(name);
        const network_description d = read_network_description(networks + name);
        const network_model m = init_network(d, 1, name);
        const learning::tensor_list p = learning::parameter_values(m);
        const double values = std::accumulate(p.begin(), p.end(), 0.0,
                                              [](double n, const std::vector<float>& t) { return n + double(t.size()); });
        // Dense sets hold every synapse; a local field cut by the image's
        // border holds fewer than fan_in, so the count is at most.
        if (std::string(name) == "paper.toml") {
            CHECK(values == trainable_values(d));
        } else {
            CHECK(values <= trainable_values(d));
            CHECK(values > 0.9 * trainable_values(d));
        }
        CHECK(learning::training_bytes(d) == weight_bytes(d) + 20.0 * trainable_values(d));
    }
}
