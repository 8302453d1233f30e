#include "learning/model_parameters.hpp"

namespace gust::learning {

std::vector<parameter_slot> parameter_layout(const network_model& m) {
    const network_description& d = m.description;
    std::vector<parameter_slot> out;
    std::vector<bool> bias_placed(d.populations.size(), false);
    std::size_t set = 0;
    for (std::size_t j = 0; j < d.projections.size(); ++j) {
        const projection_spec& pr = d.projections[j];
        if (!pr.owns_weights()) continue;
        const weight_matrix& w = *m.net.projections[j].weights;
        parameter_slot s;
        s.name = "/" + pr.name + "/weight";
        s.weight_set = set;
        s.shape = w.sparse() ? std::vector<std::size_t>{w.nnz()} : std::vector<std::size_t>{w.rows, w.cols};
        out.push_back(s);
        const std::size_t t = m.net.projections[j].target;
        if (!bias_placed[t]) {
            bias_placed[t] = true;
            if (!m.net.populations[t].bias.empty()) {
                parameter_slot b;
                b.name = "/" + pr.name + "/bias";
                b.weight_set = set;
                b.is_bias = true;
                b.population = t;
                b.shape = {m.net.populations[t].size};
                out.push_back(b);
            }
        }
        ++set;
    }
    return out;
}

tensor_list parameter_values(const network_model& m) {
    const network_parameters p = parameters_of(m);
    tensor_list out;
    for (const parameter_slot& s : parameter_layout(m))
        out.push_back(s.is_bias ? p.biases[s.population] : p.weights[s.weight_set].w);
    return out;
}

network_model with_parameter_values(const network_model& m, tensor_list&& values) {
    network_parameters p = parameters_of(m);
    const auto layout = parameter_layout(m);
    for (std::size_t i = 0; i < layout.size(); ++i) {
        std::vector<float>& dst = layout[i].is_bias ? p.biases[layout[i].population] : p.weights[layout[i].weight_set].w;
        dst = std::move(values[i]);
    }
    return assemble(m.description, std::move(p), "model");
}

tensor_list gradient_values(const network_model& m, network_gradient&& g) {
    tensor_list out;
    for (const parameter_slot& s : parameter_layout(m))
        out.push_back(std::move(s.is_bias ? g.biases[s.population] : g.weights[s.weight_set]));
    return out;
}

tensor_list zeros_like_parameters(const network_model& m) {
    tensor_list out;
    for (const parameter_slot& s : parameter_layout(m)) {
        std::size_t n = 1;
        for (std::size_t k : s.shape) n *= k;
        out.emplace_back(n, 0.0f);
    }
    return out;
}

}  // namespace gust::learning
