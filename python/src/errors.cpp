// gust.InputError (a ValueError) and gust.MissingFileError (an InputError and
// a FileNotFoundError): every refusal of the library reaches Python as one of
// them, with the CLI's one-line message, where a configuration value is
// named as the keyword argument of that name.
#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "python/src/bindings.hpp"

namespace gust::python {

namespace {
PyObject* input_error_type = nullptr;
PyObject* missing_file_type = nullptr;

std::string shape_text(const std::vector<py::ssize_t>& shape) {
    std::ostringstream o;
    o << "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) o << ", ";
        if (shape[i] < 0) o << "any";
        else o << shape[i];
    }
    o << (shape.size() == 1 ? ",)" : ")");
    return o.str();
}
}  // namespace

std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    return s;
}

py::array_t<float, py::array::c_style | py::array::forcecast> float_array(const py::handle& a, const std::string& what,
                                                    const std::vector<py::ssize_t>& shape) {
    const py::array arr = py::array::ensure(a);
    if (!arr) throw input_error(what + ": expected a numpy array of shape " + shape_text(shape));
    const char kind = arr.dtype().kind();
    if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b')
        throw input_error(what + ": expected numbers (float32), got dtype " + std::string(py::str(arr.dtype())));
    std::vector<py::ssize_t> given(arr.shape(), arr.shape() + arr.ndim());
    bool ok = given.size() == shape.size();
    for (std::size_t i = 0; ok && i < shape.size(); ++i) ok = shape[i] < 0 || shape[i] == given[i];
    if (!ok) throw input_error(what + ": expected shape " + shape_text(shape) + ", got " + shape_text(given));
    auto out = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(arr);
    if (!out) throw input_error(what + ": cannot be read as float32");
    return out;
}

void bind_errors(py::module_& m) {
    input_error_type = PyErr_NewExceptionWithDoc(
        "gust.InputError",
        "Bad input: a missing or malformed file, a wrong shape or dtype, a value out of range. The message is "
        "one line naming the file or the argument, as the CLI prints it.",
        PyExc_ValueError, nullptr);
    const py::tuple bases = py::make_tuple(py::handle(input_error_type), py::handle(PyExc_FileNotFoundError));
    missing_file_type = PyErr_NewExceptionWithDoc("gust.MissingFileError", "A file that does not exist.",
                                                  bases.ptr(), nullptr);
    m.add_object("InputError", py::handle(input_error_type));
    m.add_object("MissingFileError", py::handle(missing_file_type));
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const missing_file_error& e) {
            PyErr_SetString(missing_file_type, one_line(e.what()).c_str());
        } catch (const input_error& e) {
            PyErr_SetString(input_error_type, one_line(e.what()).c_str());
        }
    });
}

}  // namespace gust::python
