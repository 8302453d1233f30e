// gust._core.Model: a network description with its weights and biases (a
// model file's content), created fresh from a description and a seed, read,
// written, sharpened and averaged; weights come out as numpy arrays.
#include "core/error.hpp"
#include "io/fresh_model_file.hpp"
#include "io/network_file.hpp"
#include "learning/context_gain.hpp"
#include "learning/model_average.hpp"
#include "python/src/bindings.hpp"
#include "sim/memory_account.hpp"
#include "sim/network_init.hpp"
#include "sim/network_model.hpp"
#include "sim/paper_network.hpp"

namespace gust::python {

namespace {

py::object weight_array(const weight_matrix& w, const std::string& name) {
    if (w.procedural())
        throw input_error("projection '" + name +
                          "' is procedural: its synapses are not stored; set procedural = false to read its weights");
    if (!w.sparse()) {
        py::array_t<float> a({static_cast<py::ssize_t>(w.rows), static_cast<py::ssize_t>(w.cols)});
        std::copy(w.w.begin(), w.w.end(), a.mutable_data());
        return a;
    }
    // CSR by target row, as scipy.sparse.csr_matrix((data, indices, indptr), shape) takes it.
    py::dict d;
    d["data"] = py::array_t<float>(static_cast<py::ssize_t>(w.w.size()), w.w.data());
    const std::vector<std::uint32_t> sources = w.indices.widened(w.indptr);
    d["indices"] = py::array_t<std::uint32_t>(static_cast<py::ssize_t>(sources.size()), sources.data());
    d["indptr"] = py::array_t<std::uint32_t>(static_cast<py::ssize_t>(w.indptr.size()), w.indptr.data());
    d["shape"] = py::make_tuple(w.rows, w.cols);
    return d;
}

}  // namespace

void bind_models(py::module_& m) {
    py::class_<network_model>(m, "Model")
        .def_static(
            "load", [](const std::string& path) { return read_network_model(path); }, py::arg("path"),
            py::call_guard<py::gil_scoped_release>())
        .def_static(
            "init",
            [](const network_description& d, std::uint64_t seed) { return init_network(d, seed, "network"); },
            py::arg("network"), py::arg("seed"), py::call_guard<py::gil_scoped_release>())
        .def_static(
            "write_fresh",
            [](const network_description& d, std::uint64_t seed, const std::string& path) {
                return write_fresh_network_model(path, init_network_unfilled(d, seed, "network"), seed);
            },
            py::arg("network"), py::arg("seed"), py::arg("path"), py::call_guard<py::gil_scoped_release>())
        .def(
            "save", [](const network_model& nm, const std::string& path) { write_network_model(path, nm); },
            py::arg("path"), py::call_guard<py::gil_scoped_release>())
        .def(
            "with_description",
            [](const network_model& nm, const network_description& d) {
                validate(d, "network");
                return assemble(d, parameters_of(nm), "network");
            },
            py::arg("network"))
        .def_property_readonly("description", [](const network_model& nm) { return nm.description; })
        .def("weights",
             [](const network_model& nm) {
                 py::dict out;
                 const auto& d = nm.description;
                 for (std::size_t j = 0; j < d.projections.size(); ++j)
                     if (d.projections[j].owns_weights())
                         out[py::str(d.projections[j].name)] = weight_array(*nm.net.projections[j].weights, d.projections[j].name);
                 return out;
             })
        .def("biases",
             [](const network_model& nm) {
                 py::dict out;
                 for (const auto& p : nm.net.populations)
                     if (p.type == population::kind::graded)
                         out[py::str(p.name)] = py::array_t<float>(static_cast<py::ssize_t>(p.bias.size()), p.bias.data());
                 return out;
             })
        .def("topology",
             [](const network_model& nm) {
                 // Every projection: its ends, delay, release, the weight set it
                 // uses and what that set's storage costs per synapse.
                 py::list out;
                 const auto& d = nm.description;
                 for (std::size_t j = 0; j < d.projections.size(); ++j) {
                     const auto& pr = d.projections[j];
                     const weight_matrix& w = *nm.net.projections[j].weights;
                     const double bytes = weight_set_bytes(w);
                     out.append(py::dict(py::arg("projection") = j, py::arg("source") = pr.source,
                                         py::arg("target") = pr.target, py::arg("weights") = pr.owns_weights() ? pr.name : pr.shares,
                                         py::arg("delay") = nm.net.projections[j].delay,
                                         py::arg("release_p") = nm.net.projections[j].release_p,
                                         py::arg("storage") = w.procedural() ? "procedural" : w.sparse() ? "CSR" : "dense",
                                         py::arg("synapses") = w.synapses(),
                                         py::arg("bytes_per_synapse") = bytes / double(std::max<std::size_t>(w.synapses(), 1))));
                 }
                 return out;
             })
        .def("synapses",
             [](const network_model& nm) {
                 std::size_t n = 0;
                 const auto& d = nm.description;
                 for (std::size_t j = 0; j < d.projections.size(); ++j)
                     if (d.projections[j].owns_weights()) n += nm.net.projections[j].weights->synapses();
                 return n;
             })
        .def(
            "sharpened",
            [](const network_model& nm, double gain, double offset) {
                return learning::with_context_gain(nm, gain, offset);
            },
            py::arg("gain"), py::arg("offset"))
        .def_static(
            "average",
            [](const std::vector<const network_model*>& models, std::optional<std::vector<double>> weights) {
                std::vector<std::string> origins;
                for (std::size_t k = 0; k < models.size(); ++k) origins.push_back("models[" + std::to_string(k) + "]");
                std::vector<network_model> all;
                for (const network_model* m : models) all.push_back(*m);
                return weights ? learning::weighted_models(all, *weights, origins) : learning::average_models(all, origins);
            },
            py::arg("models"), py::arg("weights") = py::none());
}

}  // namespace gust::python
