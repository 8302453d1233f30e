#pragma once
// Counter-based randomness (Random123 Philox4x32-10). Every draw is a pure
// function of (seed, stream, image, step, unit): no generator state is carried
// between draws, so results cannot depend on the thread count, the partition
// of neurons, the order of evaluation or the backend. Layout (docs/rng.md):
//   key     = { seed low 32 bits, seed high 32 bits }
//   counter = { unit / 4, step, image, stream }
// and the unit's value is lane (unit % 4) of the Philox output block.
// A stream is (purpose << 24) | object, object being e.g. a projection index.
#include <Random123/philox.h>

#include <cstdint>
#include <cstddef>

#include "core/philox_lanes.hpp"

namespace gust {

enum class purpose : std::uint32_t {
    membrane_noise = 1,  // u in m = x*c + u, per spiking neuron and step
    release = 2,         // stochastic release of a delayed projection
    initial_state = 3,   // initial history of a population (the random D)
    corruption = 4,      // salt-and-pepper corruption in training
    shuffle = 5,         // order of training images
    weight_init = 6,     // fresh model weights
    dataset = 7,         // shapes data set generator
    analysis = 8,        // k-medoids initialisation
    // Training passes (learning/training_draws.hpp): object = pass number
    // (0 = validation, epoch + 1 = a training epoch), so every epoch sees
    // fresh noise while validation sees the same draws every time.
    train_membrane_noise = 9,
    train_release = 10,
    train_initial_state = 11,
    train_horizon = 12,  // cycles unrolled per training batch (--min-cycles); object 0
};

constexpr std::uint32_t stream_id(purpose p, std::uint32_t object = 0) {
    return (static_cast<std::uint32_t>(p) << 24) | (object & 0xFFFFFFu);
}

// 24 random bits -> float in [0, 1), the same resolution as torch.rand.
inline float to_unit_float(std::uint32_t bits) {
    return static_cast<float>(bits >> 8) * 0x1p-24f;
}
// 53 random bits -> double in [0, 1).
inline double to_unit_double(std::uint32_t hi, std::uint32_t lo) {
    return static_cast<double>((static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11)) * 0x1p-53;
}

class counter_rng {
public:
    using philox = r123::Philox4x32;

    explicit counter_rng(std::uint64_t seed)
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

    std::uint64_t seed() const {
        return key_.v[0] | (static_cast<std::uint64_t>(key_.v[1]) << 32);
    }

    // The four 32-bit words of block `block` of a (stream, image, step) sequence.
    philox::ctr_type block(std::uint32_t stream, std::uint64_t image, std::uint64_t step,
                           std::uint64_t block) const {
        philox::ctr_type c{{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(step),
                            static_cast<std::uint32_t>(image), stream}};
        return philox()(c, key_);
    }

    // word[k][i] = word k of block first + i, for i < 16: the same as
    // block(), sixteen at once.
    void sixteen_blocks(std::uint32_t stream, std::uint64_t image, std::uint64_t step, std::uint64_t first,
                        std::uint32_t (&word)[4][16]) const {
        philox_sixteen(key_, static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(step),
                       static_cast<std::uint32_t>(image), stream, word);
    }

    float uniform(std::uint32_t stream, std::uint64_t image, std::uint64_t step,
                  std::uint64_t unit) const {
        return to_unit_float(block(stream, image, step, unit / 4).v[unit % 4]);
    }

    // out[i] = uniform(stream, image, step, i) for i in [0, n).
    void fill_uniform(std::uint32_t stream, std::uint64_t image, std::uint64_t step, float* out,
                      std::size_t n) const {
        std::size_t i = 0;
        for (std::uint64_t b = 0; i < n; ++b) {
            auto r = block(stream, image, step, b);
            for (int lane = 0; lane < 4 && i < n; ++lane, ++i) out[i] = to_unit_float(r.v[lane]);
        }
    }

