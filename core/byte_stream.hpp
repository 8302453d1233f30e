#pragma once
// Values and arrays as bytes, for what travels between the ranks of one job:
// each array as its 64-bit length and then its elements. Both ends are the
// same program on machines of one kind (the ranks check that they run one
// build before any work, apps/build_identity.hpp), so native byte order is
// the format; a reader refuses to run past its end.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace gust {

class byte_writer {
public:
    byte_writer() = default;
    // Writes into `reuse`'s storage (emptied first): a buffer kept from call
    // to call keeps its pages.
    explicit byte_writer(std::vector<char>&& reuse) : bytes_(std::move(reuse)) { bytes_.clear(); }

    template <class T>
    void value(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        append(&v, sizeof v);
    }
    template <class T>
    void array(const std::vector<T>& v) {
        value(static_cast<std::uint64_t>(v.size()));
        if (!v.empty()) append(v.data(), v.size() * sizeof(T));
    }
    std::vector<char>& bytes() { return bytes_; }

private:
    void append(const void* p, std::size_t n) {
        const std::size_t at = bytes_.size();
        bytes_.resize(at + n);
        std::memcpy(bytes_.data() + at, p, n);
    }
    std::vector<char> bytes_;
};

class byte_reader {
public:
    explicit byte_reader(const std::vector<char>& bytes) : bytes_(bytes) {}
    template <class T>
    T value() {
        T v;
        take(&v, sizeof v);
        return v;
    }
    template <class T>
    std::vector<T> array() {
        const auto n = value<std::uint64_t>();
        if (n > (bytes_.size() - pos_) / sizeof(T)) throw std::runtime_error("bytes received from a rank are truncated");
        std::vector<T> v(n);
        take(v.data(), n * sizeof(T));
        return v;
    }
    // The next array in place: its element count and its bytes (read each
    // element with memcpy), for readers that must not copy large arrays.
    template <class T>
    std::pair<const char*, std::size_t> array_bytes() {
        const auto n = value<std::uint64_t>();
        if (n > (bytes_.size() - pos_) / sizeof(T)) throw std::runtime_error("bytes received from a rank are truncated");
        const char* at = bytes_.data() + pos_;
        pos_ += n * sizeof(T);
        return {at, n};
    }
    bool done() const { return pos_ == bytes_.size(); }
    std::size_t left() const { return bytes_.size() - pos_; }

private:
    void take(void* p, std::size_t n) {
        if (bytes_.size() - pos_ < n) throw std::runtime_error("bytes received from a rank are truncated");
        if (n) std::memcpy(p, bytes_.data() + pos_, n);
        pos_ += n;
    }
    const std::vector<char>& bytes_;
    std::size_t pos_ = 0;
};

}  // namespace gust
