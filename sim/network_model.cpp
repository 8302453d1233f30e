#include "sim/network_model.hpp"

#include <algorithm>
#include <memory>

#include "core/error.hpp"

namespace gust {

network_model assemble(network_description d, network_parameters&& p, const std::string& origin) {
    network net;
    net.cycle = d.cycle;
    net.readout = d.population_index(d.readout);
    if (p.biases.size() != d.populations.size()) throw input_error(origin + ": one bias entry per population expected");
    for (std::size_t i = 0; i < d.populations.size(); ++i) {
        const population_spec& s = d.populations[i];
        population q;
        q.name = s.name;
        q.type = s.type;
        q.size = s.size;
        if (s.type == population::kind::spiking) {
            q.context = d.population_index(s.context);
            q.theta = s.theta;
            q.refractory = s.refractory;
            net.spiking.push_back(i);
        } else {
            q.act = s.act;
            q.history = s.history;
            q.bias = std::move(p.biases[i]);
            const std::size_t want = s.bias ? s.size : 0;
            if (q.bias.size() != want)
                throw input_error(origin + ": bias of population '" + s.name + "' has " +
                                  std::to_string(q.bias.size()) + " entries, expected " + std::to_string(want));
        }
        net.populations.push_back(std::move(q));
    }
    // Weight sets first (in owner order), then the projections that share them.
    std::vector<std::shared_ptr<const weight_matrix>> owned(d.projections.size());
    std::size_t next = 0;
    for (std::size_t j = 0; j < d.projections.size(); ++j) {
        const projection_spec& pr = d.projections[j];
        if (!pr.owns_weights()) continue;
        if (next == p.weights.size()) throw input_error(origin + ": weight set '" + pr.name + "' is missing");
        weight_matrix& w = p.weights[next++];
        const std::size_t rows = net.populations[d.population_index(pr.target)].size,
                          cols = net.populations[d.population_index(pr.source)].size;
        if (w.rows != rows || w.cols != cols)
            throw input_error(origin + ": weight set '" + pr.name + "' is [" + std::to_string(w.rows) + ", " +
                              std::to_string(w.cols) + "], the network needs [" + std::to_string(rows) + ", " +
                              std::to_string(cols) + "] (" + pr.target + " x " + pr.source + ")");
        w.validate(origin + ": weight set '" + pr.name + "'");
        // Not a const object: to_paper_model(network_model&&) may take its arrays over.
        owned[j] = std::make_shared<weight_matrix>(std::move(w));
    }
    if (next != p.weights.size()) throw input_error(origin + ": more weight sets than the description defines");
    // A shared set's fields are its owner's.
    std::vector<std::shared_ptr<const local_window>> fields(d.projections.size());
    for (std::size_t j = 0; j < d.projections.size(); ++j) {
        const projection_spec& pr = d.projections[j];
        if (pr.owns_weights() && pr.conn == connectivity::local && owned[j]->sparse())
            fields[j] = std::make_shared<const local_window>(owned[j]->rows, owned[j]->cols,
                                                             std::max<std::size_t>(pr.radius, 1),
                                                             double(d.width) / double(d.height));
    }
    for (const projection_spec& pr : d.projections) {
        projection q;
        q.source = d.population_index(pr.source);
        q.target = d.population_index(pr.target);
        const std::size_t owner = pr.owns_weights() ? d.weight_set_owner(pr.name) : d.weight_set_owner(pr.shares);
        q.weights = owned[owner];
        q.fields = fields[owner];
        q.delay = pr.delay;
        q.release_p = pr.release_p;
        net.projections.push_back(std::move(q));
    }
    try {
        net.validate(false);  // each weight set was validated above, with its name
    } catch (const input_error& e) {
        throw input_error(origin + ": " + e.what());
    }
    return {std::move(d), std::move(net)};
}

void require_stored_weights(const network_model& m, const std::string& to_do) {
    for (std::size_t j = 0; j < m.description.projections.size(); ++j)
        if (m.description.projections[j].owns_weights() && m.net.projections[j].weights->procedural())
            throw input_error("projection '" + m.description.projections[j].name +
                              "' is procedural: its synapses are not stored; set procedural = false to " + to_do);
}

network_parameters parameters_of(const network_model& m) {
    network_parameters p;
    for (std::size_t j = 0; j < m.description.projections.size(); ++j)
        if (m.description.projections[j].owns_weights()) p.weights.push_back(*m.net.projections[j].weights);
    for (const population& q : m.net.populations) p.biases.push_back(q.bias);
    return p;
}

}  // namespace gust
