#include "sim/row_copies.hpp"

#include <algorithm>

#include "core/huge_pages.hpp"

namespace gust::event_detail {

bool row_copies_pay(const weight_matrix& W, std::size_t from_bytes) {
    if (!W.sparse() || W.procedural()) return false;
    return W.nnz() * sizeof(float) + W.indices.bytes() >= from_bytes;
}

row_copies::row_copies(const weight_matrix& W, std::size_t capacity) : W_(W), capacity_(capacity), indptr_{0} {}

void row_copies::clear() {
    for (std::uint32_t r : row_of_) slot_[r] = 0;
    row_of_.clear();
    indptr_.assign(1, 0);
    w_.clear();
    offsets_.clear();
    firsts_.clear();
    wide_.clear();
}

void row_copies::copy(std::uint32_t r) {
    const std::uint32_t b = W_.indptr[r], e = W_.indptr[r + 1];
    w_.insert(w_.end(), W_.w.begin() + b, W_.w.begin() + e);
    if (W_.indices.is_narrow()) {
        offsets_.insert(offsets_.end(), W_.indices.offsets() + b, W_.indices.offsets() + e);
        firsts_.push_back(W_.indices.firsts()[r]);
    } else {
        wide_.insert(wide_.end(), W_.indices.wide() + b, W_.indices.wide() + e);
    }
    indptr_.push_back(static_cast<std::uint32_t>(w_.size()));
    row_of_.push_back(r);
    slot_[r] = static_cast<std::uint32_t>(row_of_.size());
}

void row_copies::prepare() {
    if (!slot_.empty()) return;
    // Room for the copies, in memory only as they are written.
    slot_.assign(W_.rows, 0);
    w_.reserve(capacity_);
    advise_huge_pages(w_.data(), capacity_ * sizeof(float));
    if (W_.indices.is_narrow()) {
        offsets_.reserve(capacity_);
        advise_huge_pages(offsets_.data(), capacity_ * sizeof(std::uint16_t));
    } else {
        wide_.reserve(capacity_);
        advise_huge_pages(wide_.data(), capacity_ * sizeof(std::uint32_t));
    }
}

void row_copies::accumulate(const std::uint32_t* rows, std::size_t n, const float* dense_in, float* acc) {
    prepare();
    slots_.clear();
    in_place_.clear();
    in_place_at_.clear();
    copied_acc_.clear();
    in_place_acc_.clear();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t r = rows[i];
        if (slot_[r] == 0 && fits(r)) copy(r);
        if (slot_[r] != 0) {
            slots_.push_back(slot_[r] - 1);
            copied_acc_.push_back(acc[i]);
        } else {
            in_place_.push_back(r);
            in_place_at_.push_back(static_cast<std::uint32_t>(i));
            in_place_acc_.push_back(acc[i]);
        }
    }
    stored_rows copies;
    copies.indptr = indptr_.data();
    copies.w = w_.data();
    if (W_.indices.is_narrow()) {
        copies.offsets = offsets_.data();
        copies.firsts = firsts_.data();
    } else {
        copies.wide = wide_.data();
    }
    if (in_place_.empty()) {  // the usual case: every row copied, summed in place of acc
        accumulate_stored_row_list(copies, slots_.data(), n, dense_in, acc);
        return;
    }
    accumulate_stored_row_list(copies, slots_.data(), slots_.size(), dense_in, copied_acc_.data());
    accumulate_stored_row_list(stored_rows_of(W_), in_place_.data(), in_place_.size(), dense_in, in_place_acc_.data());
    for (std::size_t i = 0, c = 0, j = 0; i < n; ++i)
        acc[i] = j < in_place_at_.size() && in_place_at_[j] == i ? in_place_acc_[j++] : copied_acc_[c++];
}

void row_copies_by_set::clear() {
    for (auto& [W, copies] : sets_)
        if (copies) copies->clear();
}

std::size_t row_copies_by_set::copied_rows() const {
    std::size_t n = 0;
    for (const auto& [W, copies] : sets_) n += copies ? copies->copied_rows() : 0;
    return n;
}

row_copies* row_copies_by_set::copies_of(const weight_matrix& W) {
    auto it = std::find_if(sets_.begin(), sets_.end(), [&](const auto& set) { return set.first == &W; });
    if (it == sets_.end()) {
        std::unique_ptr<row_copies> copies;
        if (row_copies_pay(W, from_bytes_)) copies = std::make_unique<row_copies>(W, W.nnz() / (8 * partitions_));
        it = sets_.emplace(sets_.end(), &W, std::move(copies));
    }
    return it->second.get();
}

void row_copies_by_set::accumulate(const weight_matrix& W, const std::uint32_t* rows, std::size_t n,
                                   const float* dense_in, float* acc) {
    if (row_copies* c = copies_of(W))
        c->accumulate(rows, n, dense_in, acc);
    else
        accumulate_sparse_row_list(W, rows, n, dense_in, acc);
}

}  // namespace gust::event_detail