    // f(i, u) for i in [first, first + n): u = the i-th double of a
    // (stream, image, step) sequence, made of its words 2i and 2i + 1 as
    // counter_sequence::next_double makes it after seek(2 * first). Two to a
    // block, without the sequence's word-by-word bookkeeping, which costs
    // more than the block: a weight set of a billion synapses is drawn so.
    template <class F>
    void for_each_double(std::uint32_t stream, std::uint64_t image, std::uint64_t step, std::uint64_t first,
                         std::size_t n, F&& f) const {
        std::uint64_t i = first;
        const std::uint64_t end = first + n;
        if (i < end && i % 2 == 1) {
            const auto r = block(stream, image, step, i / 2);
            f(i - first, to_unit_double(r.v[2], r.v[3]));
            ++i;
        }
        std::uint32_t word[4][16];
        for (; i + 32 <= end; i += 32) {
            sixteen_blocks(stream, image, step, i / 2, word);
            for (std::uint64_t j = 0; j < 16; ++j) {
                f(i + 2 * j - first, to_unit_double(word[0][j], word[1][j]));
                f(i + 2 * j + 1 - first, to_unit_double(word[2][j], word[3][j]));
            }
        }
        for (; i + 1 < end; i += 2) {
            const auto r = block(stream, image, step, i / 2);
            f(i - first, to_unit_double(r.v[0], r.v[1]));
            f(i + 1 - first, to_unit_double(r.v[2], r.v[3]));
        }
        if (i < end) {
            const auto r = block(stream, image, step, i / 2);
            f(i - first, to_unit_double(r.v[0], r.v[1]));
        }
    }

private:
    philox::key_type key_;
};

// A sequential generator over one (stream, image) sequence, for code that
// needs many draws of irregular count (data set generation, shuffling): the
// n-th call returns word n of the sequence, still a pure function of the key.
class counter_sequence {
public:
    // `step` names a sub-sequence of (stream, image); a sequence holds 2^32
    // blocks of four words, far more than any caller draws.
    counter_sequence(const counter_rng& rng, std::uint32_t stream, std::uint64_t image,
                     std::uint32_t step = 0)
        : rng_(rng), stream_(stream), image_(image), step_(step) {}

    std::uint32_t next_u32() {
        if (lane_ == words) refill();
        return buf_[lane_++];
    }
    // Continue from word `word` of the sequence, as if that many had been
    // drawn: a long sequence can be split between threads.
    void seek(std::uint64_t word) {
        pos_ = static_cast<std::uint32_t>(word / 4);
        lane_ = words;
        if (word % 4 != 0) {
            refill();
            lane_ = static_cast<int>(word % 4);
        }
    }
    double next_double() {
        std::uint32_t hi = next_u32();
        return to_unit_double(hi, next_u32());
    }
    // Uniform integer in [0, n) without modulo bias (Lemire's method).
    std::uint32_t below(std::uint32_t n) {
        std::uint64_t m = static_cast<std::uint64_t>(next_u32()) * n;
        std::uint32_t l = static_cast<std::uint32_t>(m);
        if (l < n) {
            std::uint32_t t = (0u - n) % n;
            while (l < t) {
                m = static_cast<std::uint64_t>(next_u32()) * n;
                l = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<std::uint32_t>(m >> 32);
    }

private:
    // Blocks are made sixteen at a time, in vector lanes (one at a time,
    // the test for the next one kept the core from overlapping their rounds).
    static constexpr int blocks = 16, words = 4 * blocks;
    void refill() {
        std::uint32_t word[4][16];
        rng_.sixteen_blocks(stream_, image_, step_, pos_, word);
        for (int b = 0; b < blocks; ++b)
            for (int w = 0; w < 4; ++w) buf_[4 * b + w] = word[w][b];
        pos_ += blocks;
        lane_ = 0;
    }

    counter_rng rng_;  // a copy: it is just the key
    std::uint32_t stream_;
    std::uint64_t image_;
    std::uint32_t step_;
    std::uint32_t pos_ = 0;  // the next block to make
    int lane_ = words;       // the next word of buf_
    std::uint32_t buf_[words] = {};
};

}  // namespace gust
