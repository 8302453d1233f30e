#include "sim/engine.hpp"

#include "sim/dense_backend.hpp"
#include "sim/event_backend.hpp"

namespace gust {

std::unique_ptr<engine> make_engine(backend_kind kind, const network& net, const sim_options& opt) {
    if (kind == backend_kind::dense) return std::make_unique<dense_engine>(net);
    return std::make_unique<event_engine>(net, opt.partitions, opt.ranks, !opt.record.empty(), opt.rank_split);
}

}  // namespace gust
