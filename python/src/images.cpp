// gust._core.Images: images (and their ground-truth labels) as the backends
// and the read-out take them: shapes generated in memory, a range of a data
// set file's split, or numpy arrays. The arrays it returns are views of its
// own storage.
#include "analysis/model_grouping.hpp"
#include "core/error.hpp"
#include "io/dataset_file.hpp"
#include "python/src/bindings.hpp"

namespace gust::python {

namespace {

py::array_t<float> view(const image_set& s, const std::vector<float>& v, const py::handle& owner) {
    py::array_t<float> a({static_cast<py::ssize_t>(s.count), static_cast<py::ssize_t>(s.height),
                          static_cast<py::ssize_t>(s.width)},
                         v.data(), owner);
    a.attr("flags").attr("writeable") = false;  // the images' own storage
    return a;
}

}  // namespace

void bind_images(py::module_& m) {
    m.def(
        "write_dataset",
        [](const std::string& path, std::size_t train_objects, std::size_t test_objects, std::size_t train_size,
           std::size_t test_size, std::size_t height, std::size_t width, std::uint64_t seed) {
            shapes_dataset_spec spec;
            spec.n_train = train_objects;
            spec.n_test = test_objects;
            spec.train_size = train_size;
            spec.test_size = test_size;
            spec.height = height;
            spec.width = width;
            spec.seed = seed;
            validate(spec);
            write_shapes_dataset(path, spec);
        },
        py::arg("path"), py::arg("train_objects"), py::arg("test_objects"), py::arg("train_size"),
        py::arg("test_size"), py::arg("height"), py::arg("width"), py::arg("seed"),
        py::call_guard<py::gil_scoped_release>());
    py::class_<image_set>(m, "Images")
        .def_static("shapes", &analysis::fresh_shape_images, py::arg("objects"), py::arg("count"), py::arg("seed"),
                    py::arg("height"), py::arg("width"), py::call_guard<py::gil_scoped_release>())
        .def_static(
            "read",
            [](const std::string& path, const std::string& split, std::size_t start, std::optional<std::size_t> count) {
                const std::size_t n = count ? *count : split_size(path, split) - std::min(start, split_size(path, split));
                return read_split(path, split, start, n);
            },
            py::arg("path"), py::arg("split"), py::arg("start"), py::arg("count"),
            py::call_guard<py::gil_scoped_release>())
        .def_static(
            "from_arrays",
            [](const py::handle& images, const py::handle& labels, const py::handle& indices) {
                const auto im = float_array(images, "images", {-1, -1, -1});
                image_set s;
                s.count = static_cast<std::size_t>(im.shape(0));
                s.height = static_cast<std::size_t>(im.shape(1));
                s.width = static_cast<std::size_t>(im.shape(2));
                if (s.count == 0 || s.height == 0 || s.width == 0)
                    throw input_error("images: expected at least one image of at least one pixel");
                s.images.assign(im.data(), im.data() + im.size());
                for (float v : s.images)
                    if (!std::isfinite(v)) throw input_error("images: values must be finite");
                if (!labels.is_none()) {
                    const auto lb = float_array(labels, "labels", {im.shape(0), im.shape(1), im.shape(2)});
                    s.labels.assign(lb.data(), lb.data() + lb.size());
                }
                if (indices.is_none()) {
                    for (std::size_t i = 0; i < s.count; ++i) s.indices.push_back(i);
                } else {
                    const auto ix = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(indices);
                    if (!ix || ix.ndim() != 1 || static_cast<std::size_t>(ix.shape(0)) != s.count)
                        throw input_error("indices: expected one whole number per image (" + std::to_string(s.count) + ")");
                    for (py::ssize_t i = 0; i < ix.shape(0); ++i) {
                        if (ix.at(i) < 0) throw input_error("indices: must not be negative");
                        s.indices.push_back(static_cast<std::size_t>(ix.at(i)));
                    }
                }
                return s;
            },
            py::arg("images"), py::arg("labels"), py::arg("indices"))
        .def_readonly("count", &image_set::count)
        .def_readonly("height", &image_set::height)
        .def_readonly("width", &image_set::width)
        .def_property_readonly("pixels", [](py::object self) { const auto& s = self.cast<const image_set&>(); return view(s, s.images, self); })
        .def_property_readonly("labels",
                               [](py::object self) -> py::object {
                                   const auto& s = self.cast<const image_set&>();
                                   if (s.labels.empty()) return py::none();
                                   return view(s, s.labels, self);
                               })
        .def_property_readonly("indices", [](const image_set& s) {
            return py::array_t<std::int64_t>(static_cast<py::ssize_t>(s.indices.size()),
                                             std::vector<std::int64_t>(s.indices.begin(), s.indices.end()).data());
        });
}

}  // namespace gust::python
