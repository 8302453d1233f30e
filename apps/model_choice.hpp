#pragma once
// Choosing the best of several read-outs by one final-cycle measure, as
// gust select and gust fit-context do: the first highest wins, so ties go to
// the earlier candidate (the earlier snapshot, the smaller grid point).
#include <cstdio>
#include <ostream>
#include <string>

#include "analysis/model_grouping.hpp"
#include "core/error.hpp"

namespace gust::cli {

class model_choice {
public:
    explicit model_choice(analysis::grouping_measure m) : measure_(m) {}
    void offer(std::size_t candidate, const analysis::cycle_summary& c) {
        const double v = analysis::measure_of(c, measure_);
        if (!chosen_ || v > value_) {  // NaN never wins
            chosen_ = true;
            index_ = candidate;
            value_ = v;
        }
    }
    std::size_t index() const {
        if (!chosen_) throw input_error("no candidate to choose among");
        return index_;
    }
    // "highest validation <measure> on <where>: <name> (<value>)"
    void report(std::ostream& os, const std::string& where, const std::string& name) const {
        os << "highest validation " << analysis::measure_name(measure_) << " on " << where << ": " << name << " ("
           << value_ << ")\n";
    }

private:
    analysis::grouping_measure measure_;
    bool chosen_ = false;
    std::size_t index_ = 0;
    double value_ = 0;
};

// "name,images,ami,synscore,active_synscore" with 4 decimals.
inline void print_grouping_row(std::ostream& os, const std::string& name, const analysis::cycle_summary& c) {
    char line[160];
    std::snprintf(line, sizeof line, ",%zu,%.4f,%.4f,%.4f\n", c.images, c.ami_mean, c.synscore_mean,
                  c.active_synscore_mean);
    os << name << line;
}

}  // namespace gust::cli
