// A model split among processes that share each image (sim/held_rows.hpp):
// each holds, of every stored sparse set, rows drawn or read exactly as in
// the whole model, covering every row it uses, and nothing else.
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_runner.hpp"
#include "io/network_file.hpp"
#include "io/network_toml.hpp"
#include "sim/event_schedule.hpp"
#include "sim/event_setup.hpp"
#include "sim/held_rows.hpp"
#include "sim/memory_account.hpp"
#include "sim/network_init.hpp"

using namespace gust;

namespace {

// The billion-synapse description at 28 x 28: local stored sets, fixed
// draws, a demand-driven decoder chain behind the context.
network_description small_local(const std::string& draw) {
    std::ifstream in(std::string(GUST_SOURCE_DIR) + "/examples/networks/sparse_local_1g.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"height = 1600", "height = 28"}, {"width = 1600", "width = 28"}, {"size = 320000", "size = 98"},
             {"radius = 8", "radius = 8" + draw}})
        for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
    return parse_network_description(text, "small.toml");
}

// Row r of W: its sources and values.
std::pair<std::vector<std::uint32_t>, std::vector<float>> row_of(const weight_matrix& W, std::size_t r) {
    std::vector<std::uint32_t> sources;
    for (std::uint32_t e = W.indptr[r]; e < W.indptr[r + 1]; ++e) sources.push_back(W.indices.at(r, e));
    return {sources,
            {W.w.begin() + W.indptr[r], W.w.begin() + W.indptr[r + 1]}};
}

// Every set of `part` holds rows equal to `whole`'s, or empty ones; returns
// the held synapses.
std::size_t check_part(const network_model& whole, const network_model& part) {
    std::size_t held = 0;
    for (std::size_t j = 0; j < whole.net.projections.size(); ++j) {
        const weight_matrix &W = *whole.net.projections[j].weights, &P = *part.net.projections[j].weights;
        if (!W.sparse()) continue;
        REQUIRE(P.indptr.size() == W.indptr.size());
        for (std::size_t r = 0; r < W.rows; ++r)
            if (P.indptr[r + 1] > P.indptr[r]) CHECK(row_of(P, r) == row_of(W, r));
        held += P.nnz();
    }
    return held;
}

}  // namespace

TEST_CASE("held rows: drawn or read row by row, a set's rows are the whole model's, and the processes hold "
          "every row between them, none all of them",
          "[held-rows][network]") {
    for (const std::string draw : {"", "\ndraw = \"independent\""}) {
        INFO("draw: " << (draw.empty() ? "fixed" : "independent"));
        const network_description d = small_local(draw);
        const network_model whole = init_network(d, 5, "small.toml");
        test::temp_dir dir;
        const std::string file = dir / "m.h5";
        write_network_model(file, whole);
        std::size_t total = 0;
        for (std::size_t ranks : {2u, 3u}) {
            std::size_t sum = 0;
            for (std::size_t rank = 0; rank < ranks; ++rank) {
                const network_model drawn = init_network_rows(d, 5, "small.toml", {2, rank, ranks});
                const network_model read = read_network_model_rows(file, {2, rank, ranks});
                const std::size_t held = check_part(whole, drawn);
                CHECK(check_part(whole, read) == held);
                CHECK(held < stored_synapses(whole));
                sum += held;
            }
            total = stored_synapses(whole);
            CHECK(sum >= total);             // every row somewhere
            CHECK(sum < total * ranks);      // and not everywhere (at 28 x 28 a radius of 8 is a wide halo)
        }
    }
}

TEST_CASE("held rows: a process uses its own rows of every layer and, of the demand-driven chain, the sources "
          "of its context rows",
          "[held-rows]") {
    const network_description d = small_local("");
    const network_model m = init_network(d, 5, "small.toml");
    const event_setup s(m.net, 4, 2, 3);  // the third of four
    const auto used = event_detail::used_rows(s);
    for (std::size_t p = 0; p < m.net.populations.size(); ++p) {
        INFO(m.net.populations[p].name);
        const auto& b = s.plan.bounds[p];
        std::size_t own = 0, other = 0;
        for (std::size_t i = 0; i < used[p].size(); ++i) (i >= b[2] && i < b[3] ? own : other) += used[p][i];
        if (!s.schedule.demand_driven(p) || m.net.populations[p].name == "context") {
            CHECK(own == b[3] - b[2]);
            CHECK(other == 0);
        } else {  // dec1: the sources of the context's rows, reaching past the band's borders
            CHECK(own > 0);
            CHECK(other > 0);
            CHECK(own + other < used[p].size());
        }
    }
}

