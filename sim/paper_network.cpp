#include "sim/paper_network.hpp"

namespace gust {
namespace {

// The layer's weights as a network matrix: copied, or taken over (the
// layer keeps its shape and bias but no weights).
std::shared_ptr<const weight_matrix> weights_of(const linear_layer& l) {
    return std::make_shared<const weight_matrix>(weight_matrix{l.out, l.in, l.weight, l.indptr, l.indices});
}
std::shared_ptr<const weight_matrix> weights_of(linear_layer&& l) {
    return std::make_shared<const weight_matrix>(
        weight_matrix{l.out, l.in, std::move(l.weight), std::move(l.indptr), std::move(l.indices)});
}

population graded(std::string name, const linear_layer& l, activation act,
                  initial_history h = initial_history::zeros) {
    population p;
    p.name = std::move(name);
    p.type = population::kind::graded;
    p.size = l.out;
    p.act = act;
    p.bias = l.bias;
    p.history = h;
    return p;
}

}  // namespace

namespace {

template <class Model>
network build(Model&& m) {
    using P = paper_populations;
    network net;
    net.cycle = m.T;
    net.spiking = P::pixels;

    population pixels;
    pixels.name = "pixels";
    pixels.type = population::kind::spiking;
    pixels.size = m.n_pixels();
    pixels.context = P::context;
    pixels.theta = m.theta;
    pixels.refractory = m.refractory;
    net.populations = {pixels,
                       graded("enc1", m.enc1, activation::relu),
                       // The delay line D starts as i.i.d. Uniform[0,1).
                       graded("hidden", m.enc2, activation::sigmoid, initial_history::uniform),
                       graded("dec1", m.dec1, activation::relu),
                       graded("context", m.dec2, activation::sigmoid)};

    auto w1 = weights_of(std::forward<Model>(m).enc1);
    net.projections = {{P::pixels, P::enc1, w1, 0, 1.0f},
                       {P::pixels, P::enc1, w1, 1, m.release_p},
                       {P::enc1, P::hidden, weights_of(std::forward<Model>(m).enc2), 0, 1.0f},
                       {P::hidden, P::dec1, weights_of(std::forward<Model>(m).dec1), m.T, 1.0f},
                       {P::dec1, P::context, weights_of(std::forward<Model>(m).dec2), 0, 1.0f}};
    net.validate();
    return net;
}

}  // namespace

network paper_network(const gust_model& m) { return build(m); }
network paper_network(gust_model&& m) { return build(std::move(m)); }

}  // namespace gust
