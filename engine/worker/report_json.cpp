#include "engine/worker/report_json.hpp"

#include <limits>
#include <utility>
#include <vector>

#include "engine/worker/report_strict_json.hpp"

namespace engine {
namespace {
using nlohmann::json;
using strict_json::Bad;
using strict_json::Fields;
constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max() / 4;
constexpr double kMaxSeconds = 1e11;

// One table per struct, so that writing, reading and summing can never disagree on the fields.
const std::vector<std::pair<const char*, std::int64_t cloud::MeteredUsage::*>>& usage_counts() {
  using U = cloud::MeteredUsage;
  static const std::vector<std::pair<const char*, std::int64_t U::*>> t{
      {"sns_publish_requests", &U::sns_publish_requests},
      {"sns_publish_billed", &U::sns_publish_billed},
      {"sns_messages", &U::sns_messages},
      {"sns_payload_bytes", &U::sns_payload_bytes},
      {"sns_other_requests", &U::sns_other_requests},
      {"sqs_send_requests", &U::sqs_send_requests},
      {"sqs_send_billed", &U::sqs_send_billed},
      {"sqs_receive_requests", &U::sqs_receive_requests},
      {"sqs_receive_billed", &U::sqs_receive_billed},
      {"sqs_empty_receives", &U::sqs_empty_receives},
      {"sqs_messages_received", &U::sqs_messages_received},
      {"sqs_received_bytes", &U::sqs_received_bytes},
      {"sqs_delete_requests", &U::sqs_delete_requests},
      {"sqs_other_requests", &U::sqs_other_requests},
      {"s3_put_requests", &U::s3_put_requests},
      {"s3_put_bytes", &U::s3_put_bytes},
      {"s3_get_requests", &U::s3_get_requests},
      {"s3_get_bytes", &U::s3_get_bytes},
      {"s3_list_requests", &U::s3_list_requests},
      {"s3_delete_requests", &U::s3_delete_requests},
      {"s3_other_requests", &U::s3_other_requests},
      {"lambda_invocations", &U::lambda_invocations},
      {"sns_errors", &U::sns_errors},
      {"sqs_errors", &U::sqs_errors},
      {"s3_errors", &U::s3_errors},
      {"lambda_errors", &U::lambda_errors}};
  return t;
}
const std::vector<std::pair<const char*, double cloud::MeteredUsage::*>>& usage_amounts() {
  using U = cloud::MeteredUsage;
  static const std::vector<std::pair<const char*, double U::*>> t{{"lambda_gb_s", &U::lambda_gb_s},
                                                                  {"lambda_duration_s", &U::lambda_duration_s}};
  return t;
}
const std::vector<std::pair<const char*, std::int64_t ChannelStats::*>>& channel_counts() {
  using C = ChannelStats;
  static const std::vector<std::pair<const char*, std::int64_t C::*>> t{{"blocks_posted", &C::blocks_posted},
                                                                        {"empty_markers", &C::empty_markers},
                                                                        {"rows_posted", &C::rows_posted},
                                                                        {"nnz_posted", &C::nnz_posted},
                                                                        {"row_bytes_posted", &C::row_bytes_posted},
                                                                        {"frame_bytes_posted", &C::frame_bytes_posted},
                                                                        {"wire_bytes_posted", &C::wire_bytes_posted},
                                                                        {"messages_posted", &C::messages_posted},
                                                                        {"duplicates_dropped", &C::duplicates_dropped},
                                                                        {"retries", &C::retries}};
  return t;
}

json result_json(const Activations& y) {
  std::vector<std::int64_t> row_ptr(static_cast<std::size_t>(y.rows()) + 1, 0);
  std::vector<std::int32_t> col;
  std::vector<float> val;
  for (Eigen::Index r = 0; r < y.rows(); ++r) {
    for (Activations::InnerIterator it(y, r); it; ++it) {
      col.push_back(static_cast<std::int32_t>(it.col()));
      val.push_back(it.value());
    }
    row_ptr[static_cast<std::size_t>(r) + 1] = static_cast<std::int64_t>(col.size());
  }
  return json{{"rows", y.rows()}, {"cols", y.cols()}, {"row_ptr", row_ptr}, {"col", col}, {"val", val}};
}

Activations parse_result(const json& j, const ReportShape& s) {
  Fields f(j, "report.result");
  const int rows = f.int32("rows", s.images, s.images), cols = f.int32("cols", s.neurons, s.neurons);
  const std::size_t max_nnz = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  const json& row_ptr = f.array("row_ptr", static_cast<std::size_t>(rows) + 1);
  const json& col = f.array("col", max_nnz);
  const json& val = f.array("val", max_nnz);
  f.done();
  if (row_ptr.size() != static_cast<std::size_t>(rows) + 1)
    throw Bad("report.result.row_ptr: expected rows + 1 entries");
  if (col.size() != val.size()) throw Bad("report.result: col and val differ in length");
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  t.reserve(col.size());
  std::int64_t prev = 0;
  if (Fields::integer_of(row_ptr[0], "report.result.row_ptr[0]", 0, 0) != 0)
    throw Bad("report.result.row_ptr[0]: not 0");
  for (int r = 0; r < rows; ++r) {
    const std::int64_t end = Fields::integer_of(row_ptr[static_cast<std::size_t>(r) + 1], "report.result.row_ptr[]",
                                                prev, static_cast<std::int64_t>(col.size()));
    int last_col = -1;
    for (std::int64_t k = prev; k < end; ++k) {
      const auto i = static_cast<std::size_t>(k);
      const int c = static_cast<int>(Fields::integer_of(col[i], "report.result.col[]", last_col + 1, cols - 1));
      const double v = Fields::number_of(val[i], "report.result.val[]", -std::numeric_limits<float>::max(),
                                         std::numeric_limits<float>::max());
      t.emplace_back(r, c, static_cast<float>(v));
      last_col = c;
    }
    prev = end;
  }
  if (prev != static_cast<std::int64_t>(col.size())) throw Bad("report.result.row_ptr: last entry is not nnz");
  Activations y(rows, cols);
  y.setFromTriplets(t.begin(), t.end());
  y.makeCompressed();
  return y;
}

WorkerReport parse_report(const json& j, int worker, const ReportShape& s) {
  Fields f(j, "report");
  WorkerReport r;
  r.worker = worker;
  r.start_s = f.number("start_s", -kMaxSeconds, kMaxSeconds);
  r.end_s = f.number("end_s", -kMaxSeconds, kMaxSeconds);
  r.flops = f.number("flops", 0);
  const json& layers = f.array("layers", static_cast<std::size_t>(s.layers) + 1);
  if (layers.size() != static_cast<std::size_t>(s.layers) + 1)
    throw Bad("report.layers: expected " + std::to_string(s.layers + 1) + " (L layers and the gather)");
  for (std::size_t k = 0; k < layers.size(); ++k) {
    Fields lf(layers[k], "report.layers[" + std::to_string(k) + "]");
    WorkerLayerTiming t;
    t.layer = lf.int32("layer", static_cast<int>(k) + 1, static_cast<int>(k) + 1);
    t.start_s = lf.number("start_s", -kMaxSeconds, kMaxSeconds);
    t.posted_s = lf.number("posted_s", -kMaxSeconds, kMaxSeconds);
    t.local_s = lf.number("local_s", -kMaxSeconds, kMaxSeconds);
    t.received_s = lf.number("received_s", -kMaxSeconds, kMaxSeconds);
    t.end_s = lf.number("end_s", -kMaxSeconds, kMaxSeconds);
    t.input_nnz = lf.integer("input_nnz", 0, kMaxCount);
    const json& fb = lf.array("frame_bytes", static_cast<std::size_t>(s.workers));
    if (fb.size() != static_cast<std::size_t>(s.workers))
      throw Bad(lf.name("frame_bytes") + ": expected " + std::to_string(s.workers) + " entries");
    for (const auto& b : fb) t.frame_bytes.push_back(Fields::integer_of(b, lf.name("frame_bytes[]"), 0, kMaxCount));
    lf.done();
    r.layers.push_back(std::move(t));
  }
  Fields cf(f.at("channel"), "report.channel");
  for (const auto& [name, field] : channel_counts()) r.channel.*field = cf.integer(name, 0, kMaxCount);
  cf.done();
  const json& result = f.at("result");
  if (!result.is_null()) {
    if (worker != 0) throw Bad("report.result: only worker 0 gathers the result");
    r.result = parse_result(result, s);
  } else if (worker == 0) {
    throw Bad("report.result: worker 0 must carry the gathered result");
  }
  f.done();
  return r;
}
}  // namespace

void add_usage(cloud::MeteredUsage& into, const cloud::MeteredUsage& more) {
  for (const auto& [name, field] : usage_counts()) into.*field += more.*field;
  for (const auto& [name, field] : usage_amounts()) into.*field += more.*field;
}

std::string to_json(const WorkerOutcome& o) {
  json j{{"worker", o.worker},
         {"function_start_s", o.function_start_s},
         {"function_end_s", o.function_end_s},
         {"error", o.error},
         {"report", nullptr}};
  if (o.report) {
    const WorkerReport& r = *o.report;
    json layers = json::array();
    for (const auto& t : r.layers)
      layers.push_back({{"layer", t.layer},
                        {"start_s", t.start_s},
                        {"posted_s", t.posted_s},
                        {"local_s", t.local_s},
                        {"received_s", t.received_s},
                        {"end_s", t.end_s},
                        {"input_nnz", t.input_nnz},
                        {"frame_bytes", t.frame_bytes}});
    json channel = json::object();
    for (const auto& [name, field] : channel_counts()) channel[name] = r.channel.*field;
    j["report"] = {{"start_s", r.start_s}, {"end_s", r.end_s},
                   {"flops", r.flops},     {"layers", layers},
                   {"channel", channel},   {"result", r.result ? result_json(*r.result) : json()}};
  }
  json usage = json::object();
  for (const auto& [name, field] : usage_counts()) usage[name] = o.usage.*field;
  for (const auto& [name, field] : usage_amounts()) usage[name] = o.usage.*field;
  j["usage"] = usage;
  json requests = json::object();
  for (const auto& [op, n] : o.requests)
    requests[op] = {{"sent", n.sent}, {"failed", n.failed}, {"retried", n.retried}};
  j["requests"] = requests;
  return j.dump();
}

Result<WorkerOutcome> parse_worker_outcome(const std::string& text, const ReportShape& s) {
  try {
    const json j = strict_json::parse(text);
    Fields f(j, "report");
    WorkerOutcome o;
    o.worker = f.int32("worker", 0, s.workers - 1);
    o.function_start_s = f.number("function_start_s", -kMaxSeconds, kMaxSeconds);
    o.function_end_s = f.number("function_end_s", -kMaxSeconds, kMaxSeconds);
    o.error = f.text("error", 64 * 1024);
    const json& report = f.at("report");
    if (!report.is_null()) o.report = parse_report(report, o.worker, s);
    if (!o.report && o.error.empty()) throw Bad("report: neither a report nor an error");
    Fields uf(f.at("usage"), "report.usage");
    for (const auto& [name, field] : usage_counts()) o.usage.*field = uf.integer(name, 0, kMaxCount);
    for (const auto& [name, field] : usage_amounts()) o.usage.*field = uf.number(name, 0);
    uf.done();
    const json& requests = f.at("requests");
    if (!requests.is_object() || requests.size() > 1000) throw Bad("report.requests: expected an object of counts");
    for (const auto& [op, n] : requests.items()) {
      if (op.empty() || op.size() > 128) throw Bad("report.requests: bad operation name");
      Fields nf(n, "report.requests." + op);
      o.requests[op] = {nf.integer("sent", 0, kMaxCount), nf.integer("failed", 0, kMaxCount),
                        nf.integer("retried", 0, kMaxCount)};
      nf.done();
    }
    f.done();
    return o;
  } catch (const Bad& bad) {
    return Error{ErrorCode::kInvalidInput, "parse_worker_outcome", bad.what()};
  } catch (const nlohmann::json::exception& bad) {
    return Error{ErrorCode::kInvalidInput, "parse_worker_outcome", bad.what()};
  }
}

}  // namespace engine
