#include "learning/batch_over_ranks.hpp"

#include <cstring>
#include <stdexcept>

#include "core/byte_stream.hpp"
#include "sim/image_shares.hpp"

namespace gust::learning {

namespace {

// The running sum as it travels: loss, spikes, cancel flag, then every
// tensor's values; a fixed size for a model, so the buffer is sized before
// the hops begin.
std::size_t running_sum_bytes(const training_result& s) {
    std::size_t n = sizeof s.loss + sizeof(std::uint64_t) + 1;
    for (const auto& t : s.grad) n += t.size() * sizeof(float);
    return n;
}

void write_running_sum(const training_result& s, std::vector<char>& out) {
    char* at = out.data();
    const std::uint64_t spikes = s.spikes;
    const char cancelled = s.cancelled ? 1 : 0;
    std::memcpy(at, &s.loss, sizeof s.loss);
    at += sizeof s.loss;
    std::memcpy(at, &spikes, sizeof spikes);
    at += sizeof spikes;
    *at++ = cancelled;
    for (const auto& t : s.grad) {
        if (!t.empty()) std::memcpy(at, t.data(), t.size() * sizeof(float));
        at += t.size() * sizeof(float);
    }
}

void read_running_sum(const std::vector<char>& in, training_result& s) {
    const char* at = in.data();
    std::uint64_t spikes = 0;
    std::memcpy(&s.loss, at, sizeof s.loss);
    at += sizeof s.loss;
    std::memcpy(&spikes, at, sizeof spikes);
    at += sizeof spikes;
    s.spikes = spikes;
    s.cancelled = *at++ != 0;
    for (auto& t : s.grad) {
        if (!t.empty()) std::memcpy(t.data(), at, t.size() * sizeof(float));
        at += t.size() * sizeof(float);
    }
}

// Adds this rank's groups, as packed by the pass, to the sum in group order.
void add_groups(const std::vector<char>& packed, std::uint64_t groups, training_result& sum) {
    byte_reader in(packed);
    for (std::uint64_t g = 0; g < groups; ++g) {
        for (double l : in.array<double>()) sum.loss += l;  // image order
        sum.spikes += in.value<std::uint64_t>();
        if (in.value<std::uint64_t>() != sum.grad.size()) throw std::logic_error("a group's gradient has another shape");
        for (auto& total : sum.grad) {
            const auto [t, size] = in.array_bytes<float>();
            if (size != total.size()) throw std::logic_error("a group's gradient has another shape");
            for (std::size_t i = 0; i < size; ++i) {
                float v;
                std::memcpy(&v, t + i * sizeof v, sizeof v);
                total[i] += v;
            }
        }
    }
}

}  // namespace

training_result training_loss_and_gradient(const network_model& m, const image_inputs& in, const draw_source& draws,
                                           const bptt_options& opt, int threads, bool with_gradient,
                                           const communicator& job) {
    if (job.size() == 1) return training_loss_and_gradient(m, in, draws, opt, threads, with_gradient);
    const image_share mine = share_of(training_groups(m, in.count), job);
    // Buffers kept from batch to batch: tens of MB, whose pages would
    // otherwise be faulted in afresh each time.
    static thread_local std::vector<char> packed, hop;
    byte_writer groups_out(std::move(packed));
    std::uint64_t groups = 0;
    group_selection selection{mine.first, mine.first + mine.count, [&](group_values&& g) {
                                  groups_out.array(g.loss);
                                  groups_out.value(static_cast<std::uint64_t>(g.spikes));
                                  groups_out.value(static_cast<std::uint64_t>(g.grad.size()));
                                  for (const auto& t : g.grad) groups_out.array(t);
                                  ++groups;
                              }};
    const training_result local = training_loss_and_gradient(m, in, draws, opt, threads, with_gradient, selection);
    packed = std::move(groups_out.bytes());

    // The running sum travels rank 0 -> 1 -> ... -> R-1 -> 0, each rank
    // adding its own groups in order: one process's fold, with one
    // parameter vector per hop. Everything it needs is allocated before the
    // ranks agree that none failed; after that nothing can fail until the
    // broadcast, so no rank can wait on a hop that never comes.
    training_result sum;
    if (with_gradient) sum.grad = zeros_like_parameters(m);
    hop.resize(running_sum_bytes(sum));
    job.barrier();
    const std::size_t r = job.rank(), ranks = job.size();
    if (r > 0) {
        job.receive_from(r - 1, hop);
        read_running_sum(hop, sum);
    }
    add_groups(packed, groups, sum);
    sum.cancelled = sum.cancelled || local.cancelled;
    write_running_sum(sum, hop);
    job.send_to((r + 1) % ranks, hop);
    if (r == 0) job.receive_from(ranks - 1, hop);
    read_running_sum(job.broadcast(hop), sum);
    return sum;
}

}  // namespace gust::learning
