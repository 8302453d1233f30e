// Model files of any network: the description travels with the weights,
// files written before descriptions existed read as the paper network, and
// jobs that need the paper architecture say so for other networks.
#include <catch2/catch.hpp>

#include "cli_runner.hpp"
#include "io/model_file.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

using namespace gust;

namespace {
const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";
}

TEST_CASE("network file: a model of any network round-trips with its description", "[network][io]") {
    test::temp_dir dir;
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    write_network_model(dir / "m.h5", m);
    CHECK(dir.file_count() == 1);
    const network_model r = read_network_model(dir / "m.h5");
    CHECK(format_network_description(r.description) == format_network_description(m.description));
    REQUIRE(r.net.projections.size() == m.net.projections.size());
    for (std::size_t j = 0; j < m.net.projections.size(); ++j) {
        CHECK(r.net.projections[j].weights->w == m.net.projections[j].weights->w);
        CHECK(r.net.projections[j].weights->indices == m.net.projections[j].weights->indices);
        CHECK(r.net.projections[j].delay == m.net.projections[j].delay);
    }
    CHECK(r.net.projections[1].weights == r.net.projections[0].weights);  // shared again after reading
    for (std::size_t i = 0; i < m.net.populations.size(); ++i) CHECK(r.net.populations[i].bias == m.net.populations[i].bias);
    // The paper-only reader says what it cannot take.
    CHECK_THROWS_WITH(read_model(dir / "m.h5"), Catch::Contains("m.h5") && Catch::Contains("not the paper's architecture"));
}

TEST_CASE("network file: the paper network keeps the published layout, and older files read as the paper network",
          "[network][io]") {
    test::temp_dir dir;
    const gust_model m = init_model({20, 30, 50, 64, 7}, 11);
    write_model(dir / "m.h5", m);
    {
        h5::file f = h5::open_read(dir / "m.h5");
        for (const char* d : {"/encoder/fc1/weight", "/encoder/fc1/bias", "/encoder/fc2/weight", "/decoder/fc2/bias"})
            CHECK(h5::exists(f, d));
        CHECK(h5::read_attr_integer(f, "/", "input_size", 1, 100000) == 600);
        CHECK(h5::read_attr_integer(f, "/", "hidden_size", 1, 100000) == 50);
        CHECK(h5::has_attr(f, "/", "network"));
    }
    const network_model r = read_network_model(dir / "m.h5");
    CHECK(is_paper_shaped(r.description));
    CHECK(r.description.cycle == 7);
    CHECK(r.net.projections[3].delay == 7);  // the decoder reads the delay line one cycle later

    // The shipped model predates descriptions: it reads as the paper network.
    const std::string shipped = std::string(GUST_SOURCE_DIR) + "/examples/models/gust_3shapes.h5";
    {
        h5::file f = h5::open_read(shipped);
        REQUIRE_FALSE(h5::has_attr(f, "/", "network"));
    }
    const network_model old = read_network_model(shipped);
    CHECK(is_paper_shaped(old.description));
    const gust_model direct = read_model(shipped), via = to_paper_model(old, "t");
    CHECK(direct.enc1.weight == via.enc1.weight);
    CHECK(direct.dec2.bias == via.dec2.bias);
    CHECK(direct.release_p == via.release_p);
}

TEST_CASE("network file: a description that disagrees with the file is refused naming both", "[network][io][bad-input]") {
    test::temp_dir dir;
    const network_model m = init_network(read_network_description(networks + "deep_decoder.toml"), 4, "t");
    write_network_model(dir / "m.h5", m);
    auto set_description = [&](const std::string& text) {
        h5::file f{h5::handle(H5Fopen((dir / "m.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose), dir / "m.h5"};
        h5::write_attr_string(f, "/", "network", text);
    };
    std::string text = format_network_description(m.description);
    const auto at = text.find("size = 256");
    REQUIRE(at != std::string::npos);
    set_description(std::string(text).replace(at, 10, "size = 300"));
    CHECK_THROWS_WITH(read_network_model(dir / "m.h5"),
                      Catch::Contains("m.h5") && Catch::Contains("/decoder/fc2/weight") && Catch::Contains("[300, 512]"));
    set_description(std::string(text).replace(at, 10, "size = [1]"));
    CHECK_THROWS_WITH(read_network_model(dir / "m.h5"),
                      Catch::Contains("m.h5 (its attribute 'network')") && Catch::Contains("'size' must be"));
}
