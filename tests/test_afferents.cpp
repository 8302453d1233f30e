// The afferent plan's fan-out (sim/afferents.hpp): with partitions, a sparse
// set's synapses live only in the slices, and reading the whole layer or a
// source's out-degree through them gives what the whole table gives; a set
// summed by rows has a table only where the rows it reaches are listed, and
// not even there when they are found on its grid.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "io/network_toml.hpp"
#include "local_network.hpp"
#include "sim/afferents.hpp"
#include "sim/backend.hpp"
#include "sim/event_setup.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

TEST_CASE("afferents: slices give every row the whole table's sums, bit for bit, and every source its out-degree",
          "[sparse][determinism][memory]") {
    model_sizes s;
    s.sparse_fan_in = 16;
    const network net = paper_network(init_model(s, 1));
    afferent_plan whole(net, 1), sliced(net, 3);  // 400 hidden rows: unequal slices
    const std::vector<bool> every(net.populations.size(), true);  // the tables of sets summed by rows too
    whole.add_listing_tables(net, every);
    sliced.add_listing_tables(net, every);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> value(-2.0f, 2.0f);
    std::bernoulli_distribution active(0.3);
    std::size_t checked = 0;
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
        REQUIRE(whole.groups[p].size() == sliced.groups[p].size());
        for (std::size_t gi = 0; gi < whole.groups[p].size(); ++gi) {
            const afferent_group& a = whole.groups[p][gi];
            const afferent_group& b = sliced.groups[p][gi];
            REQUIRE(a.weights->sparse());
            REQUIRE(b.slices.size() == 3);
            // The whole table keeps its shape and no synapses.
            CHECK(b.fanout.rows == a.fanout.rows);
            CHECK(b.fanout.cols == a.fanout.cols);
            CHECK_FALSE(b.fanout.dense);
            CHECK(b.fanout.targets.empty());
            CHECK(b.fanout.values.empty());
            CHECK(b.fanout.near.empty());
            std::size_t synapses = 0;
            for (std::uint32_t c = 0; c < a.weights->cols; ++c) {
                CHECK(b.out_degree(c) == a.out_degree(c));
                synapses += b.out_degree(c);
            }
            CHECK(synapses == a.weights->nnz());
            std::vector<column_input> in;
            std::vector<float> dense_in(a.weights->cols, 0.0f);
            for (std::uint32_t c = 0; c < a.weights->cols; ++c)
                if (active(rng)) {
                    in.push_back({c, value(rng)});
                    dense_in[c] = in.back().value;
                }
            std::vector<float> acc_a(a.weights->rows), acc_b;
            for (float& x : acc_a) x = value(rng);
            acc_b = acc_a;
            a.accumulate_all_rows(in.data(), in.size(), dense_in.data(), acc_a.data());
            b.accumulate_all_rows(in.data(), in.size(), dense_in.data(), acc_b.data());
            CHECK(std::memcmp(acc_a.data(), acc_b.data(), acc_a.size() * sizeof(float)) == 0);
            ++checked;
        }
    }
    CHECK(checked == 4);  // encoder/fc1 (shared by the spike and its copy), hidden, dec1, context
}

TEST_CASE("afferents: a set summed by rows gets its table of targets only for the populations asked, the event "
          "backend's dirty-row layers",
          "[sparse][memory]") {
    model_sizes s;
    s.sparse_fan_in = 16;
    const network net = paper_network(init_model(s, 1));
    const std::size_t enc1 = 1, hidden = 2, dec1 = 3, context = 4;
    REQUIRE(net.populations[hidden].size == 400);
    auto built = [](const afferent_group& g) { return !g.fanout.col_ptr.empty(); };
    afferent_plan plan(net, 1);
    CHECK(built(plan.groups[enc1][0]));  // spikes are scattered through it: always built
    for (std::size_t p : {hidden, dec1, context}) {
        REQUIRE(plan.groups[p][0].by_rows);
        CHECK_FALSE(built(plan.groups[p][0]));
        CHECK(plan.groups[p][0].fanout.rows == net.populations[p].size);  // its shape is kept
    }
    std::vector<bool> listed(net.populations.size(), false);
    listed[dec1] = true;
    plan.add_listing_tables(net, listed);
    CHECK(built(plan.groups[dec1][0]));
    CHECK(plan.groups[dec1][0].fanout.values.empty());  // targets only
    CHECK_FALSE(built(plan.groups[hidden][0]));
    CHECK_FALSE(built(plan.groups[context][0]));
    // The event backend asks for its dirty-row layers': hidden (its rows
    // found from enc1's changes), not the decoder's, computed on demand.
    const event_setup setup(net, 1);
    CHECK(built(setup.plan.groups[hidden][0]));
    CHECK_FALSE(built(setup.plan.groups[dec1][0]));
    CHECK_FALSE(built(setup.plan.groups[context][0]));
}

TEST_CASE("afferents: a local set finds the rows a change reaches on its grid with no table, a set with a synapse "
          "outside its field through its table, both with the dense backend's spikes",
          "[sparse][memory][event]") {
    const network_model m = init_network(parse_network_description(test::local_network(""), "l.toml"), 4, "l.toml");
    const std::size_t hidden = 2;  // enc1 to hidden: the event backend's dirty-row layer
    auto built = [](const afferent_group& g) { return !g.fanout.col_ptr.empty() || !g.slices.empty(); };
    const event_setup on_grid(m.net, 2);
    REQUIRE(on_grid.plan.groups[hidden].size() == 1);
    CHECK(on_grid.plan.groups[hidden][0].fields == m.net.projections[2].fields.get());
    CHECK_FALSE(built(on_grid.plan.groups[hidden][0]));

    network strayed = m.net;  // row 0 reads the far corner
    strayed.projections[2].weights =
        std::make_shared<const weight_matrix>(test::with_synapse_moved(*m.net.projections[2].weights, 0));
    const event_setup by_table(strayed, 2);
    CHECK(by_table.plan.groups[hidden][0].fields == nullptr);
    CHECK(built(by_table.plan.groups[hidden][0]));

    const auto px = test::shape_images(3, 24, 32);
    const image_batch batch{3, 24 * 32, px.data(), {1, 2, 3}};
    const philox_draws draws(8);
    sim_options opt;
    opt.cycles = 3;
    opt.record = {2};  // hidden
    for (const network* net : {&m.net, static_cast<const network*>(&strayed)}) {
        const auto dense = simulate(backend_kind::dense, *net, batch, draws, opt);
        std::size_t spikes = 0;
        for (const auto& r : dense) spikes += r.steps.size();
        CHECK(spikes > 20);
        for (std::size_t parts : {1u, 2u}) {
            INFO((net == &m.net ? "on the grid" : "by table") << ", partitions " << parts);
            sim_options o = opt;
            o.partitions = parts;
            o.threads = parts;
            event_stats st;
            const auto event = simulate_event(*net, batch, draws, o, {}, &st);
            CHECK(st.row_updates > 0);
            REQUIRE(event.size() == dense.size());
            for (std::size_t i = 0; i < event.size(); ++i) {
                CHECK(event[i].steps == dense[i].steps);
                CHECK(event[i].neurons == dense[i].neurons);
                CHECK(event[i].recorded == dense[i].recorded);
            }
        }
    }
}
