// The event backend's spike router on its own: spikes sent by any partition
// in any order come out as each afferent group's input list, ascending, the
// group's projections merged and only released copies kept; wake-ups fall
// due after exactly their delay.
#include <catch2/catch.hpp>

#include <map>
#include <memory>

#include "sim/event_setup.hpp"
#include "sim/philox_draws.hpp"
#include "sim/spike_router.hpp"

using namespace gust;
using event_detail::spike_router;

namespace {

// Spiking population 0 (8 neurons) reads graded population 2 as context;
// it feeds graded population 1 through one matrix twice: at delay 1, and
// at delay 3 with release probability 0.5 (the paper's spike and its
// delayed copy).
network router_network() {
    network net;
    population s, h, c;
    s.type = population::kind::spiking;
    s.size = 8;
    s.context = 2;
    h.size = 3;
    c.size = 8;
    net.populations = {s, h, c};
    auto w1 = std::make_shared<weight_matrix>();
    w1->rows = 3;
    w1->cols = 8;
    w1->w.assign(24, 0.25f);
    auto w2 = std::make_shared<weight_matrix>();
    w2->rows = 8;
    w2->cols = 3;
    w2->w.assign(24, 0.5f);
    net.projections = {{0, 1, w1, 1, 1.0f, {}}, {0, 1, w1, 3, 0.5f, {}}, {1, 2, w2, 0, 1.0f, {}}};
    net.spiking = {0};
    net.readout = 0;
    return net;
}

}  // namespace

TEST_CASE("spike router: a group's input is every released spike due, ascending, copies merged", "[event][router]") {
    const network net = router_network();
    const event_setup setup(net, 2);  // partitions: neurons 0-3 and 4-7
    const philox_draws draws(7);
    const std::size_t image = 3;
    spike_router router(setup, draws);
    router.clear();

    // Spikes of partition 1 sent before those of partition 0, at steps 0 and 2.
    const std::map<std::int64_t, std::vector<std::vector<std::uint32_t>>> fired = {
        {0, {{1, 2}, {5, 7}}}, {2, {{2, 3}, {4}}}};
    for (const auto& [k, parts] : fired) {
        router.send(0, 1, k, parts[1]);
        router.send(0, 0, k, parts[0]);
    }
    for (std::int64_t k = 0; k <= 6; ++k) {
        // What arrives: the spikes of k - 1, and the released copies of k - 3.
        std::map<std::uint32_t, float> expected;
        std::uint64_t due = 0;
        if (auto it = fired.find(k - 1); it != fired.end())
            for (const auto& part : it->second)
                for (std::uint32_t i : part) {
                    ++due;
                    expected[i] += 1.0f;
                }
        if (auto it = fired.find(k - 3); it != fired.end())
            for (const auto& part : it->second)
                for (std::uint32_t i : part) {
                    ++due;
                    if (draws.release_at(image, 1, k, i) < 0.5f) expected[i] += 1.0f;
                }
        std::vector<column_input> columns;
        event_stats st;
        router.deliver(1, 0, k, image, columns, st);
        INFO("step " << k);
        CHECK(st.events == due);
        REQUIRE(columns.size() == expected.size());
        std::size_t j = 0;
        for (const auto& [i, v] : expected) {
            CHECK(columns[j].source == i);
            CHECK(columns[j].value == v);
            ++j;
        }
    }
}

TEST_CASE("spike router: wake-ups fall due at their step, ascending, per partition", "[event][router]") {
    const network net = router_network();
    const event_setup setup(net, 2);
    const philox_draws draws(1);
    spike_router router(setup, draws);
    router.clear();
    router.wake_at(0, 0, 9, 3);
    router.wake_at(0, 0, 9, 1);
    router.wake_at(0, 1, 9, 6);
    router.wake_at(0, 0, 11, 2);
    std::vector<std::uint32_t> woken;
    router.pop_woken(0, 0, 8, woken);
    CHECK(woken.empty());
    router.pop_woken(0, 0, 9, woken);
    CHECK(woken == std::vector<std::uint32_t>{1, 3});
    woken.clear();
    router.pop_woken(0, 1, 9, woken);
    CHECK(woken == std::vector<std::uint32_t>{6});
    woken.clear();
    router.pop_woken(0, 0, 11, woken);
    CHECK(woken == std::vector<std::uint32_t>{2});
    router.clear();  // a new image forgets what was pending
    router.wake_at(0, 1, 4, 5);
    router.clear();
    woken.clear();
    router.pop_woken(0, 1, 4, woken);
    CHECK(woken.empty());
}
