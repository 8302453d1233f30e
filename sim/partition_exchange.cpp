#include "sim/partition_exchange.hpp"

#include <algorithm>
#include <cstring>

#include "sim/spiking_update.hpp"

namespace gust::event_detail {

namespace {

// Appends n elements to a message.
template <class T>
void put(std::vector<char>& m, const T* v, std::size_t n) {
    const std::size_t at = m.size();
    m.resize(at + n * sizeof(T));
    if (n) std::memcpy(m.data() + at, v, n * sizeof(T));
}

// Reads n elements at `at` of a message, advancing `at`.
template <class T>
void get(const std::vector<char>& m, std::size_t& at, T* v, std::size_t n) {
    if (n) std::memcpy(v, m.data() + at, n * sizeof(T));
    at += n * sizeof(T);
}

}  // namespace

partition_exchange::partition_exchange(const event_setup& s, const communicator& ranks)
    : s_(s), ranks_(ranks), per_rank_(s.plan.end_owned - s.plan.first_owned) {}

void partition_exchange::exchange() {
    ranks_.all_gather(mine_, all_, at_);
    ++exchanges_;
    bytes_sent_ += mine_.size();
}

bool partition_exchange::all(bool ok) {
    mine_.assign(1, ok ? 1 : 0);
    exchange();
    return std::all_of(all_.begin(), all_.end(), [](char c) { return c != 0; });
}

bool partition_exchange::spikes(std::int64_t k, spiking_update& u, spike_router& router) {
    mine_.clear();
    for (std::size_t q = s_.plan.first_owned; q < s_.plan.end_owned; ++q) {
        const auto& fired = u.fired(q);
        const auto n = static_cast<std::uint32_t>(fired.size());
        put(mine_, &n, 1);
        put(mine_, fired.data(), fired.size());
    }
    exchange();
    bool silent = true;
    std::vector<std::uint32_t>& ids = received_;
    for (std::size_t r = 0; r < ranks_.size(); ++r) {
        std::size_t at = at_[r];
        for (std::size_t q = first_of(r); q < first_of(r) + per_rank_; ++q) {
            std::uint32_t n = 0;
            get(all_, at, &n, 1);
            silent &= n == 0;
            if (r == ranks_.rank()) {
                at += n * sizeof(std::uint32_t);
                continue;
            }
            ids.resize(n);
            get(all_, at, ids.data(), n);
            u.take_fired(q, k, ids, router);
        }
    }
    return silent;
}

void partition_exchange::rows(std::size_t p, std::int64_t k, event_image_state& state) {
    changed_rows& changed = state.changed(p, k);
    float* out = state.layer(p, k);
    const auto& bounds = s_.plan.bounds[p];
    mine_.clear();
    if (changed.all) {
        const std::size_t rb = bounds[s_.plan.first_owned], re = bounds[s_.plan.end_owned];
        put(mine_, out + rb, re - rb);
    } else {
        for (std::size_t q = s_.plan.first_owned; q < s_.plan.end_owned; ++q) {
            const auto& rows = changed.rows[q];
            const auto n = static_cast<std::uint32_t>(rows.size());
            put(mine_, &n, 1);
            put(mine_, rows.data(), rows.size());
            for (std::uint32_t i : rows) put(mine_, out + i, 1);
        }
    }
    exchange();
    const auto& rest = s_.rest.value[p];
    for (std::size_t r = 0; r < ranks_.size(); ++r) {
        if (r == ranks_.rank()) continue;
        std::size_t at = at_[r];
        if (changed.all) {
            const std::size_t rb = bounds[first_of(r)], re = bounds[first_of(r) + per_rank_];
            get(all_, at, out + rb, re - rb);
            continue;
        }
        for (std::size_t q = first_of(r); q < first_of(r) + per_rank_; ++q) {
            std::copy(rest.begin() + static_cast<std::ptrdiff_t>(bounds[q]),
                      rest.begin() + static_cast<std::ptrdiff_t>(bounds[q + 1]), out + bounds[q]);
            std::uint32_t n = 0;
            get(all_, at, &n, 1);
            auto& rows = changed.rows[q];
            rows.resize(n);
            get(all_, at, rows.data(), n);
            for (std::uint32_t i : rows) get(all_, at, out + i, 1);
        }
    }
}

}  // namespace gust::event_detail
