// Run record files: the JSON `fsd run` writes and `fsd check` reads.
//
//   {"format": "fsd-run-record/1", "config_path": ..., "config_yaml": ..., "run": {...}}
// "run" holds every member of engine::RunRecord under its own name (usage: every MeteredUsage
// counter; traffic: every ChannelStats counter). The config travels verbatim as YAML text, so
// `fsd check` predicts for exactly the deployment that ran. No credentials, no environment.
//
// Reading is strict: malformed JSON ("path:line: ..."), a missing or unknown key, a wrong type
// or a negative count throws engine::InputError naming the file and the key path. Writing is
// atomic (temp file + rename). Pure functions apart from the file I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/worker/run_record.hpp"

namespace cli {

inline constexpr const char* kRunRecordFormat = "fsd-run-record/1";

struct RecordFile {
  std::string config_path;
  std::string config_yaml;
  engine::RunRecord run;
  bool operator==(const RecordFile&) const = default;
};

nlohmann::json record_to_json(const RecordFile& record);
RecordFile record_from_json(const nlohmann::json& json, const std::string& path);

void write_record(const RecordFile& record, const std::string& path);
RecordFile read_record(const std::string& path);
// Parses record text (path is used in messages only).
RecordFile parse_record(const std::string& text, const std::string& path);

}  // namespace cli
