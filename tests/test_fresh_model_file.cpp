// A fresh model written as it is drawn (gust init): the file holds the
// bytes of the same model drawn whole and then written, for every kind of
// weight set, and no set is ever made whole, only blocks of its rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "small_slabs.hpp"
#include "io/fresh_model_file.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "local_network.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

using namespace gust;
using gust::test::small_slabs;

namespace {

const std::string networks = std::string(GUST_SOURCE_DIR) + "/examples/networks/";

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The billion-synapse network's description on a 28 x 28 image: local
// stored sets, fields cut by the border.
std::string shrunk_1g(const std::string& file) {
    std::ifstream in(networks + file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"height = 1600", "height = 28"}, {"width = 1600", "width = 28"}, {"size = 320000", "size = 98"}})
        for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("fresh model file: written as drawn, the bytes of the model drawn whole and written", "[network][io]") {
    test::temp_dir dir;
    model_sizes random_sparse;
    random_sparse.sparse_fan_in = 16;
    const std::vector<std::pair<std::string, network_description>> cases{
        {"paper (dense)", paper_description(model_sizes{})},
        {"random sparse", paper_description(random_sparse)},
        {"deep decoder (CSR and dense)", read_network_description(networks + "deep_decoder.toml")},
        {"local, the 1g network on 28 x 28", parse_network_description(shrunk_1g("sparse_local_1g.toml"), "1g.toml")},
        {"procedural", parse_network_description(shrunk_1g("sparse_local_1g_procedural.toml"), "p.toml")},
        {"drawn one by one", parse_network_description(test::local_network("draw = \"independent\""), "i.toml")},
    };
    for (const auto& [name, d] : cases)
        for (const bool small : {false, true}) {
            INFO(name << (small ? ", small slabs" : ""));
            const h5::transfer t = small ? small_slabs() : h5::transfer{};
            const std::uint64_t seed = 7;
            const network_model whole = init_network(d, seed, name);
            write_network_model(dir / "whole.h5", whole, {}, t);
            std::vector<std::pair<std::uint64_t, std::uint64_t>> heard;
            const std::size_t synapses = write_fresh_network_model(
                dir / "drawn.h5", init_network_unfilled(d, seed, name), seed,
                [&](std::uint64_t done, std::uint64_t total) { heard.emplace_back(done, total); }, t);
            CHECK(bytes_of(dir / "drawn.h5") == bytes_of(dir / "whole.h5"));
            std::size_t expected = 0;
            for (std::size_t j = 0; j < d.projections.size(); ++j)
                if (d.projections[j].owns_weights()) expected += whole.net.projections[j].weights->synapses();
            CHECK(synapses == expected);
            // Progress ends at the bytes of every weight, source and bias.
            REQUIRE_FALSE(heard.empty());
            CHECK(heard.back().first == heard.back().second);
            CHECK(heard.back().second == h5::data_bytes(h5::open_read(dir / "drawn.h5")));
        }
}

TEST_CASE("fresh model file: a set is made a block of rows at a time, each row at most twice", "[network][io]") {
    // The made sets' writer, with a filler that counts what it is asked.
    test::temp_dir dir;
    const network_description d = parse_network_description(shrunk_1g("sparse_local_1g.toml"), "1g.toml");
    const std::uint64_t seed = 3;
    const network_model unfilled = init_network_unfilled(d, seed, "t");
    sets_made_as_written made;
    std::size_t sets = 0;
    for (const auto& pr : d.projections)
        if (pr.owns_weights()) made.offsets.push_back(init_sparse_offsets(d, seed, sets++));
    std::vector<std::size_t> rows_made(sets, 0), largest(sets, 0);
    made.fill = [&](std::size_t set, std::size_t lo, std::size_t hi, weight_matrix& w) {
        init_sparse_rows(d, seed, set, lo, hi, w, &made.offsets[set]);
        rows_made[set] += hi - lo;
        largest[set] = std::max<std::size_t>(largest[set], w.nnz());
        CHECK(w.nnz() == made.offsets[set][hi] - made.offsets[set][lo]);
    };
    std::size_t fan_in = 0;
    for (const auto& pr : d.projections) fan_in = std::max(fan_in, pr.fan_in);
    // Slabs of 256 values, chunks as long: blocks of four slabs.
    h5::transfer t;
    t.slab = t.chunk = 256;
    t.chunked_above = 1000;
    write_network_model(dir / "drawn.h5", unfilled, {}, t, &made);
    write_network_model(dir / "whole.h5", init_network(d, seed, "t"), {}, t);
    CHECK(bytes_of(dir / "drawn.h5") == bytes_of(dir / "whole.h5"));
    for (std::size_t k = 0; k < sets; ++k) {
        INFO("weight set " << k);
        const std::size_t rows = made.offsets[k].size() - 1, entries = made.offsets[k].back();
        REQUIRE(entries > 40 * t.slab);  // many blocks
        // A block holds the four slabs' entries, from the row that holds
        // the first of them to the end of the row that holds the last.
        CHECK(largest[k] >= 4 * t.slab);
        CHECK(largest[k] <= 4 * t.slab + 2 * fan_in);
        // Once for the values, once for the sources, and again the row a
        // block starts in where the block before it ended in that row.
        CHECK(rows_made[k] >= 2 * rows);
        CHECK(rows_made[k] <= 2 * rows + 2 * (entries / (4 * t.slab) + 1));
    }
}
