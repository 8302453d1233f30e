#include "sim/afferents.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "sim/grid_reach.hpp"

namespace gust {

std::vector<std::size_t> partition_bounds(std::size_t size, std::size_t partitions, const std::vector<double>& split) {
    std::vector<std::size_t> b(partitions + 1);
    for (std::size_t q = 0; q <= partitions; ++q) b[q] = size * q / partitions;
    if (split.size() < 2 || partitions % (split.size() - 1) != 0) return b;
    const std::size_t ranks = split.size() - 1, per_rank = partitions / ranks;
    // Where process k's part begins: the same unit on every process,
    // computed from the same doubles.
    const auto at = [&](std::size_t k) -> std::size_t {
        if (k == 0 || !(split[k] > 0)) return 0;
        if (k == ranks || split[k] >= 1) return size;
        return static_cast<std::size_t>(std::llround(split[k] * static_cast<double>(size)));
    };
    std::vector<std::size_t> s(partitions + 1);
    for (std::size_t r = 0; r < ranks; ++r) {
        const std::size_t lo = at(r), hi = at(r + 1);
        if (hi < lo + per_rank) return b;
        for (std::size_t q = 0; q <= per_rank; ++q) s[r * per_rank + q] = lo + (hi - lo) * q / per_rank;
    }
    return s;
}

void afferent_group::accumulate_rows(std::size_t part, std::size_t row_begin, std::size_t row_end,
                                     const column_input* in, std::size_t count, const float* dense_in,
                                     float* acc) const {
    if (by_rows) accumulate_sparse_rows(*weights, dense_in, acc, row_begin, row_end);
    else if (weights->procedural()) accumulate_procedural(*weights->rule, in, count, acc, row_begin, row_end);
    else accumulate_fanout(fanout_of(part), in, count, acc, row_begin, row_end);
}

void afferent_group::accumulate_all_rows(const column_input* in, std::size_t count, const float* dense_in,
                                         float* acc) const {
    if (by_rows) {
        accumulate_sparse_rows(*weights, dense_in, acc, 0, fanout.rows);
        return;
    }
    if (weights->procedural()) {
        accumulate_procedural(*weights->rule, in, count, acc, 0, fanout.rows);
        return;
    }
    if (slices.empty()) {
        accumulate_fanout(fanout, in, count, acc, 0, fanout.rows);
        return;
    }
    for (const auto& s : slices) accumulate_fanout(s, in, count, acc, 0, fanout.rows);  // sparse: s's own rows
}

void afferent_group::accumulate_vector(const float* in, std::vector<column_input>& scratch, float* acc) const {
    if (by_rows) {
        accumulate_sparse_rows(*weights, in, acc, 0, fanout.rows);
        return;
    }
    nonzero_inputs(in, weights->cols, scratch);
    accumulate_all_rows(scratch.data(), scratch.size(), in, acc);
}

std::size_t afferent_group::out_degree(std::uint32_t source) const {
    if (fanout.dense) return fanout.rows;
    if (weights->procedural()) {
        if (owned_begin == 0 && owned_end == fanout.rows) return weights->rule->out_degree(source);
        std::size_t n = 0;
        weights->rule->for_each_target(source, owned_begin, owned_end, [&](std::size_t) { ++n; });
        return n;
    }
    if (slices.empty()) return fanout.out_degree(source);
    std::size_t n = 0;
    for (const auto& s : slices)
        if (!s.col_ptr.empty()) n += s.out_degree(source);  // another process's slice is not built
    return n;
}

afferent_plan::afferent_plan(const network& net, std::size_t parts) : afferent_plan(net, parts, 0, parts) {}

afferent_plan::afferent_plan(const network& net, std::size_t parts, std::size_t first, std::size_t end,
                             const std::vector<double>& split)
    : groups(net.populations.size()), context_only(net.populations.size(), false), partitions(parts),
      first_owned(first), end_owned(end) {
    if (partitions == 0) throw input_error("partitions", "must be at least 1");
    if (first >= end || end > partitions) throw std::logic_error("afferent_plan: owned partitions out of range");
    for (const auto& pop : net.populations) bounds.push_back(partition_bounds(pop.size, partitions, split));
    for (std::size_t j = 0; j < net.projections.size(); ++j) {
        const auto& pr = net.projections[j];
        auto& g = groups[pr.target];
        auto it = std::find_if(g.begin(), g.end(), [&](const afferent_group& a) { return a.weights == pr.weights.get(); });
        if (it == g.end()) {
            afferent_group a;
            a.weights = pr.weights.get();
            a.projections = {j};
            a.source = pr.source;
            a.spiking_source = net.populations[pr.source].type == population::kind::spiking;
            g.push_back(std::move(a));
        } else {
            if (it->source != pr.source)
                throw input_error("network: projections sharing a weight matrix must share their source");
            it->projections.push_back(j);
        }
    }
    for (std::size_t p = 0; p < groups.size(); ++p)
        for (auto& g : groups[p]) {
            g.by_rows = g.weights->sparse() && !g.spiking_source;
            g.row_bounds = bounds[p];
            g.owned_begin = bounds[p][first_owned];
            g.owned_end = bounds[p][end_owned];
            // The shape, which a table not built (procedural, or by rows
            // and not asked for) keeps alone.
            g.fanout.rows = g.weights->rows;
            g.fanout.cols = g.weights->cols;
            g.fanout.dense = !g.weights->sparse();
        }
    build_tables([](std::size_t, const afferent_group& g) { return !g.by_rows; });
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
        if (net.populations[p].type != population::kind::graded) continue;
        bool read_by_projection = std::any_of(net.projections.begin(), net.projections.end(),
                                              [&](const projection& pr) { return pr.source == p; });
        bool read_as_context = std::any_of(net.populations.begin(), net.populations.end(), [&](const population& q) {
            return q.type == population::kind::spiking && q.context == p;
        });
        context_only[p] = read_as_context && !read_by_projection;
    }
}

