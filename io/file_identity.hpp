#pragma once
// What a file holds, in a few bytes, so that the ranks of one job can check
// that they read the same model, network description, data set or
// checkpoint: across machines that do not share a file system, each rank
// reads its own copy, and a stale or edited one would make the job compute
// something no single process computes, silently.
#include <cstdint>
#include <string>

namespace gust {

// "N bytes, crc32 X": the file's size and the CRC-32 of its bytes (zlib's).
// A file of more than `whole_up_to` bytes and 64 MiB (a model of a billion synapses is 8 GB, which
// each rank reads only its part of) is checksummed over 64 pieces of 1 MiB
// spread evenly through it: "N bytes, crc32 of 64 MiB sampled X". Throws
// input_error naming the file when it cannot be read.
std::string file_identity(const std::string& path, std::uint64_t whole_up_to = std::uint64_t{1} << 30);

// Where a file lies: this machine's boot (the kernel's boot_id) and the
// file's device, inode, size and modification time. Two processes that get
// the same string open one file on one machine, whose bytes need no
// comparing; "" when the boot or the file cannot be asked (then nothing is
// known). For ranks that share a machine, as mpirun's on one host do.
std::string file_location(const std::string& path);

}  // namespace gust
