// gust._core.analyze: the grouping read out of a run's spikes, per image and
// cycle (docs/model.md "Read-out and metrics"), exactly as `gust analyze`
// reads a report of the same run; numbers come back as numpy arrays that
// python/gust turns into DataFrames.
#include "analysis/model_grouping.hpp"
#include "analysis/paired_difference.hpp"
#include "core/error.hpp"
#include "python/src/bindings.hpp"

namespace gust::python {

void bind_analysis(py::module_& m) {
    m.def(
        "compare_paired",
        [](const std::vector<double>& a, const std::vector<double>& b) {
            if (a.size() != b.size())
                throw input_error("b", std::to_string(b.size()) + " values for " + std::to_string(a.size()) + " in a");
            const analysis::paired_difference d = analysis::compare_paired(a, b);
            return py::dict(py::arg("n") = d.n, py::arg("mean_a") = d.mean_a, py::arg("mean_b") = d.mean_b,
                            py::arg("mean_diff") = d.mean_diff, py::arg("std_error") = d.std_error,
                            py::arg("correlation") = d.correlation);
        },
        py::arg("a"), py::arg("b"));
    m.def(
        "analyze",
        [](const simulation_run& run, double q, double syn_q, std::uint64_t seed, int restarts, int threads) {
            if (!(q >= 0.0) || !std::isfinite(q)) throw input_error("q", "must be a finite number >= 0");
            if (!(syn_q >= 0.0) || !std::isfinite(syn_q)) throw input_error("syn_q", "must be a finite number >= 0");
            if (restarts < 1 || restarts > 1000) throw input_error("restarts", "expected 1 to 1000");
            if (threads < 0) throw input_error("threads", "must not be negative (0 = every core)");
            if (run.images.labels.empty())
                throw input_error("run", "its images have no ground-truth labels (simulate labelled images)");
            analysis::readout_options opt;
            opt.q = q;
            opt.syn_q = syn_q;
            opt.seed = seed;
            opt.restarts = restarts;
            analysis::model_grouping g;
            {
                py::gil_scoped_release free;
                g = analysis::group_records(run.records, run.images, run.meta.T, run.meta.cycles, opt, threads);
            }
            const std::size_t n = g.images.size(), cycles = static_cast<std::size_t>(run.meta.cycles);
            std::vector<double> ami, syn, active;
            std::vector<std::int32_t> clusters, k;
            for (const auto& im : g.images) {
                ami.insert(ami.end(), im.readout.ami.begin(), im.readout.ami.end());
                syn.insert(syn.end(), im.readout.synscore.begin(), im.readout.synscore.end());
                active.insert(active.end(), im.readout.active_synscore.begin(), im.readout.active_synscore.end());
                clusters.insert(clusters.end(), im.readout.clusters.begin(), im.readout.clusters.end());
                k.push_back(im.readout.K);
            }
            const auto N = static_cast<py::ssize_t>(n), C = static_cast<py::ssize_t>(cycles);
            py::dict out;
            out["ami"] = take_array(std::move(ami), {N, C});
            out["synscore"] = take_array(std::move(syn), {N, C});
            out["active_synscore"] = take_array(std::move(active), {N, C});
            out["clusters"] = take_array(std::move(clusters),
                                         {N, C, static_cast<py::ssize_t>(run.images.height),
                                          static_cast<py::ssize_t>(run.images.width)});
            out["k"] = take_array(std::move(k), {N});
            out["cycle"] = run.meta.T;
            return out;
        },
        py::arg("run"), py::arg("q"), py::arg("syn_q"), py::arg("seed"), py::arg("restarts"), py::arg("threads"));
}

}  // namespace gust::python
