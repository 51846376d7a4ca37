// The published FSD-Inference measurements `fsd validate` compares the simulator with, read from
// data (configs/calibration/fsd-inference-icde2024.csv: its header comment gives the source and
// how each column is derived), not compiled in.
//
// read_published_points() is strict: lines starting with '#' and blank lines are skipped; the
// header must name exactly the expected columns (any order); every row must fill its variant's
// counts and leave the other variant's empty; numbers are whole cells; workers must equal
// Σ bfr^l over the levels; names are unique. Anything else throws engine::InputError
// "path:line: what is wrong". Pure functions over values; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cli::validate {

struct PublishedCount {
  std::string quantity;   // "publish calls", "messages", "polls", "bytes" | "PUT", "GET", "LIST", "bytes written"
  double measured = 0;    // total over workers
  bool is_request_count;  // issue 6's ±10% target applies to request counts, not to bytes
};

struct PublishedPoint {
  std::string name;     // the spreadsheet's config id, e.g. c9_4096n_42w_10000bs_SQS
  std::string variant;  // "queue" | "object"
  int neurons = 0, workers = 0, bfr = 0, levels = 0, memory_mb = 0;
  double batch_time_s = 0;             // per worker
  std::vector<PublishedCount> counts;  // the variant's four counts, in the order above
  double communication_s = 0, computation_s = 0, compression_s = 0;  // per worker, information
  bool target = false;                 // one of issue 6's four calibration targets
  std::size_t line = 0;                // where it was read (1-based)
};

// <configs_dir>/calibration/fsd-inference-icde2024.csv (cost::configs_dir(): $FSD_CONFIG_DIR or
// the source tree's configs/).
std::string published_points_path();

std::vector<PublishedPoint> read_published_points(const std::string& path);
// The same from text already read (`path` only names it in errors).
std::vector<PublishedPoint> parse_published_points(const std::string& text, const std::string& path);

}  // namespace cli::validate
