#include "sim/network.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace gust {

std::vector<std::size_t> network::evaluation_order() const {
    // Kahn's algorithm over the zero-delay dependencies (projections, and the
    // spiking population's read of its context). Ties keep index order so the
    // result is deterministic.
    const std::size_t n = populations.size();
    std::vector<std::vector<std::size_t>> out(n);
    std::vector<int> indeg(n, 0);
    auto edge = [&](std::size_t from, std::size_t to) {
        out[from].push_back(to);
        ++indeg[to];
    };
    for (const auto& p : projections)
        if (p.delay == 0) edge(p.source, p.target);
    for (std::size_t i = 0; i < n; ++i)
        if (populations[i].type == population::kind::spiking) edge(populations[i].context, i);
    std::vector<std::size_t> order, ready;
    for (std::size_t i = 0; i < n; ++i)
        if (indeg[i] == 0) ready.push_back(i);
    while (!ready.empty()) {
        auto it = std::min_element(ready.begin(), ready.end());
        std::size_t v = *it;
        ready.erase(it);
        order.push_back(v);
        for (std::size_t w : out[v])
            if (--indeg[w] == 0) ready.push_back(w);
    }
    if (order.size() != n) throw input_error("network: a loop of zero-delay projections has no start");
    return order;
}

std::vector<std::size_t> network::spiking_places() const {
    std::vector<std::size_t> place(populations.size(), 0);
    for (std::size_t j = 0; j < spiking.size(); ++j) place[spiking[j]] = j;
    return place;
}

int network::max_delay_from(std::size_t p) const {
    int d = 0;
    for (const auto& pr : projections)
        if (pr.source == p) d = std::max(d, pr.delay);
    return d;
}

void network::validate(bool check_weights) const {
    const std::size_t n = populations.size();
    std::vector<std::size_t> all;
    for (std::size_t p = 0; p < n; ++p)
        if (is_spiking(p)) all.push_back(p);
    if (all.empty()) throw input_error("network: no spiking population to drive with the image");
    if (spiking != all) throw input_error("network: the list of spiking populations is not the spiking populations");
    if (std::find(all.begin(), all.end(), readout) == all.end())
        throw input_error("network: the read-out population is not a spiking population");
    std::vector<bool> read_as_context(n, false);
    for (const auto& pop : populations) {
        if (pop.size == 0) throw input_error("network: population '" + pop.name + "' is empty");
        if (pop.type == population::kind::graded && !pop.bias.empty() && pop.bias.size() != pop.size)
            throw input_error("network: bias of '" + pop.name + "' has the wrong length");
        if (pop.type != population::kind::spiking) continue;
        if (pop.context >= n || populations[pop.context].size != pop.size ||
            populations[pop.context].type != population::kind::graded)
            throw input_error("network: context of '" + pop.name + "' must be a graded population of its size");
        if (pop.size != populations[readout].size)
            throw input_error("network: spiking populations differ in size (the image drives each)");
        if (read_as_context[pop.context])
            throw input_error("network: two spiking populations read the same context");
        read_as_context[pop.context] = true;
    }
    std::vector<const weight_matrix*> checked;  // a set that projections share is checked once
    for (const auto& p : projections) {
        if (p.source >= n || p.target >= n || !p.weights)
            throw input_error("network: projection refers to an unknown population");
        if (populations[p.target].type != population::kind::graded)
            throw input_error("network: only graded populations take projections");
        const std::string name = "network: projection " + populations[p.source].name + " -> " + populations[p.target].name;
        if (p.weights->rows != populations[p.target].size || p.weights->cols != populations[p.source].size)
            throw input_error(name + " has weights of the wrong shape");
        if (check_weights && std::find(checked.begin(), checked.end(), p.weights.get()) == checked.end()) {
            p.weights->validate(name);
            checked.push_back(p.weights.get());
        }
        if (p.delay < 0) throw input_error("network: negative delay");
        if (!(p.release_p >= 0.0f && p.release_p <= 1.0f))
            throw input_error("network: release probability outside [0, 1]");
    }
    evaluation_order();
}

void network::check_image_size(std::size_t pixels) const {
    if (pixels != populations[readout].size)
        throw input_error("images have " + std::to_string(pixels) + " pixels, the network's spiking populations have " +
                          std::to_string(populations[readout].size) + " neurons");
}

}  // namespace gust
