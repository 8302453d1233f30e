#include "sim/paper_network.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/freed_memory.hpp"

namespace gust {

namespace {

population_spec graded(std::string name, std::size_t size, activation act,
                       initial_history h = initial_history::zeros) {
    population_spec p;
    p.name = std::move(name);
    p.type = population::kind::graded;
    p.size = size;
    p.act = act;
    p.history = h;
    return p;
}

projection_spec owning(std::string name, std::string from, std::string to, int delay, const model_sizes& s) {
    projection_spec p;
    p.name = std::move(name);
    p.source = std::move(from);
    p.target = std::move(to);
    p.delay = delay;
    if (s.sparse_fan_in > 0) {
        p.conn = s.receptive_field > 0 ? connectivity::local : connectivity::random;
        p.fan_in = s.sparse_fan_in;
        p.radius = s.receptive_field;
    }
    return p;
}

constexpr const char* weight_set_names[] = {"encoder/fc1", "encoder/fc2", "decoder/fc1", "decoder/fc2"};

}  // namespace

network_description paper_description(const model_sizes& s, float theta, int refractory, float release_p) {
    network_description d;
    d.height = s.height;
    d.width = s.width;
    d.cycle = s.T;
    d.readout = "pixels";
    population_spec pixels;
    pixels.name = "pixels";
    pixels.type = population::kind::spiking;
    pixels.size = s.height * s.width;
    pixels.image_sized = true;
    pixels.context = "context";
    pixels.theta = theta;
    pixels.refractory = refractory;
    population_spec context = graded("context", pixels.size, activation::sigmoid);
    context.image_sized = true;
    d.populations = {pixels, graded("enc1", s.inner, activation::relu),
                     // The delay line D starts as i.i.d. Uniform[0,1).
                     graded("hidden", s.hidden, activation::sigmoid, initial_history::uniform),
                     graded("dec1", s.inner, activation::relu), context};
    projection_spec copy;
    copy.source = "pixels";
    copy.target = "enc1";
    copy.shares = weight_set_names[0];
    copy.delay = 1;
    copy.release_p = release_p;
    projection_spec delayed = owning(weight_set_names[2], "hidden", "dec1", s.T, s);
    delayed.delay_is_cycle = true;
    d.projections = {owning(weight_set_names[0], "pixels", "enc1", 0, s), copy,
                     owning(weight_set_names[1], "enc1", "hidden", 0, s), delayed,
                     owning(weight_set_names[3], "dec1", "context", 0, s)};
    return d;
}

bool is_paper_shaped(const network_description& d) {
    if (d.populations.size() != 5 || d.projections.size() != 5) return false;
    const std::size_t p = d.population_index("pixels");
    if (p != 0 || d.populations[p].type != population::kind::spiking) return false;
    model_sizes s;
    s.height = d.height;
    s.width = d.width;
    s.T = d.cycle;
    s.inner = d.populations[1].size;
    s.hidden = d.populations[2].size;
    const network_description ref =
        paper_description(s, d.populations[0].theta, d.populations[0].refractory, d.projections[1].release_p);
    if (d.readout != ref.readout) return false;
    for (std::size_t i = 0; i < 5; ++i) {
        const population_spec &a = d.populations[i], &b = ref.populations[i];
        // The decoder's inner width may differ from the encoder's.
        if (a.name != b.name || a.type != b.type || (i != 3 && a.size != b.size) || a.context != b.context ||
            (a.type == population::kind::graded && (a.act != b.act || a.history != b.history || !a.bias)))
            return false;
        const projection_spec &x = d.projections[i], &y = ref.projections[i];
        if (x.name != y.name || x.source != y.source || x.target != y.target || x.shares != y.shares ||
            x.delay != y.delay || (i != 1 && x.release_p != 1.0f))
            return false;
    }
    return true;
}

namespace {

// The description of a gust_model's sizes and its stored connectivity (a
// sparse layer is recorded as random with its largest row as fan-in; the
// stored synapses are what counts once a model exists).
network_description description_of(const gust_model& m) {
    model_sizes s;
    s.height = m.height;
    s.width = m.width;
    s.T = m.T;
    s.inner = m.enc1.out;
    s.hidden = m.enc2.out;
    network_description d = paper_description(s, m.theta, m.refractory, m.release_p);
    d.populations[3].size = m.dec1.out;
    const linear_layer* layers[] = {&m.enc1, &m.enc2, &m.dec1, &m.dec2};
    projection_spec* owners[] = {&d.projections[0], &d.projections[2], &d.projections[3], &d.projections[4]};
    for (std::size_t i = 0; i < 4; ++i) {
        const linear_layer& l = *layers[i];
        if (!l.sparse()) continue;
        owners[i]->conn = connectivity::random;
        for (std::size_t r = 0; r < l.out; ++r)
            owners[i]->fan_in = std::max<std::size_t>(owners[i]->fan_in, l.indptr[r + 1] - l.indptr[r]);
    }
    return d;
}

template <class Model>
network_model convert(Model&& m) {
    network_description d = description_of(m);
    network_parameters p;
    auto take = [](auto&& l) {  // a sparse layer's sources narrowed where they fit, as a generated set's
        weight_matrix w{l.out, l.in, std::forward<decltype(l)>(l).weight, std::forward<decltype(l)>(l).indptr,
                        std::forward<decltype(l)>(l).indices, nullptr};
        w.indices.narrow(w.indptr);
        return w;
    };
    p.weights.push_back(take(std::forward<Model>(m).enc1));
    p.weights.push_back(take(std::forward<Model>(m).enc2));
    p.weights.push_back(take(std::forward<Model>(m).dec1));
    p.weights.push_back(take(std::forward<Model>(m).dec2));
    p.biases = {{}, m.enc1.bias, m.enc2.bias, m.dec1.bias, m.dec2.bias};
    return assemble(std::move(d), std::move(p), "model");
}

}  // namespace

network_model to_network_model(const gust_model& m) { return convert(m); }
network_model to_network_model(gust_model&& m) { return convert(std::move(m)); }

namespace {

// take: move each weight set's arrays out of nm instead of copying them
// (nm is about to die; its sets were made non-const and are not shared).
gust_model paper_model_of(const network_model& nm, const std::string& origin, bool take) {
    const network_description& d = nm.description;
    if (!is_paper_shaped(d))
        throw input_error(origin + ": the network is not the paper's architecture (pixels -> enc1 -> hidden -> "
                                   "dec1 -> context with weight sets encoder/fc1 ... decoder/fc2); this job "
                                   "supports that architecture only");
    try {
        require_stored_weights(nm, "convert it to the published model's layout");
    } catch (const input_error& e) {
        throw input_error(origin + ": " + e.what());
    }
    gust_model m;
    m.height = d.height;
    m.width = d.width;
    m.T = d.cycle;
    m.theta = d.populations[0].theta;
    m.refractory = d.populations[0].refractory;
    m.release_p = d.projections[1].release_p;
    linear_layer* layers[] = {&m.enc1, &m.enc2, &m.dec1, &m.dec2};
    const std::size_t owners[] = {0, 2, 3, 4};
    for (std::size_t i = 0; i < 4; ++i) {
        const projection& pr = nm.net.projections[owners[i]];
        const weight_matrix& w = *pr.weights;
        // Held by nm's projections only (the encoder's set by two of them)?
        const auto holders = std::count_if(nm.net.projections.begin(), nm.net.projections.end(),
                                           [&](const projection& q) { return q.weights == pr.weights; });
        if (take && pr.weights.use_count() == holders) {
            auto& owned = const_cast<weight_matrix&>(w);
            std::vector<std::uint32_t> sources = owned.indices.widened(owned.indptr);
            owned.indices = synapse_sources();  // freed now: the layers are widened one at a time
            return_freed_memory();
            *layers[i] = linear_layer{w.rows, w.cols, std::move(owned.w), nm.net.populations[pr.target].bias,
                                      std::move(owned.indptr), std::move(sources)};
        } else {
            *layers[i] = linear_layer{w.rows, w.cols, w.w, nm.net.populations[pr.target].bias, w.indptr,
                                      w.indices.widened(w.indptr)};
        }
    }
    validate(m, origin);
    return m;
}

}  // namespace

gust_model to_paper_model(const network_model& nm, const std::string& origin) { return paper_model_of(nm, origin, false); }
gust_model to_paper_model(network_model&& nm, const std::string& origin) { return paper_model_of(nm, origin, true); }

network paper_network(const gust_model& m) { return to_network_model(m).net; }
network paper_network(gust_model&& m) { return to_network_model(std::move(m)).net; }

}  // namespace gust