TEST_CASE("held rows: a process that records states uses every own row of a demand-driven layer too",
          "[held-rows]") {
    // A context reading 4 of its 289 candidates leaves some of the band's
    // decoder rows unread by the band's context rows.
    network_description d = small_local("");
    d.projections.back().fan_in = 4;
    const network_model m = init_network(d, 5, "small.toml");
    event_setup s(m.net, 4, 1, 2);
    const auto read = event_detail::used_rows(s);
    s.records_own_rows = true;
    const auto recorded = event_detail::used_rows(s);
    std::size_t unread_own = 0;
    for (std::size_t p = 0; p < m.net.populations.size(); ++p) {
        INFO(m.net.populations[p].name);
        const auto& b = s.plan.bounds[p];
        for (std::size_t i = 0; i < read[p].size(); ++i) {
            if (read[p][i]) CHECK(recorded[p][i]);
            if (i >= b[1] && i < b[2]) {
                CHECK(recorded[p][i]);
                unread_own += !read[p][i];
            }
        }
    }
    CHECK(unread_own > 0);  // else the case shows nothing
}

TEST_CASE("held rows: a rank's memory account counts the synapses hold_rows gives it and its partitions' "
          "fan-out tables, the same from the whole model or its part",
          "[held-rows][memory]") {
    const network_description d = small_local("");
    const network_model whole = init_network(d, 5, "small.toml");
    for (std::size_t rank = 0; rank < 3; ++rank) {
        INFO("rank " << rank << " of 3");
        const network_model part = init_network_rows(d, 5, "small.toml", {2, rank, 3});
        const memory_account m = rank_memory(whole.net, {2, rank, 3});
        CHECK(m.synapses == stored_synapses(part));
        const memory_account held =
            account_memory(part.net, event_setup(part.net, 6, 2 * rank, 2 * rank + 2, false).plan);
        CHECK(m.weights == held.weights);
        CHECK(m.fanouts == held.fanouts);
        CHECK(m.fanouts < account_memory(whole.net, event_setup(whole.net, 6, 0, 6, false).plan).fanouts);
        // Counted on the part alone, as gust topology does for a network
        // beyond one machine: the same.
        const memory_account alone = rank_memory(part.net, {2, rank, 3});
        CHECK(alone.synapses == m.synapses);
        CHECK(alone.weights == m.weights);
        CHECK(alone.fanouts == m.fanouts);
    }
}

TEST_CASE("held rows: sources marked outside a known range are those of every marked row, whichever rows are "
          "passed over",
          "[held-rows]") {
    // The rows of local sets (sources near the row, cut by the border),
    // every other row marked.
    const network_model m = init_network(small_local(""), 5, "small.toml");
    for (const auto& pr : m.net.projections) {
        const weight_matrix& W = *pr.weights;
        if (!W.sparse() || W.procedural()) continue;
        std::vector<char> rows(W.rows, 0);
        for (std::size_t i = 0; i < W.rows; i += 2) rows[i] = 1;
        std::vector<char> all(W.cols, 0);
        event_detail::mark_sources(W, rows, all);
        std::size_t passed_over = 0;
        for (const auto& [lo, hi] : std::vector<std::pair<std::size_t, std::size_t>>{
                 {0, W.cols}, {W.cols / 3, 2 * W.cols / 3}, {0, W.cols / 2}, {W.cols / 2, W.cols}, {5, 6}}) {
            std::vector<char> outside(W.cols, 0);
            event_detail::mark_sources(W, rows, outside, lo, hi);
            for (std::size_t u = 0; u < W.cols; ++u) {
                if (u < lo || u >= hi) CHECK(outside[u] == all[u]);
                CHECK(outside[u] <= all[u]);  // nothing that is not a source
                passed_over += outside[u] < all[u];
            }
        }
        CHECK(passed_over > 0);  // the local rows inside a range are not walked
    }
}
