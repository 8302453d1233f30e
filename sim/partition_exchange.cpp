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
    : s_(s), ranks_(ranks), plan_(*s.exchange),
      per_rank_(s.plan.end_owned - s.plan.first_owned), to_(ranks.size()), spikes_to_(ranks.size()) {}

bool partition_exchange::all(bool ok) {
    ++exchanges_;
    bytes_sent_ += sizeof(int);  // a reduction: a few messages of one int
    return ranks_.every(ok);
}

bool partition_exchange::spikes(std::int64_t k, spiking_update& u, spike_router& router) {
    // Each neighbour gets, of every partition of this process, the fired
    // neurons it reads (after their count).
    const std::size_t R = ranks_.size(), me = ranks_.rank(), p = u.population();
    const std::size_t first = s_.plan.bounds[p][s_.plan.first_owned];
    const auto& at = plan_.reader_at[p];
    const auto& readers = plan_.readers[p];
    bool silent = true;
    for (std::size_t d : plan_.to) spikes_to_[d].clear();
    count_at_.resize(R);
    for (std::size_t q = s_.plan.first_owned; q < s_.plan.end_owned; ++q) {
        for (std::size_t d : plan_.to) {
            count_at_[d] = spikes_to_[d].size();
            spikes_to_[d].push_back(0);
        }
        silent &= u.fired(q).empty();
        for (std::uint32_t i : u.fired(q))
            for (std::uint32_t j = at[i - first]; j < at[i - first + 1]; ++j) {
                auto& m = spikes_to_[readers[j]];
                m.push_back(i);
                ++m[count_at_[readers[j]]];
            }
    }
    mine_.clear();
    mine_at_.assign(1, 0);
    for (std::size_t d = 0; d < R; ++d) {
        if (plan_.sends_to[d]) {
            put(mine_, spikes_to_[d].data(), spikes_to_[d].size());
            spikes_sent_ += spikes_to_[d].size() - per_rank_;  // less the counts
        }
        mine_at_.push_back(mine_.size());
    }
    plan_.neighbours->exchange(mine_, mine_at_, all_, at_);
    ++exchanges_;
    bytes_sent_ += mine_.size();
    // The others' partitions: what arrived, or nothing from a process this
    // one reads nothing of.
    std::vector<std::uint32_t>& ids = received_;
    for (std::size_t r = 0; r < R; ++r) {
        if (r == me) continue;
        std::size_t from = at_[r];
        for (std::size_t q = first_of(r); q < first_of(r) + per_rank_; ++q) {
            std::uint32_t n = 0;
            if (plan_.receives_from[r]) get(all_, from, &n, 1);
            ids.resize(n);
            get(all_, from, ids.data(), n);
            silent &= n == 0;
            u.take_fired(q, k, ids, router);
        }
    }
    return silent;
}

void partition_exchange::rows(std::size_t p, std::int64_t k, event_image_state& state) {
    changed_rows& changed = state.changed(p, k);
    float* out = state.layer(p, k);
    const auto& bounds = s_.plan.bounds[p];
    const std::size_t R = ranks_.size(), me = ranks_.rank();
    mine_.clear();
    mine_at_.assign(1, 0);
    if (changed.all) {
        for (std::size_t d = 0; d < R; ++d) {
            for (std::uint32_t i : plan_.send[p][d]) put(mine_, out + i, 1);
            mine_at_.push_back(mine_.size());
        }
    } else {
        for (auto& list : to_) list.clear();
        const std::size_t first = bounds[s_.plan.first_owned];
        const auto& at = plan_.reader_at[p];
        const auto& readers = plan_.readers[p];
        for (std::size_t q = s_.plan.first_owned; q < s_.plan.end_owned; ++q)
            for (std::uint32_t i : changed.rows[q])
                for (std::uint32_t j = at[i - first]; j < at[i - first + 1]; ++j) to_[readers[j]].push_back({i, out[i]});
        for (std::size_t d = 0; d < R; ++d) {
            if (plan_.sends_to[d]) {  // a neighbour: a count, though 0
                const auto n = static_cast<std::uint32_t>(to_[d].size());
                put(mine_, &n, 1);
                put(mine_, to_[d].data(), to_[d].size());
            }
            mine_at_.push_back(mine_.size());
        }
    }
    plan_.neighbours->exchange(mine_, mine_at_, all_, at_);
    ++exchanges_;
    bytes_sent_ += mine_.size() - (mine_at_[me + 1] - mine_at_[me]);
    const auto& rest = s_.rest.value[p];
    for (std::size_t r = 0; r < R; ++r) {
        if (r == me) continue;
        std::size_t at = at_[r];
        const auto& read = plan_.receive[p][r];
        if (changed.all) {
            for (std::uint32_t i : read) get(all_, at, out + i, 1);
            continue;
        }
        for (std::uint32_t i : read) out[i] = rest[i];  // unless it changed
        for (std::size_t q = first_of(r); q < first_of(r) + per_rank_; ++q) changed.rows[q].clear();
        if (!plan_.receives_from[r]) continue;
        std::uint32_t n = 0;
        get(all_, at, &n, 1);
        std::size_t q = first_of(r);
        for (std::uint32_t e = 0; e < n; ++e) {
            row_value v;
            get(all_, at, &v, 1);
            out[v.row] = v.value;
            while (v.row >= bounds[q + 1]) ++q;  // ascending: the partitions in turn
            changed.rows[q].push_back(v.row);
        }
    }
}

}  // namespace gust::event_detail
