// Reading side of io/dataset_file.hpp: any file in the reference layout.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "io/dataset_file.hpp"
#include "io/h5.hpp"
#include "core/error.hpp"

namespace gust {
namespace {

std::string dims_string(const std::vector<hsize_t>& d) {
    std::string s = "[";
    for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
    return s + "]";
}

// An open split whose layout has been checked: `default` is 3-D and non-empty
// per image, and `groups`, when present, has the same shape.
struct checked_split {
    h5::file f;
    std::string split;
    std::vector<hsize_t> dims;
    bool labelled;
};

checked_split open_split(const std::string& path, const std::string& split) {
    h5::file f = h5::open_read(path);
    std::vector<std::string> names = h5::children(f, "/");
    if (std::find(names.begin(), names.end(), split) == names.end()) {
        std::string available;
        for (const auto& n : names) available += (available.empty() ? "" : ", ") + n;
        throw input_error(path + ": no split '" + split +
                          "' (available: " + (available.empty() ? "none" : available) + ")");
    }
    const std::string base = "/" + split + "/";
    if (!h5::exists(f, base + "default"))
        throw input_error(path + ": split '" + split + "' has no 'default' dataset (the images)");
    std::vector<hsize_t> d = h5::dims(f, base + "default");
    if (d.size() != 3 || d[1] == 0 || d[2] == 0)
        throw input_error(path + ": split '" + split + "': 'default' has shape " + dims_string(d) +
                          ", expected [images, height, width]");
    bool labelled = h5::exists(f, base + "groups");
    if (labelled && h5::dims(f, base + "groups") != d)
        throw input_error(path + ": split '" + split + "': 'default' has shape " + dims_string(d) +
                          " but 'groups' has shape " + dims_string(h5::dims(f, base + "groups")));
    return {std::move(f), split, std::move(d), labelled};
}

void check_finite(const checked_split& s, const std::vector<float>& values, const char* dataset,
                  std::size_t first) {
    auto bad =
        std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
    if (bad == values.end()) return;
    std::size_t image =
        first + static_cast<std::size_t>(bad - values.begin()) / (s.dims[1] * s.dims[2]);
    throw input_error(s.f.path + ": split '" + s.split + "': '" + dataset + "' of image " +
                      std::to_string(image) + " holds a non-finite value");
}

}  // namespace

std::vector<std::string> split_names(const std::string& path) {
    return h5::children(h5::open_read(path), "/");
}

std::size_t split_size(const std::string& path, const std::string& split) {
    return open_split(path, split).dims[0];
}

image_set read_split(const std::string& path, const std::string& split, std::size_t first,
                     std::size_t count) {
    checked_split s = open_split(path, split);
    const std::size_t size = s.dims[0];
    if (first > size || count > size - first)
        throw input_error(path + ": images [" + std::to_string(first) + ", " +
                          std::to_string(first + count) + ") out of range: split '" + split +
                          "' has " + std::to_string(size) + " images");
    image_set out;
    out.count = count;
    out.height = s.dims[1];
    out.width = s.dims[2];
    out.images = h5::read_rows<float>(s.f, "/" + split + "/default", first, count);
    check_finite(s, out.images, "default", first);
    if (s.labelled) {
        out.labels = h5::read_rows<float>(s.f, "/" + split + "/groups", first, count);
        check_finite(s, out.labels, "groups", first);
    }
    out.indices.resize(count);
    std::iota(out.indices.begin(), out.indices.end(), first);
    return out;
}

}  // namespace gust
