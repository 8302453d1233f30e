#pragma once
// Numeric option values, read strictly: the whole token must be a number of
// the option's type (no sign on a count, no hexadecimal, no trailing text, no
// NaN or infinity) inside the option's range, which --help shows next to the
// default; defaults print as written (0.35, not 0.34999999999999998). The
// same parsing serves the command line and INI files.
#include <boost/program_options.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace gust::cli {

namespace po = boost::program_options;

// The shortest text that reads back as v.
template <class T>
std::string number_text(T v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

// A closed range [lo, hi], or for floating point optionally open at either end.
template <class T>
struct number_range {
    T lo, hi;
    bool lo_open = false, hi_open = false;

    bool contains(T v) const {
        if constexpr (std::is_floating_point_v<T>)
            if (!std::isfinite(v)) return false;
        return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
    }
    std::string text() const {
        if constexpr (std::is_integral_v<T>) {
            if (hi == std::numeric_limits<T>::max()) return number_text(lo) + "..";
            return number_text(lo) + ".." + number_text(hi);
        } else {
            return (lo_open ? "(" : "[") + number_text(lo) + ", " + number_text(hi) + (hi_open ? ")" : "]");
        }
    }
    std::string expected() const {
        if constexpr (std::is_integral_v<T>) {
            if (hi == std::numeric_limits<T>::max()) return "a whole number >= " + number_text(lo);
            return "a whole number from " + number_text(lo) + " to " + number_text(hi);
        } else {
            return "a number in " + text();
        }
    }
    // Parses one token; false when it is not exactly a number in range.
    bool parse(const std::string& s, T& v) const {
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return !s.empty() && ec == std::errc() && end == s.data() + s.size() && contains(v);
    }
};

namespace detail {
[[noreturn]] inline void refuse_token(const std::string& token, const std::string& expected) {
    std::string shown = token;
    for (char& ch : shown)
        if (ch == '%' || ch == '\n' || ch == '\r') ch = '?';  // placeholders and line breaks stay out of the message
    throw po::error_with_option_name("the argument ('" + shown + "') for option '%canonical_option%' is invalid: expected " +
                                     expected);
}
}  // namespace detail

template <class T>
class bounded_value : public po::typed_value<T> {
public:
    bounded_value(T* store, number_range<T> range) : po::typed_value<T>(store), range_(range) {
        this->value_name(range_.text());
    }
    bounded_value* default_value(T v) {
        po::typed_value<T>::default_value(v, number_text(v));
        return this;
    }
    void xparse(boost::any& out, const std::vector<std::string>& tokens) const override {
        const std::string token = tokens.empty() ? std::string() : tokens.front();
        T v{};
        if (tokens.size() != 1 || !range_.parse(token, v)) detail::refuse_token(token, range_.expected());
        out = v;
    }

private:
    number_range<T> range_;
};

// Several values of one option (space-separated tokens or repeated options).
template <class T>
class bounded_list : public po::typed_value<std::vector<T>> {
public:
    bounded_list(std::vector<T>* store, number_range<T> range) : po::typed_value<std::vector<T>>(store), range_(range) {
        this->value_name(range_.text() + " ...");
        this->multitoken();
        this->composing();
    }
    void xparse(boost::any& out, const std::vector<std::string>& tokens) const override {
        if (out.empty()) out = std::vector<T>();
        auto& values = boost::any_cast<std::vector<T>&>(out);
        for (const auto& token : tokens) {
            T v{};
            if (!range_.parse(token, v)) detail::refuse_token(token, range_.expected());
            values.push_back(v);
        }
    }

private:
    number_range<T> range_;
};

template <class T>
bounded_value<T>* in_range(T* store, T lo, T hi) {
    return new bounded_value<T>(store, number_range<T>{lo, hi});
}
// Any value of the type that is >= lo (seeds, for instance).
template <class T>
bounded_value<T>* at_least(T* store, T lo) {
    return new bounded_value<T>(store, number_range<T>{lo, std::numeric_limits<T>::max()});
}
// Floating point with open ends, e.g. (0, 1] for a probability that may not be 0.
template <class T>
bounded_value<T>* in_interval(T* store, T lo, T hi, bool lo_open, bool hi_open) {
    return new bounded_value<T>(store, number_range<T>{lo, hi, lo_open, hi_open});
}
template <class T>
bounded_list<T>* list_in_range(std::vector<T>* store, T lo, T hi) {
    return new bounded_list<T>(store, number_range<T>{lo, hi});
}

// The largest counts the commands accept: far above any real run, far below
// what would overflow a size computation or exhaust memory before a check.
inline constexpr int max_threads = 1024;
inline constexpr int max_cycles = 100000;
inline constexpr std::size_t max_images = 10000000;

}  // namespace gust::cli
