#include "learning/batch_over_ranks.hpp"

#include <cstring>
#include <stdexcept>

#include "core/byte_stream.hpp"
#include "sim/image_shares.hpp"

namespace gust::learning {

training_result training_loss_and_gradient(const network_model& m, const image_inputs& in, const draw_source& draws,
                                           const bptt_options& opt, int threads, bool with_gradient,
                                           const communicator& job) {
    if (job.size() == 1) return training_loss_and_gradient(m, in, draws, opt, threads, with_gradient);
    const image_share mine = share_of(training_groups(m, in.count), job);
    // One buffer per thread for every batch of the run: tens of MB, whose
    // pages would otherwise be faulted in afresh each time.
    static thread_local std::vector<char> outbox;
    byte_writer sent(std::move(outbox));
    std::uint64_t groups = 0;
    group_selection selection{mine.first, mine.first + mine.count, [&](group_values&& g) {
                                  sent.array(g.loss);
                                  sent.value(static_cast<std::uint64_t>(g.spikes));
                                  sent.value(static_cast<std::uint64_t>(g.grad.size()));
                                  for (const auto& t : g.grad) sent.array(t);
                                  ++groups;
                              }};
    const training_result local = training_loss_and_gradient(m, in, draws, opt, threads, with_gradient, selection);
    sent.value(groups);
    sent.value(static_cast<std::uint8_t>(local.cancelled));

    byte_writer folded;
    const auto& received = job.gather(sent.bytes());
    outbox = std::move(sent.bytes());
    if (job.first()) {
        training_result sum;
        if (with_gradient) sum.grad = zeros_like_parameters(m);
        for (const auto& bytes : received) {
            // The rank's groups, then their count and its cancel flag.
            if (bytes.size() < sizeof(std::uint64_t) + 1) throw std::runtime_error("a rank sent no gradient");
            byte_reader tail(bytes);
            std::vector<char> end(bytes.end() - static_cast<std::ptrdiff_t>(sizeof(std::uint64_t) + 1), bytes.end());
            byte_reader trailer(end);
            const auto n = trailer.value<std::uint64_t>();
            sum.cancelled |= trailer.value<std::uint8_t>() != 0;
            for (std::uint64_t g = 0; g < n; ++g) {
                for (double l : tail.array<double>()) sum.loss += l;  // image order
                sum.spikes += tail.value<std::uint64_t>();
                const auto tensors = tail.value<std::uint64_t>();
                if (tensors != sum.grad.size()) throw std::runtime_error("a rank sent a gradient of another shape");
                for (auto& total : sum.grad) {
                    const auto [t, size] = tail.array_bytes<float>();
                    if (size != total.size()) throw std::runtime_error("a rank sent a gradient of another shape");
                    for (std::size_t i = 0; i < size; ++i) {  // group order
                        float v;
                        std::memcpy(&v, t + i * sizeof v, sizeof v);
                        total[i] += v;
                    }
                }
            }
        }
        folded.value(sum.loss);
        folded.value(static_cast<std::uint64_t>(sum.spikes));
        folded.value(static_cast<std::uint8_t>(sum.cancelled));
        for (const auto& t : sum.grad) folded.array(t);
    }
    const std::vector<char> result = job.broadcast(folded.bytes());
    byte_reader r(result);
    training_result out;
    out.loss = r.value<double>();
    out.spikes = r.value<std::uint64_t>();
    out.cancelled = r.value<std::uint8_t>() != 0;
    if (with_gradient) {
        out.grad = zeros_like_parameters(m);
        for (auto& t : out.grad) t = r.array<float>();
    }
    return out;
}

}  // namespace gust::learning