template <class Want>
void afferent_plan::build_tables(Want want) {
    // Every table (a group's, or one slice of it) is built on its own, in
    // parallel: at a billion synapses this is most of a run's set-up.
    struct table_job {
        afferent_group* group;
        fanout_matrix* table;
        std::size_t row_begin, row_end;
    };
    std::vector<table_job> jobs;
    for (std::size_t p = 0; p < groups.size(); ++p)
        for (auto& g : groups[p]) {
            if (g.weights->procedural() || !want(p, g)) continue;  // a procedural set's synapses are regenerated
            if (g.weights->sparse() && partitions > 1) {
                // The slices hold the synapses; the whole table only its shape.
                g.slices.resize(partitions);
                for (std::size_t q = first_owned; q < end_owned; ++q)  // the others stay empty
                    jobs.push_back({&g, &g.slices[q], bounds[p][q], bounds[p][q + 1]});
            } else {
                jobs.push_back({&g, &g.fanout, 0, g.weights->rows});
            }
        }
    gust::parallel_for(std::size_t(0), jobs.size(), [&](std::size_t j) {
        const table_job& t = jobs[j];
        *t.table = fanout_matrix::build(*t.group->weights, t.row_begin, t.row_end, !t.group->by_rows);
    });
}

void afferent_plan::add_listing_tables(const network& net, const std::vector<bool>& listed) {
    for (std::size_t p = 0; p < groups.size(); ++p)
        for (auto& g : groups[p]) {
            if (!g.by_rows || !listed[p]) continue;
            const local_window* claimed = net.projections[g.projections.front()].fields.get();
            if (g.weights->procedural()) g.fields = &g.weights->rule->window;  // regenerated within its fields
            else if (claimed != nullptr && within_fields(*g.weights, *claimed)) g.fields = claimed;
        }
    build_tables([&](std::size_t p, const afferent_group& g) { return g.by_rows && listed[p] && g.fields == nullptr; });
}

}  // namespace gust
