#include "cli/validate/comparison.hpp"

#include <cmath>
#include <stdexcept>

namespace cli::validate {

double simulated_count(const engine::RunRecord& r, const std::string& quantity) {
  const auto& u = r.usage;
  if (quantity == "publish calls") return static_cast<double>(u.sns_publish_requests);
  if (quantity == "messages") return static_cast<double>(u.sns_messages);
  if (quantity == "polls") return static_cast<double>(u.sqs_receive_requests);
  if (quantity == "bytes") return static_cast<double>(u.sns_payload_bytes);
  if (quantity == "PUT") return static_cast<double>(u.s3_put_requests);
  if (quantity == "GET") return static_cast<double>(u.s3_get_requests);
  if (quantity == "LIST") return static_cast<double>(u.s3_list_requests);
  if (quantity == "bytes written") return static_cast<double>(u.s3_put_bytes);
  throw std::logic_error("validate: unknown count " + quantity);
}

std::vector<ComparisonRow> compare(const PublishedPoint& point, const engine::RunRecord& record) {
  auto row = [](std::string quantity, double measured, double simulated, double tolerance) {
    ComparisonRow r{std::move(quantity), measured, simulated, (simulated - measured) / measured, tolerance, true};
    r.ok = tolerance <= 0 || std::fabs(r.error) <= tolerance;
    return r;
  };
  double mean_worker_s = 0;
  for (const auto& w : record.worker_records) mean_worker_s += (w.end_s - w.start_s) / record.worker_records.size();
  std::vector<ComparisonRow> rows{row("batch time s", point.batch_time_s, mean_worker_s, point.target ? kTimeTolerance : 0)};
  for (const PublishedCount& c : point.counts)
    rows.push_back(row(c.quantity, c.measured, simulated_count(record, c.quantity),
                       point.target && c.is_request_count ? kCountTolerance : 0));
  return rows;
}

}  // namespace cli::validate
