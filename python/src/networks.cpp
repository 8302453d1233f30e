// gust._core.Description: a network description (docs/network.md), read from
// a TOML file or text, built from a Python dict with the file's keys (turned
// into TOML by toml++ and read by the same reader, so every key, default and
// refusal is the file's), or the paper network at given sizes.
#include <toml++/toml.h>

#include <sstream>
#include <type_traits>

#include "core/error.hpp"
#include "core/machine_memory.hpp"
#include "io/network_toml.hpp"
#include "learning/training_memory.hpp"
#include "python/src/bindings.hpp"
#include "sim/network_description.hpp"
#include "sim/network_init.hpp"
#include "sim/paper_network.hpp"

namespace gust::python {

namespace {

toml::table to_table(const py::dict& d, const std::string& where);

// Adds v to a table (under key) or to an array (key ignored), as TOML.
template <class Container>
void add(Container& c, const std::string& key, const py::handle& v, const std::string& where) {
    auto put = [&](auto&& value) {
        if constexpr (std::is_same_v<Container, toml::table>) c.insert(key, std::forward<decltype(value)>(value));
        else c.push_back(std::forward<decltype(value)>(value));
    };
    if (py::isinstance<py::bool_>(v)) put(v.cast<bool>());
    else if (py::isinstance<py::int_>(v)) put(v.cast<std::int64_t>());
    else if (py::isinstance<py::float_>(v)) put(v.cast<double>());
    else if (py::isinstance<py::str>(v)) put(v.cast<std::string>());
    else if (py::isinstance<py::dict>(v)) put(to_table(v.cast<py::dict>(), where));
    else if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
        toml::array a;
        for (const auto& e : v) add(a, "", e, where);
        put(std::move(a));
    } else {
        throw input_error(where + ": expected a number, string, bool, list or dict, got " +
                          std::string(py::str(py::type::of(v).attr("__name__"))));
    }
}

toml::table to_table(const py::dict& d, const std::string& where) {
    toml::table t;
    for (const auto& [k, v] : d) {
        if (!py::isinstance<py::str>(k)) throw input_error((where.empty() ? "network" : where) + ": keys must be strings");
        const std::string key = k.cast<std::string>();
        add(t, key, v, where.empty() ? key : where + "." + key);
    }
    return t;
}

}  // namespace

void bind_networks(py::module_& m) {
    py::class_<network_description>(m, "Description")
        .def_static("read", &read_network_description, py::arg("path"), py::call_guard<py::gil_scoped_release>())
        .def_static("parse", &parse_network_description, py::arg("text"), py::arg("origin") = "<text>")
        .def_static(
            "from_dict",
            [](const py::dict& d) {
                // Arrays of tables ([[population]]) come out as such from lists of dicts.
                std::ostringstream text;
                text << toml::toml_formatter(to_table(d, ""));
                return parse_network_description(text.str(), "network dict");
            },
            py::arg("network"))
        .def_static(
            "paper",
            [](std::size_t height, std::size_t width, std::size_t hidden, std::size_t inner, int cycle,
               std::size_t sparse_fan_in, std::size_t receptive_field, float theta, int refractory, float release_p) {
                model_sizes s;
                s.height = height;
                s.width = width;
                s.hidden = hidden;
                s.inner = inner;
                s.T = cycle;
                s.sparse_fan_in = sparse_fan_in;
                s.receptive_field = receptive_field;
                network_description d = paper_description(s, theta, refractory, release_p);
                validate(d, "paper network");
                return d;
            },
            py::arg("height"), py::arg("width"), py::arg("hidden"), py::arg("inner"), py::arg("cycle"),
            py::arg("sparse_fan_in"), py::arg("receptive_field"), py::arg("theta"), py::arg("refractory"),
            py::arg("release_p"))
        .def("to_toml", &format_network_description)
        .def_readonly("height", &network_description::height)
        .def_readonly("width", &network_description::width)
        .def_readonly("cycle", &network_description::cycle)
        .def_readonly("readout", &network_description::readout)
        .def("is_paper_shaped", &is_paper_shaped)
        .def("memory",
             [](const network_description& d) {
                 // What gust init and gust train count before drawing, and
                 // the limit they weigh it against.
                 const memory_limit limit = process_memory_limit();
                 py::dict out;
                 out["weights"] = weight_bytes(d);
                 out["trainable_values"] = trainable_values(d);
                 out["training"] = learning::training_bytes(d);
                 out["limit"] = limit.bytes;
                 out["limit_set_by"] = limit.set_by == gust::memory_limit::source::control_group ? "control group"
                                     : limit.set_by == gust::memory_limit::source::address_space ? "address space"
                                                                                                   : "machine";
                 return out;
             })
        .def("population_names", [](const network_description& d) {
            std::vector<std::string> names;
            for (const auto& p : d.populations) names.push_back(p.name);
            return names;
        });
}

}  // namespace gust::python
