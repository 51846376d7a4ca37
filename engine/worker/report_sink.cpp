#include "engine/worker/report_sink.hpp"

namespace engine {

Result<void> InProcessReports::send(const WorkerOutcome& outcome) {
  std::lock_guard lock(mu_);
  arrived_.push_back(outcome);
  return Ok{};
}

Result<std::vector<WorkerOutcome>> InProcessReports::collect() {
  std::vector<WorkerOutcome> out;
  std::lock_guard lock(mu_);
  out.swap(arrived_);
  return out;
}

ObjectStoreReports::ObjectStoreReports(cloud::Services services, ReportTarget target, ReportShape shape,
                                       RetryPolicy retry)
    : services_(services), target_(std::move(target)), shape_(shape), retry_(retry) {}

std::string ObjectStoreReports::key_of(int worker) const {
  return target_.prefix + "/" + std::to_string(worker) + ".json";
}

Result<void> ObjectStoreReports::send(const WorkerOutcome& outcome) {
  const std::string body = to_json(outcome);
  return with_retry(*services_.runtime, retry_, nullptr,
                    [&] { return services_.objects->put(target_.bucket, key_of(outcome.worker), body); });
}

Result<std::vector<WorkerOutcome>> ObjectStoreReports::collect() {
  std::vector<std::string> fresh;
  std::string token;
  do {
    auto page = with_retry(*services_.runtime, retry_, nullptr,
                           [&] { return services_.objects->list(target_.bucket, target_.prefix + "/", token); });
    if (!page) return page.error();
    for (const auto& key : page->keys)
      if (!read_.count(key)) fresh.push_back(key);
    token = page->next_token;
  } while (!token.empty());
  std::vector<WorkerOutcome> out;
  for (const auto& key : fresh) {
    auto body =
        with_retry(*services_.runtime, retry_, nullptr, [&] { return services_.objects->get(target_.bucket, key); });
    if (!body) return body.error();
    auto outcome = parse_worker_outcome(*body, shape_);
    if (!outcome) return Error{ErrorCode::kInvalidInput, "ObjectStoreReports", key + ": " + outcome.error().what};
    if (key != key_of(outcome->worker))
      return Error{ErrorCode::kInvalidInput, "ObjectStoreReports",
                   key + ": holds the report of worker " + std::to_string(outcome->worker)};
    read_.insert(key);
    out.push_back(std::move(*outcome));
  }
  for (std::size_t i = 0; i < fresh.size(); i += 1000) {
    const std::size_t n = std::min<std::size_t>(1000, fresh.size() - i);
    std::span<const std::string> batch(fresh.data() + i, n);
    auto ok = with_retry(*services_.runtime, retry_, nullptr,
                         [&] { return services_.objects->delete_objects(target_.bucket, batch); });
    if (!ok) return ok.error();
  }
  return out;
}

}  // namespace engine
