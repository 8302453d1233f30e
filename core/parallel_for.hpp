#pragma once
// Loops on oneTBB's workers, with the order oneTBB's fork and join impose
// told to ThreadSanitizer. Every parallel loop of gust goes through these.
//
// Debian's oneTBB is not built with ThreadSanitizer, so TSan sees neither
// the hand-over of a loop's inputs to the workers nor the caller's wait for
// them: every write a worker makes and the caller reads after the loop
// would be reported as a race. In a TSan build a loop releases a "fork"
// token before it starts, every chunk acquires it on entry and releases a
// "join" token on exit, and the caller acquires "join" after the loop.
// Those are exactly the edges oneTBB guarantees, and none joins two chunks:
// a race between workers is still reported. In other builds the tokens are
// no code at all.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <atomic>
#include <type_traits>
#include <utility>

#if defined(__SANITIZE_THREAD__)
#define GUST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GUST_TSAN 1
#endif
#endif

#ifdef GUST_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace gust {

// A happens-before edge through code ThreadSanitizer cannot see: what one
// thread did before hand_over(token) happens before what another does after
// take_over(token).
inline void hand_over([[maybe_unused]] const void* token) {
#ifdef GUST_TSAN
    __tsan_release(const_cast<void*>(token));
#endif
}
inline void take_over([[maybe_unused]] const void* token) {
#ifdef GUST_TSAN
    __tsan_acquire(const_cast<void*>(token));
#endif
}

namespace detail {
struct fork_join {
    char fork = 0, join = 0;
};
struct at_scope_end {  // calls edge(token) when it goes out of scope
    const void* token;
    void (*edge)(const void*);
    ~at_scope_end() { edge(token); }
};
}  // namespace detail

// body(range) for chunks of a tbb range (blocked_range), optionally with a
// partitioner, as tbb::parallel_for.
template <class Range, class Body, class... Partitioner>
    requires(!std::is_integral_v<Range>)
void parallel_for(const Range& range, const Body& body, Partitioner&&... partitioner) {
    detail::fork_join order;
    hand_over(&order.fork);
    // The join edges hold when a chunk throws too: oneTBB waits for every
    // chunk before it rethrows in the caller.
    const detail::at_scope_end joined{&order.join, take_over};
    tbb::parallel_for(
        range,
        [&](const Range& chunk) {
            take_over(&order.fork);
            const detail::at_scope_end done{&order.join, hand_over};
            body(chunk);
        },
        std::forward<Partitioner>(partitioner)...);
}

// f(i) for every i in [first, last), optionally with a partitioner. (Over a
// range, so that oneTBB copies the loop's body for its workers: a worker
// reading the caller's own copy would do so before it could take the fork
// token over.)
template <class Index, class F, class... Partitioner>
    requires std::is_integral_v<Index>
void parallel_for(Index first, Index last, const F& f, Partitioner&&... partitioner) {
    gust::parallel_for(  // qualified: a tbb range would find tbb's by argument lookup
        tbb::blocked_range<Index>(first, last),
        [&](const tbb::blocked_range<Index>& chunk) {
            for (Index i = chunk.begin(); i != chunk.end(); ++i) f(i);
        },
        std::forward<Partitioner>(partitioner)...);
}

// body(range) over [first, last), a loop of `work` steps (synapses, say):
// on oneTBB's workers when it is long, in the calling thread when it is
// short (under 2^20 steps), which is quicker than waking the workers.
template <class Body>
void parallel_for_long(std::size_t work, std::size_t first, std::size_t last, const Body& body) {
    const tbb::blocked_range<std::size_t> range(first, last);
    if (work < (std::size_t{1} << 20))
        body(range);
    else
        gust::parallel_for(range, body);
}

// Whether holds(range) is true of every chunk of [first, last), the chunks
// run as parallel_for_long runs them: a check over a large set, each chunk
// testing its part without a branch per element.
template <class Holds>
bool parallel_all_of(std::size_t work, std::size_t first, std::size_t last, const Holds& holds) {
    std::atomic<bool> all{true};
    parallel_for_long(work, first, last, [&](const tbb::blocked_range<std::size_t>& range) {
        if (!holds(range)) all.store(false, std::memory_order_relaxed);
    });
    return all.load();
}

}  // namespace gust
