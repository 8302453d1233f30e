#pragma once
// A min-queue of spike events on a Boost.Heap d-ary heap: push in any order,
// pop everything due at a step in canonical (step, channel, unit) order.
#include <boost/heap/d_ary_heap.hpp>

#include <vector>

#include "sim/spike_event.hpp"

namespace gust {

class event_queue {
public:
    void push(const spike_event& e) { heap_.push(e); }
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    void clear() { heap_.clear(); }

    // Calls f(event) for every event due at or before `step`, in canonical order.
    template <class F>
    void pop_due(std::int64_t step, F&& f) {
        while (!heap_.empty() && heap_.top().step <= step) {
            const spike_event e = heap_.top();
            heap_.pop();
            f(e);
        }
    }

private:
    struct later {
        bool operator()(const spike_event& a, const spike_event& b) const { return b < a; }
    };
    boost::heap::d_ary_heap<spike_event, boost::heap::arity<4>, boost::heap::compare<later>> heap_;
};

}  // namespace gust
