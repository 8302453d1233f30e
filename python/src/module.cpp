// The extension module gust._core: the library's jobs for Python, registered
// part by part (python/gust/__init__.py is the public face).
#include "python/src/bindings.hpp"

PYBIND11_MODULE(_core, m) {
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
