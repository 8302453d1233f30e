#include "sim/image_shares.hpp"

#include <cstdint>
#include <stdexcept>

#include "core/byte_stream.hpp"
#include "sim/afferents.hpp"

namespace gust {

image_share share_of(std::size_t images, const communicator& comm) {
    return share_of(images, comm.rank(), comm.size());
}

image_share share_of(std::size_t images, std::size_t part, std::size_t parts) {
    const auto bounds = partition_bounds(images, parts);
    return {bounds[part], bounds[part + 1] - bounds[part]};
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

std::vector<char> pack_records(const std::vector<image_record>& records) {
    byte_writer out;
    out.value(static_cast<std::uint64_t>(records.size()));
    for (const auto& r : records) {
        out.array(r.steps);
        out.array(r.neurons);
        out.value(static_cast<std::uint64_t>(r.recorded.size()));
        for (const auto& values : r.recorded) out.array(values);
    }
    return std::move(out.bytes());
}

std::vector<image_record> unpack_records(const std::vector<char>& bytes) {
    // A count is weighed against the bytes that could hold it (a record takes
    // 24 bytes at least, a recorded state's array 8) before anything is
    // allocated for it: bytes read from a file may declare any count, and
    // a record in memory is three times its least size in bytes.
    byte_reader in(bytes);
    const auto n = in.value<std::uint64_t>();
    if (n > in.left() / 24) throw std::runtime_error("records received malformed: more records than bytes");
    std::vector<image_record> records(n);
    for (auto& r : records) {
        r.steps = in.array<std::int64_t>();
        r.neurons = in.array<std::uint32_t>();
        const auto probes = in.value<std::uint64_t>();
        if (probes > in.left() / 8) throw std::runtime_error("records received malformed: more states than bytes");
        r.recorded.resize(probes);
        for (auto& values : r.recorded) values = in.array<float>();
    }
    if (!in.done()) throw std::runtime_error("records received malformed");
    return records;
}

std::vector<image_record> collect_records(std::vector<image_record> mine, const communicator& comm) {
    if (comm.size() == 1) return mine;
    std::vector<image_record> all;
    for (const auto& bytes : comm.gather(pack_records(mine))) {
        auto part = unpack_records(bytes);
        all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return all;
}

}  // namespace gust
