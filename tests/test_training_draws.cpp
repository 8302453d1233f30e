// Training's draws: keyed by pass, so epochs differ and validation repeats;
// and in a network with several stochastic projections or uniform-history
// populations each gets its own stream, while the first of each keeps the
// streams the paper network has always used.
#include <catch2/catch.hpp>

#include "learning/training_draws.hpp"
#include "sim/paper_network.hpp"

using namespace gust;
using namespace gust::learning;

TEST_CASE("training draws: each stochastic projection and uniform population has its own stream", "[training][rng]") {
    network net = paper_network(init_model({6, 6, 5, 8, 4}, 1));
    const training_draws plain(3, training_pass(2)), paper(3, training_pass(2), &net);
    std::vector<float> a(36), b(36);
    // The paper network keeps its streams.
    plain.release(4, 1, 7, a.data(), 36);
    paper.release(4, 1, 7, b.data(), 36);
    CHECK(a == b);
    plain.initial_history(4, 2, 1, 4, a.data(), 5);
    paper.initial_history(4, 2, 1, 4, b.data(), 5);
    CHECK(std::vector<float>(a.begin(), a.begin() + 5) == std::vector<float>(b.begin(), b.begin() + 5));
    // A second stochastic projection and a second uniform population draw differently from the first.
    net.projections[3].release_p = 0.5f;
    net.populations[3].history = initial_history::uniform;
    const training_draws two(3, training_pass(2), &net);
    two.release(4, 1, 7, a.data(), 36);
    two.release(4, 3, 7, b.data(), 36);
    CHECK(a != b);
    CHECK(two.release_at(4, 3, 7, 5) == b[5]);
    two.initial_history(4, 2, 1, 4, a.data(), 5);
    two.initial_history(4, 3, 1, 4, b.data(), 5);
    CHECK(std::vector<float>(a.begin(), a.begin() + 5) != std::vector<float>(b.begin(), b.begin() + 5));
    // Epochs differ, the same pass repeats.
    const training_draws next(3, training_pass(3), &net), again(3, training_pass(2), &net);
    next.release(4, 1, 7, b.data(), 36);
    again.release(4, 1, 7, a.data(), 36);
    CHECK(a != b);
    std::vector<float> c(36);
    two.release(4, 1, 7, c.data(), 36);
    CHECK(a == c);
}
