#include "sim/image_shares.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "sim/afferents.hpp"

namespace gust {

image_share share_of(std::size_t images, const communicator& comm) {
    const auto bounds = partition_bounds(images, comm.size());
    return {bounds[comm.rank()], bounds[comm.rank() + 1] - bounds[comm.rank()]};
}

image_batch sub_batch(const image_batch& b, image_share s) {
    image_batch out;
    out.count = s.count;
    out.size = b.size;
    out.pixels = b.pixels + s.first * b.size;
    out.ids.assign(b.ids.begin() + static_cast<std::ptrdiff_t>(s.first),
                   b.ids.begin() + static_cast<std::ptrdiff_t>(s.first + s.count));
    return out;
}

namespace {

// Sizes as 64-bit counts, then the raw arrays: both ends are this program on
// machines of one kind, so native byte order is the wire format.
template <class T>
void put(std::vector<char>& out, const T* data, std::size_t n) {
    const auto count = static_cast<std::uint64_t>(n);
    const std::size_t at = out.size();
    out.resize(at + sizeof count + n * sizeof(T));
    std::memcpy(out.data() + at, &count, sizeof count);
    if (n) std::memcpy(out.data() + at + sizeof count, data, n * sizeof(T));
}

class reader {
public:
    explicit reader(const std::vector<char>& bytes) : bytes_(bytes) {}
    template <class T>
    std::vector<T> array() {
        const std::uint64_t n = take<std::uint64_t>();
        if (n > (bytes_.size() - pos_) / sizeof(T)) throw std::runtime_error("records received truncated");
        std::vector<T> v(n);
        std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
        pos_ += n * sizeof(T);
        return v;
    }
    template <class T>
    T take() {
        if (bytes_.size() - pos_ < sizeof(T)) throw std::runtime_error("records received truncated");
        T v;
        std::memcpy(&v, bytes_.data() + pos_, sizeof v);
        pos_ += sizeof v;
        return v;
    }
    bool done() const { return pos_ == bytes_.size(); }

private:
    const std::vector<char>& bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

std::vector<char> pack_records(const std::vector<image_record>& records) {
    std::vector<char> out;
    const auto n = static_cast<std::uint64_t>(records.size());
    put(out, &n, 1);
    for (const auto& r : records) {
        put(out, r.steps.data(), r.steps.size());
        put(out, r.neurons.data(), r.neurons.size());
        const auto probes = static_cast<std::uint64_t>(r.recorded.size());
        put(out, &probes, 1);
        for (const auto& values : r.recorded) put(out, values.data(), values.size());
    }
    return out;
}

std::vector<image_record> unpack_records(const std::vector<char>& bytes) {
    reader in(bytes);
    const auto header = in.array<std::uint64_t>();
    if (header.size() != 1) throw std::runtime_error("records received malformed");
    std::vector<image_record> records(header[0]);
    for (auto& r : records) {
        r.steps = in.array<std::int64_t>();
        r.neurons = in.array<std::uint32_t>();
        const auto probes = in.array<std::uint64_t>();
        if (probes.size() != 1) throw std::runtime_error("records received malformed");
        r.recorded.resize(probes[0]);
        for (auto& values : r.recorded) values = in.array<float>();
    }
    if (!in.done()) throw std::runtime_error("records received malformed");
    return records;
}

std::vector<image_record> collect_records(const std::vector<image_record>& mine, const communicator& comm) {
    if (comm.size() == 1) return mine;
    std::vector<image_record> all;
    for (const auto& bytes : comm.gather(pack_records(mine))) {
        auto part = unpack_records(bytes);
        all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return all;
}

}  // namespace gust
