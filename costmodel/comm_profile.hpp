// CommProfile: the statistics of a CommPlan (and of the activations flowing through it) that the
// cost model needs to predict requests, bytes and latency. It is the cost model's only view of a
// network: no weights, no partition, so a profile of a 65536-neuron, 1920-layer model is small.
//
// Made by cli/bridge/comm_profile_from_plan.hpp from an engine::CommPlan plus activation
// statistics (measured by a run or a simulation), by analytic_profile() (analytic_profile.hpp) for
// generated networks, or loaded from a YAML/JSON file given in a config (`profile: FILE`).
// Layer k = 1..L reads Y_{k−1} (B×N, B = batch_size images) and W_k (N×N).
// Plain value type; load/save are pure functions (save writes a temp file and renames).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cost {

struct LayerProfile {
  int repeat = 1;  // this entry stands for `repeat` consecutive identical layers (≥ 1)

  // Communication before the layer (over ordered pairs (s, t), s ≠ t, of the P workers):
  std::int64_t rows_sent = 0;          // Σ_{s≠t} |rows(k, s, t)|: neuron rows of Y_{k−1} sent
  std::int64_t nonempty_pairs = 0;     // #{(s, t) : rows(k, s, t) ≠ ∅}  (≤ P·(P−1))
  std::int64_t max_rows_sent = 0;      // max_s Σ_t |rows(k, s, t)|
  std::int64_t max_rows_received = 0;  // max_t Σ_s |rows(k, s, t)|

  // Data:
  double input_density = 0;     // nnz(Y_{k−1}) / (B·N) ∈ [0, 1]: how full the rows that travel are
  std::int64_t weight_nnz = 0;  // nnz(W_k)

  // Optional measurements (0 / empty = unknown: the cost model then uses its byte model):
  std::int64_t payload_bytes = 0;        // Σ_{s≠t} bytes of the encoded (compressed) payloads
  std::vector<std::int64_t> pair_bytes;  // [s·P + t]: encoded payload bytes of each pair
                                         // (0 = empty marker; diagonal ignored). When present,
                                         // message packing is counted pair by pair (exact).
  bool operator==(const LayerProfile&) const = default;
};

struct CommProfile {
  int neurons = 0;                         // N
  int parts = 1;                           // P the plan was made for
  int batch_size = 0;                      // B: images per query the densities refer to
  std::string source;                      // how it was made ("measured: run …", "analytic: radix-net", a file name)
  std::vector<LayerProfile> layers;        // in layer order; Σ repeat = L
  std::vector<std::int64_t> gather_bytes;  // optional, [P]: frame bytes each worker sends worker 0
                                           // with its rows of Y_L (entry 0 ignored); empty → modelled

  int num_layers() const {
    int n = 0;
    for (const auto& l : layers) n += l.repeat;
    return n;
  }
  bool operator==(const CommProfile&) const = default;
};

// Loads a profile from YAML or JSON (JSON is YAML). Strict: unknown keys, wrong types, negative
// counts, densities outside [0, 1], pair_bytes of the wrong length → engine::InputError
// ("path:line: key: problem"). Keys are those of the structs above.
CommProfile load_comm_profile(const std::string& path);
CommProfile parse_comm_profile(const std::string& text, const std::string& path);
// Checks the invariants above; throws std::invalid_argument naming the first violation.
void validate(const CommProfile& profile);

// Serialises to JSON (a valid YAML document too), round-trips exactly through parse_comm_profile.
std::string to_json(const CommProfile& profile);
// Writes to_json(profile) to path atomically (temp file + rename). Throws std::runtime_error on I/O failure.
void save_comm_profile(const CommProfile& profile, const std::string& path);

}  // namespace cost
