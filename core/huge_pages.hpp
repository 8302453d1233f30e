#pragma once
// Large arrays (a billion synapses' indices and weights, their fan-out
// tables) placed on transparent huge pages. Filling gigabytes page by page
// costs one page fault per 4 KiB, and in a virtual machine a fault is dear:
// generating a 1.02 G-synapse network took 66.5 s on 4 KiB pages and 36 s
// on huge pages (docs/benchmarks.md). Where the kernel gives huge pages
// only on request (the transparent_hugepage setting "madvise", Debian's
// default), the request is made before the array is first written, so it
// faults in 2 MiB at a time. A hint only: where it is refused, nothing
// changes but the speed.
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/parallel_for.hpp"

namespace gust {

// Asks for huge pages for the whole pages inside [p, p + bytes).
inline void advise_huge_pages(void* p, std::size_t bytes) {
    constexpr std::uintptr_t page = 4096;
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t begin = (at + page - 1) / page * page, end = (at + bytes) / page * page;
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Writes a zero into every 4 KiB page of [p, p + bytes), storage not yet
// holding objects, on oneTBB's workers: the pages are faulted in by every
// thread the run has instead of by the one that first writes the array. A
// fault is dear in a virtual machine, and one process's faults proceed side
// by side on its threads (docs/benchmarks.md, "A billion synapses").
inline void fault_in(void* p, std::size_t bytes) {
    constexpr std::size_t page = 4096, chunk = std::size_t{2} << 20;
    auto* c = static_cast<volatile char*>(p);
    gust::parallel_for(tbb::blocked_range<std::size_t>(0, (bytes + chunk - 1) / chunk),
                       [&](const tbb::blocked_range<std::size_t>& r) {
                           for (std::size_t k = r.begin(); k < r.end(); ++k)
                               for (std::size_t at = k * chunk; at < std::min(bytes, (k + 1) * chunk); at += page)
                                   c[at] = 0;
                       });
}

// v.resize(n), the new storage asked onto huge pages and faulted in on
// every thread first when it is large (from 64 MiB) and not yet allocated.
template <class T>
void resize_on_huge_pages(std::vector<T>& v, std::size_t n) {
    if (n * sizeof(T) >= (std::size_t{64} << 20) && v.capacity() < n) {
        v.reserve(n);  // allocated, not yet written
        advise_huge_pages(v.data(), n * sizeof(T));
        fault_in(v.data() + v.size(), (n - v.size()) * sizeof(T));  // past the elements it holds
    }
    v.resize(n);
}

}  // namespace gust
