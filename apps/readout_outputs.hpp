#pragma once
// The files of a read-out, as `gust analyze` and `gust evaluate` write them
// into a folder: metrics.csv, summary.csv, assignments.h5 and, on request,
// figures/ (binding pictures and rasters per image, metrics over steps).
// Written into an output_folder: they appear when the caller commits it.
#include <string>
#include <ostream>
#include <vector>

#include "analysis/readout_summary.hpp"
#include "analysis/spike_trains.hpp"
#include "io/output_folder.hpp"
#include "analysis/readout_report.hpp"

namespace gust::cli {

// `subfolder` is "" for the folder itself, or e.g. "objects_3".
void write_readout_files(output_folder& out, const std::string& subfolder, const readout_info& info,
                         const std::vector<analysed_image>& images, const std::vector<analysis::cycle_trains>& trains,
                         const std::vector<analysis::cycle_summary>& summary, bool figures, int threads);

// One line on `os` when some image has more clusters (objects + 1) than a
// cycle has phases: then objects must share phases, and SynScore can read
// 1 for spike trains that are all alike (e.g. silent); active SynScore and
// AMI are the figures to read.
void warn_if_clusters_exceed_phases(std::ostream& os, const std::vector<analysed_image>& images, int T);

}  // namespace gust::cli
