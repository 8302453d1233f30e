// The extension module gust._core: the library's jobs for Python, registered
// part by part (python/gust/__init__.py is the public face).
#include "core/cpu_features.hpp"
#include "io/reader_fault_guard.hpp"
#include "python/src/bindings.hpp"

PYBIND11_MODULE(_core, m) {
    // First, before code that may use the extensions -march=native assumed
    // (core/cpu_features.hpp): an ImportError instead of an illegal
    // instruction.
    char refusal[2048];
    if (gust::cpu_refusal(gust::build_cpu_features, gust::this_cpu(), refusal, sizeof refusal))
        throw pybind11::import_error(refusal);
    // A damaged file on which HDF5 faults or loops ends the process with one
    // line naming it, as it ends the gust program: after a fault inside
    // HDF5 nothing can go on, and an endless read would hang the session.
    gust::guard_reader_faults("gust: ");
    using namespace gust::python;
    m.doc() = "gust's C++ core; import gust instead.";
    m.attr("version") = GUST_VERSION;
    bind_errors(m);
    bind_networks(m);
    bind_models(m);
    bind_images(m);
    bind_simulation(m);
    bind_analysis(m);
    bind_training(m);
}
