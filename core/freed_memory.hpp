#pragma once
// How a gust program treats memory it frees. Simulation and training
// allocate and free buffers of megabytes for every batch and image; glibc by
// default hands such memory back to the kernel and faults it in again at the
// next allocation. Where a page fault is dear (virtual machines notably: a
// training step of the paper network took 3.3 instead of 2.4 ms per image
// here), that dominates. keep_freed_memory() makes the process keep what it
// frees for reuse; its footprint stays at its peak, which it reaches anyway.
// The programs (gust, the benchmarks) call it first thing; the libraries and
// the Python module leave the host process's allocator alone.
#include <malloc.h>

#include <limits>

namespace gust {

inline void keep_freed_memory() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc allows: blocks below come from the heap
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());  // and the heap is never trimmed
}

// Hands the pages of freed heap blocks back to the kernel now: after a
// transient copy that is freed for good (a weight set's 32-bit sources once
// narrowed), which keep_freed_memory() would otherwise keep in the footprint.
inline void return_freed_memory() { malloc_trim(0); }

}  // namespace gust
