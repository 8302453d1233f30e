#pragma once
// Shared by the files of the Python module (gust._core): the registration
// function of each part, and numpy arrays that take over a C++ vector's
// storage instead of copying it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "io/dataset_file.hpp"
#include "io/spike_report.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

#include <memory>
#include <string>
#include <vector>

namespace gust::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_networks(py::module_& m);
void bind_models(py::module_& m);
void bind_images(py::module_& m);
void bind_simulation(py::module_& m);
void bind_analysis(py::module_& m);
void bind_training(py::module_& m);

// What gust.simulate returns (gust._core.Run): every image's spikes and
// recorded populations, the images, and how they were simulated.
struct simulation_run {
    std::vector<image_record> records;
    image_set images;
    run_metadata meta;
    network net;                        // the model's (weights shared): names and sizes
    std::vector<probe> probes;          // parallel to records[i].recorded
    std::vector<std::string> recorded;  // each probe's name (io/state_report.hpp)
    double seconds = 0;
};

// A numpy array of the given shape over v's storage; v is moved into an
// object the array keeps alive, so no element is copied.
template <class T>
py::array_t<T> take_array(std::vector<T>&& v, std::vector<py::ssize_t> shape) {
    auto* owner = new std::vector<T>(std::move(v));
    py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>(shape, owner->data(), free_when_done);
}


// A numpy array of float32 values with exactly the given shape (-1: any
// size), C-contiguous (converted, not refused, when it is not); refuses other
// dtypes and shapes with gust.InputError naming `what`, the expected and the
// given shape.
py::array_t<float, py::array::c_style | py::array::forcecast> float_array(const py::handle& a, const std::string& what,
                                                    const std::vector<py::ssize_t>& shape);

// The one-line message of a library error.
std::string one_line(std::string s);

}  // namespace gust::python
