// gust._core.simulate, compare and Run: a model simulated on images with
// either backend (sim/engine.hpp), the GIL released while the engine works;
// the run keeps every image's spikes and the recorded populations, and is
// written as the SONATA report `gust run` writes.
#include <chrono>
#include <cmath>

#include "core/error.hpp"
#include "io/run_report.hpp"
#include "io/spike_report.hpp"
#include "io/state_report.hpp"
#include "python/src/bindings.hpp"
#include "sim/backend.hpp"
#include "sim/network_model.hpp"
#include "sim/philox_draws.hpp"
#include "sim/spike_difference.hpp"

namespace gust::python {

namespace {

image_batch batch_of(const network_model& m, const image_set& images) {
    const auto& d = m.description;
    if (images.height != d.height || images.width != d.width)
        throw input_error("images", "the images are " + std::to_string(images.height) + "x" +
                                        std::to_string(images.width) + ", the model's network takes " +
                                        std::to_string(d.height) + "x" + std::to_string(d.width));
    return {images.count, images.height * images.width, images.images.data(), images.indices};
}

sim_options options(int cycles, int threads, std::size_t partitions) {
    if (cycles < 1 || cycles > 1000000) throw input_error("cycles", std::to_string(cycles) + ": expected 1 to 1000000");
    if (threads < 0) throw input_error("threads", "must not be negative (0 = every core)");
    if (partitions < 1 || partitions > 65536)
        throw input_error("partitions", std::to_string(partitions) + ": expected 1 to 65536");
    sim_options opt;
    opt.cycles = cycles;
    opt.threads = threads;
    opt.partitions = partitions;
    return opt;
}

// The probe recorded under `name` (io/state_report.hpp's names).
std::size_t probe_index(const simulation_run& r, const std::string& name) {
    for (std::size_t k = 0; k < r.recorded.size(); ++k)
        if (r.recorded[k] == name) return k;
    throw input_error("name", "'" + name + "' was not recorded (pass record=[...] to simulate)");
}

// One probe from Python: (population, variable, units or None, first, end, stride).
using probe_args = std::tuple<std::string, std::string, std::optional<std::vector<std::int64_t>>, std::int64_t,
                              std::int64_t, std::int64_t>;

probe probe_of(const probe_args& a, const network_model& m) {
    const auto& [name, variable, units, first, end, stride] = a;
    const auto& d = m.description;
    probe p;
    p.population = d.population_index(name);
    if (p.population == std::string::npos) {
        std::string names;
        for (const auto& q : d.populations) names += (names.empty() ? "" : ", ") + q.name;
        throw input_error("record", "'" + name + "': no such population (the network has " + names + ")");
    }
    if (variable == "refractory") p.var = probe::variable::refractory;
    else if (variable != "output")
        throw input_error("record", "'" + name + "': variable '" + variable + "' is not output or refractory");
    if (units)
        for (std::int64_t u : *units) {
            if (u < 0 || u > std::numeric_limits<std::uint32_t>::max())
                throw input_error("record", "'" + name + "': unit " + std::to_string(u) + " does not exist");
            p.units.push_back(static_cast<std::uint32_t>(u));
        }
    p.first_step = first;
    p.end_step = end;
    p.stride = stride;
    validate(p, m.net);
    return p;
}

simulation_run simulate_images(const network_model& m, const image_set& images, int cycles, std::uint64_t seed,
                               const std::string& backend, int threads, std::size_t partitions,
                               const std::vector<probe_args>& record) {
    const backend_kind kind = parse_backend(backend);
    sim_options opt = options(cycles, threads, partitions);
    simulation_run run;
    for (const auto& r : record) opt.record.push_back(probe_of(r, m));
    run.probes = opt.record;
    run.recorded = state_report_names(opt.record, m.net);
    require_recording_fits(opt.record, m.net, std::int64_t(cycles) * m.description.cycle, images.count);
    const image_batch batch = batch_of(m, images);
    const auto t0 = std::chrono::steady_clock::now();
    {
        py::gil_scoped_release free;
        run.records = simulate(kind, m.net, batch, philox_draws(seed), opt);
    }
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    run.images = images;
    run.net = m.net;  // shares the weights, copies the small rest: names and sizes for reports
    run.meta = run_metadata{m.description.cycle, cycles, seed, backend_name(kind), "", "", "", m.description.height,
                            m.description.width};
    return run;
}

}  // namespace

void bind_simulation(py::module_& m) {
    py::class_<simulation_run>(m, "Run")
        .def_property_readonly("count", [](const simulation_run& r) { return r.records.size(); })
        .def_property_readonly("cycles", [](const simulation_run& r) { return r.meta.cycles; })
        .def_property_readonly("cycle", [](const simulation_run& r) { return r.meta.T; })
        .def_property_readonly("seed", [](const simulation_run& r) { return r.meta.seed; })
        .def_property_readonly("backend", [](const simulation_run& r) { return r.meta.backend; })
        .def_readonly("seconds", &simulation_run::seconds)
        .def_readonly("images", &simulation_run::images)
        .def_readonly("recorded", &simulation_run::recorded)
        .def(
            "spikes",
            [](const simulation_run& r, std::size_t i) {
                if (i >= r.records.size())
                    throw input_error("image", std::to_string(i) + ": the run has " + std::to_string(r.records.size()) + " images");
                const auto& rec = r.records[i];
                return py::make_tuple(
                    py::array_t<std::int64_t>(static_cast<py::ssize_t>(rec.steps.size()), rec.steps.data()),
                    py::array_t<std::uint32_t>(static_cast<py::ssize_t>(rec.neurons.size()), rec.neurons.data()));
            },
            py::arg("image"))
        .def(
            "values",
            [](const simulation_run& r, const std::string& name) {
                const std::size_t k = probe_index(r, name);
                const probe& p = r.probes[k];
                const std::size_t units = p.width(r.net);
                const std::size_t steps = p.steps_in(static_cast<std::int64_t>(r.meta.cycles) * r.meta.T);
                py::array_t<float> a({static_cast<py::ssize_t>(r.records.size()), static_cast<py::ssize_t>(steps),
                                      static_cast<py::ssize_t>(units)});
                float* out = a.mutable_data();
                for (const auto& rec : r.records) out = std::copy(rec.recorded[k].begin(), rec.recorded[k].end(), out);
                return a;
            },
            py::arg("name"))
        .def(
            "probe",
            [](const simulation_run& r, const std::string& name) {
                const probe& p = r.probes[probe_index(r, name)];
                std::vector<std::int64_t> units, steps;
                const std::size_t width = p.width(r.net);
                for (std::size_t j = 0; j < width; ++j) units.push_back(p.units.empty() ? j : p.units[j]);
                const std::int64_t total = static_cast<std::int64_t>(r.meta.cycles) * r.meta.T;
                for (std::int64_t s = p.first_step; s < p.end_in(total); s += p.stride)
                    steps.push_back(s);
                return py::dict(py::arg("units") = take_array(std::move(units), {static_cast<py::ssize_t>(width)}),
                                py::arg("steps") = take_array(std::move(steps), {static_cast<py::ssize_t>(steps.size())}),
                                py::arg("variable") = p.var == probe::variable::output ? "output" : "refractory");
            },
            py::arg("name"))
        .def(
            "save_states",
            [](const simulation_run& r, const std::string& path) {
                if (r.probes.empty()) throw input_error("path", "the run recorded nothing (pass record=[...] to simulate)");
                py::gil_scoped_release free;
                write_state_report(path, r.probes, r.net, r.records, r.images,
                                   static_cast<std::int64_t>(r.meta.cycles) * r.meta.T);
            },
            py::arg("path"))
        .def(
            "save",
            [](const simulation_run& r, const std::string& path) {
                const spike_report report = run_report(r.records, r.images, r.meta);
                py::gil_scoped_release free;
                write_spike_report(path, report);
            },
            py::arg("path"));

    m.def(
        "read_run",
        [](const std::string& path) {
            // A spike report gust run wrote (any SONATA report with the /gust
            // extras), as a run whose spikes and images can be analysed.
            spike_report rep;
            {
                py::gil_scoped_release free;
                rep = read_spike_report(path);
            }
            if (!rep.meta) throw input_error(path + ": no /gust extras (run metadata, inputs, labels): not a report of gust run");
            simulation_run run;
            run.meta = *rep.meta;
            if (run.meta.cycles <= 0) throw input_error(path + ": the report does not say how many cycles ran");
            image_set& s = run.images;
            s.height = run.meta.height;
            s.width = run.meta.width;
            const std::size_t n = s.height * s.width;
            const std::int64_t steps = static_cast<std::int64_t>(run.meta.cycles) * run.meta.T;
            for (std::size_t i = 0; i < rep.populations.size(); ++i) {
                const auto& pop = rep.populations[i];
                const auto& ex = rep.images[i];
                if (ex.input.size() != n || (!ex.labels.empty() && ex.labels.size() != n))
                    throw input_error(path + ": /gust/" + pop.name + ": the input or labels are not " +
                                      std::to_string(s.height) + "x" + std::to_string(s.width));
                image_record rec;
                for (std::size_t j = 0; j < pop.timestamps.size(); ++j) {
                    const double t = pop.timestamps[j];
                    if (!(t >= 0) || t != std::floor(t) || t >= static_cast<double>(steps) || pop.node_ids[j] >= n)
                        throw input_error(path + ": /spikes/" + pop.name + ": spike " + std::to_string(j) +
                                          " is not at a step of the run or not at a pixel");
                    rec.steps.push_back(static_cast<std::int64_t>(t));
                    rec.neurons.push_back(static_cast<std::uint32_t>(pop.node_ids[j]));
                }
                run.records.push_back(std::move(rec));
                s.images.insert(s.images.end(), ex.input.begin(), ex.input.end());
                if (!ex.labels.empty()) s.labels.insert(s.labels.end(), ex.labels.begin(), ex.labels.end());
                s.indices.push_back(ex.index);
            }
            s.count = run.records.size();
            if (s.labels.size() != s.images.size()) s.labels.clear();  // labels only if every image has them
            return run;
        },
        py::arg("path"));

    m.def("simulate", &simulate_images, py::arg("model"), py::arg("images"), py::arg("cycles"), py::arg("seed"),
          py::arg("backend"), py::arg("threads"), py::arg("partitions"), py::arg("record"));

    m.def(
        "compare",
        [](const network_model& model, const image_set& images, int cycles, std::uint64_t seed, int threads,
           std::size_t partitions) {
            const simulation_run dense = simulate_images(model, images, cycles, seed, "dense", threads, partitions, {});
            const simulation_run event = simulate_images(model, images, cycles, seed, "event", threads, partitions, {});
            py::dict out;
            std::size_t spikes = 0, differing = 0;
            py::object first = py::none();
            for (std::size_t i = 0; i < dense.records.size(); ++i) {
                spikes += dense.records[i].steps.size();
                if (auto d = first_difference(dense.records[i], event.records[i], "dense", "event")) {
                    if (differing++ == 0)
                        first = py::dict(py::arg("image") = images.indices[i], py::arg("step") = d->step,
                                         py::arg("neuron") = d->neuron, py::arg("only_in") = d->only_in);
                }
            }
            out["identical"] = differing == 0;
            out["images"] = dense.records.size();
            out["differing_images"] = differing;
            out["first_difference"] = first;
            out["spikes"] = spikes;
            out["dense_seconds"] = dense.seconds;
            out["event_seconds"] = event.seconds;
            return out;
        },
        py::arg("model"), py::arg("images"), py::arg("cycles"), py::arg("seed"), py::arg("threads"),
        py::arg("partitions"));
}

}  // namespace gust::python
