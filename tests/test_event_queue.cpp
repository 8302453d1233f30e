// The scheduler: canonical pop order, delays, wake-ups and release statistics.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/event_queue.hpp"
#include "sim/philox_draws.hpp"

using namespace gust;

TEST_CASE("scheduler: events due at one step pop by channel then unit whatever the push order", "[scheduler]") {
    event_queue q;
    const spike_event pushed[] = {{5, 1, 9}, {3, 0, 4}, {5, 0, 7}, {5, 1, 2}, {4, 2, 1}, {5, 0, 3}, {6, 0, 0}};
    for (const auto& e : pushed) q.push(e);
    std::vector<spike_event> got;
    q.pop_due(5, [&](const spike_event& e) { got.push_back(e); });
    REQUIRE(got.size() == 6);
    for (std::size_t i = 1; i < got.size(); ++i) CHECK(got[i - 1] < got[i]);
    CHECK(got[0].step == 3);
    CHECK(got[2].step == 5);
    CHECK(got[2].unit == 3);
    CHECK(got[5].unit == 9);
    CHECK(q.size() == 1);  // the event due at 6 stays
    q.pop_due(5, [&](const spike_event&) { FAIL("nothing more is due at 5"); });
}

TEST_CASE("scheduler: a delayed event is delivered exactly delay steps later", "[scheduler]") {
    event_queue q;
    for (int delay : {0, 1, 3, 10}) q.push({100 + delay, static_cast<std::uint32_t>(delay), 1});
    std::vector<std::int64_t> delivered;
    for (std::int64_t k = 95; k < 120; ++k)
        q.pop_due(k, [&](const spike_event& e) {
            CHECK(e.step == k);
            delivered.push_back(k - 100);
        });
    CHECK(delivered == std::vector<std::int64_t>{0, 1, 3, 10});
}

TEST_CASE("scheduler: wake-ups sort after spikes of the same step", "[scheduler]") {
    event_queue q;
    q.push({9, spike_event::wake_channel, 0});
    q.push({9, 3, 5});
    std::vector<std::uint32_t> channels;
    q.pop_due(9, [&](const spike_event& e) { channels.push_back(e.channel); });
    CHECK(channels == std::vector<std::uint32_t>{3, spike_event::wake_channel});
}

TEST_CASE("scheduler: release draws pass a fraction p of spikes within a binomial interval", "[scheduler][stat]") {
    // n = 200000 Bernoulli(p) releases; 5 sigma bound (fixed seed).
    const philox_draws d(31);
    const std::size_t n = 200000;
    for (float p : {0.1f, 0.5f, 0.9f}) {
        std::size_t released = 0;
        for (std::size_t i = 0; i < n; ++i) released += d.release_at(0, 1, static_cast<std::int64_t>(i % 300), i / 300) < p;
        const double rate = static_cast<double>(released) / n;
        CHECK(std::fabs(rate - p) < 5 * std::sqrt(p * (1 - p) / n));
    }
}
