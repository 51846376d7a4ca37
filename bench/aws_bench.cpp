// AWS client throughput against the fauxqs emulator: requests per second of the real clients
// (SnsClient, SqsClient, S3Client: build, sign, send, parse) next to a raw libcurl loop that sends
// the same requests (same URL, headers and bodies, signed once up front, responses not parsed)
// over one reused connection. The clients' overhead is client time / raw time − 1 (target ≤ 20%);
// also reported: the same ratio of median call times, and each side's CPU per request.
//
// Run: scripts/with-emulator.sh build/release/bench/aws_bench --benchmark_report_aggregates_only
// (AWS_TEST_ENDPOINT names the emulator; without it each benchmark reports an error and skips.)
// Each benchmark runs 9 repetitions; read the median row, and the min and max rows for the spread.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "engine/aws/aws_backend.hpp"
#include "engine/aws/md5_many.hpp"
#include "engine/aws/sigv4.hpp"
#include "engine/aws/sqs_client.hpp"

using namespace engine;

namespace {

struct Fixture {
  std::string endpoint;
  std::unique_ptr<aws::AwsBackend> backend;
  std::string topic_arn, queue_url, bucket = "fsd-bench-bucket";
  std::vector<cloud::OutgoingMessage> batch;  // 10 × 1 KiB, with 2 attributes each
  std::string object;                         // 64 KiB
};

Fixture* fixture(benchmark::State& state) {
  static std::unique_ptr<Fixture> f;
  if (f) return f.get();
  const char* e = std::getenv("AWS_TEST_ENDPOINT");
  if (!e || !*e) {
    state.SkipWithError("AWS_TEST_ENDPOINT is not set: run through scripts/with-emulator.sh");
    return nullptr;
  }
  f = std::make_unique<Fixture>();
  f->endpoint = e;
  auto b = aws::AwsBackend::from_environment({{"AWS_ENDPOINT_URL", f->endpoint},
                                              {"AWS_REGION", "us-east-1"},
                                              {"AWS_ACCESS_KEY_ID", "AKIDBENCH"},
                                              {"AWS_SECRET_ACCESS_KEY", "bench"}});
  f->backend = std::move(*b);
  f->topic_arn = f->backend->sns().create_topic("fsd-bench-topic").value();
  auto q = f->backend->sqs().create_queue("fsd-bench-queue").value();
  f->queue_url = q.url;
  for (int i = 0; i < 10; ++i)
    f->batch.push_back(
        {std::string(1024, static_cast<char>('a' + i)), {{"target", std::to_string(i)}, {"layer", "3"}}});
  f->backend->sqs().send_batch(f->queue_url, f->batch).value();
  f->backend->s3().create_bucket(f->bucket).value();
  f->object.assign(65536, 'x');
  f->backend->s3().put(f->bucket, "bench/object", f->object).value();
  return f.get();
}

// The raw peer: one curl handle, fixed requests, no signing or parsing inside the loop.
class RawLoop {
 public:
  RawLoop() : curl_(curl_easy_init()) {}
  ~RawLoop() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  // Prepares method/url/headers/body once, signed for `service` at the current time.
  void prepare(const std::string& method, const std::string& endpoint, const std::string& service,
               const std::string& path, const std::string& query, aws::HeaderList headers, std::string body) {
    body_ = std::move(body);
    std::string authority = aws::url_authority(endpoint);
    aws::SigningRequest r{method, path, query, headers, aws::sha256_hex(body_)};
    r.headers.emplace_back("Host", authority);
    if (service == "s3") r.headers.emplace_back("x-amz-content-sha256", r.payload_sha256_hex);
    aws::Credentials c{"AKIDBENCH", "bench", "", "bench"};
    for (auto& h : aws::sign(r, {"us-east-1", service, aws::amz_date_now(), service == "s3"}, c))
      r.headers.push_back(h);
    for (const auto& [k, v] : r.headers) headers_ = curl_slist_append(headers_, (k + ": " + v).c_str());
    headers_ = curl_slist_append(headers_, "Expect:");
    headers_ = curl_slist_append(headers_, "Accept:");
    url_ = "http://" + authority + path + (query.empty() ? "" : "?" + query);
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(
        curl_, CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void* out) {
          static_cast<std::string*>(out)->append(s * n, ' ');  // size only: the raw loop does not parse
          return s * n;
        });
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink_);
    if (method == "GET") {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body_.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
      if (method != "POST") curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
  }
  bool send() {
    sink_.clear();
    long status = 0;
    if (curl_easy_perform(curl_) != CURLE_OK) return false;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return status >= 200 && status < 300;
  }

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string url_, body_, sink_;
};

std::string sns_publish_batch_body(const Fixture& f) {
  std::string body = "Action=PublishBatch&Version=2010-03-31&TopicArn=" + aws::uri_encode(f.topic_arn, false);
  for (std::size_t i = 0; i < f.batch.size(); ++i) {
    std::string p = "PublishBatchRequestEntries.member." + std::to_string(i + 1) + ".";
    body += "&" + aws::uri_encode(p + "Id", false) + "=" + std::to_string(i);
    body += "&" + aws::uri_encode(p + "Message", false) + "=" + aws::uri_encode(f.batch[i].body, false);
    int n = 0;
    for (const auto& [k, v] : f.batch[i].attributes) {
      std::string a = p + "MessageAttributes.entry." + std::to_string(++n) + ".";
      body += "&" + aws::uri_encode(a + "Name", false) + "=" + aws::uri_encode(k, false);
      body += "&" + aws::uri_encode(a + "Value.DataType", false) + "=String";
      body += "&" + aws::uri_encode(a + "Value.StringValue", false) + "=" + aws::uri_encode(v, false);
    }
  }
  return body;
}

std::string sqs_receive_body(const Fixture& f) {
  // Visibility 0: the 10 prefilled messages stay visible, so every receive returns all of them.
  return nlohmann::json{{"QueueUrl", f.queue_url},
                        {"MaxNumberOfMessages", 10},
                        {"WaitTimeSeconds", 0},
                        {"VisibilityTimeout", 0},
                        {"MessageAttributeNames", {"All"}},
                        {"MessageSystemAttributeNames", {"ApproximateReceiveCount"}},
                        {"AttributeNames", {"ApproximateReceiveCount"}}}
      .dump();
}

// Instructions per request: this VM exposes no hardware counters (perf stat: "not supported"), so
// they are counted under callgrind. Each side runs through its own never-inlined function, whose
// inclusive instruction count callgrind_annotate reports; main() prints how many calls each made
// (docs/PERFORMANCE.md, "AWS clients", has the command). User-space instructions only. noipa:
// GCC would otherwise fold the two identical functions into one (identical code folding).
template <class Call>
[[gnu::noipa]] bool client_request(Call& call) {
  return call();
}
template <class Call>
[[gnu::noipa]] bool raw_request(Call& call) {
  return call();
}
std::map<std::string, std::pair<long, long>>& calls_made() {  // benchmark name → {client, raw} calls
  static std::map<std::string, std::pair<long, long>> calls;
  return calls;
}

// Interleaves the two in every iteration, in alternating order (client then raw, raw then client:
// ABBA), so emulator warm-up, its garbage collections and the machine's load hit both alike and
// neither always runs right after the other. Reports, for this repetition: each one's requests
// per second; client_overhead = client time / raw time - 1 over all iterations (the target:
// <= 0.20); p50_overhead = median client call / median raw call - 1, which a few stalled requests
// cannot move. Run with repetitions (registered below) for the median and spread of both.
template <class Client, class Raw>
void compare(benchmark::State& state, const char* name, int requests_per_call, Client&& client, Raw&& raw) {
  using clock = std::chrono::steady_clock;
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
  };
  double client_cpu_s = 0, raw_cpu_s = 0;
  std::vector<double> client_s, raw_s;  // per call
  auto timed = [&](auto& call, bool is_client, std::vector<double>& wall, double& cpu) {
    auto t0 = clock::now();
    double c0 = cpu_now();
    if (!(is_client ? client_request(call) : raw_request(call)))
      state.SkipWithError(is_client ? "client request failed" : "raw request failed");
    cpu += cpu_now() - c0;
    wall.push_back(std::chrono::duration<double>(clock::now() - t0).count());
  };
  bool client_first = true;
  for (auto _ : state) {
    if (client_first) {
      timed(client, true, client_s, client_cpu_s);
      timed(raw, false, raw_s, raw_cpu_s);
    } else {
      timed(raw, false, raw_s, raw_cpu_s);
      timed(client, true, client_s, client_cpu_s);
    }
    client_first = !client_first;
  }
  auto total = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  auto& calls = calls_made()[name];
  calls.first += static_cast<long>(client_s.size());
  calls.second += static_cast<long>(raw_s.size());
  if (client_s.empty()) return;
  const double n = static_cast<double>(client_s.size()) * requests_per_call;
  state.counters["client_req_per_s"] = n / total(client_s);
  state.counters["raw_req_per_s"] = n / total(raw_s);
  state.counters["client_overhead"] = total(client_s) / total(raw_s) - 1.0;  // target <= 0.20
  state.counters["p50_overhead"] = median(client_s) / median(raw_s) - 1.0;
  // The median calls themselves: their difference next to the CPU difference below tells
  // whether the client's extra time is its own CPU or waiting.
  state.counters["client_p50_us"] = 1e6 * median(client_s) / requests_per_call;
  state.counters["raw_p50_us"] = 1e6 * median(raw_s) / requests_per_call;
  // This process's CPU per request (the emulator's is not in it): what the client layer adds.
  state.counters["client_cpu_us"] = 1e6 * client_cpu_s / n;
  state.counters["raw_cpu_us"] = 1e6 * raw_cpu_s / n;
  state.SetItemsProcessed(static_cast<std::int64_t>(2 * n));
}

void BM_Publish(benchmark::State& state) {
  Fixture* f = fixture(state);
  if (!f) return;
  RawLoop raw;
  raw.prepare("POST", f->endpoint, "sns", "/", "",
              {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, sns_publish_batch_body(*f));
  compare(
      state, "publish", 1, [&] { return f->backend->sns().publish_batch(f->topic_arn, f->batch).has_value(); },
      [&] { return raw.send(); });
}

void BM_Receive(benchmark::State& state) {
  Fixture* f = fixture(state);
  if (!f) return;
  RawLoop raw;
  raw.prepare("POST", f->endpoint, "sqs", "/", "",
              {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "AmazonSQS.ReceiveMessage"}},
              sqs_receive_body(*f));
  cloud::ReceiveOptions o{10, 0.0, 0.0};
  compare(
      state, "receive", 1,
      [&] {
        auto r = f->backend->sqs().receive(f->queue_url, o);
        return r && r->size() == 10;
      },
      [&] { return raw.send(); });
}

// One call = a PUT and a GET of the same 64 KiB object.
void BM_PutGet(benchmark::State& state) {
  Fixture* f = fixture(state);
  if (!f) return;
  RawLoop put, get;
  const std::string path = "/" + f->bucket + "/bench/object";
  put.prepare("PUT", f->endpoint, "s3", path, "", {{"Content-Type", "application/octet-stream"}}, f->object);
  get.prepare("GET", f->endpoint, "s3", path, "", {}, "");
  compare(
      state, "put/get", 2,
      [&] {
        if (!f->backend->s3().put(f->bucket, "bench/object", f->object)) return false;
        auto g = f->backend->s3().get(f->bucket, "bench/object");
        return g && g->size() == f->object.size();
      },
      [&] { return put.send() && get.send(); });
}

// The client's own CPU per request, without the emulator (no AWS_TEST_ENDPOINT needed): the work
// the raw loop skips, so what client_cpu_us - raw_cpu_us above is made of. Inputs as the emulator
// benchmarks send and receive them (the response laid out as fauxqs 1.9.2 answers).
std::string publish_batch_form() {
  Fixture f;
  f.topic_arn = "arn:aws:sns:us-east-1:000000000000:fsd-bench-topic";
  for (int i = 0; i < 10; ++i)
    f.batch.push_back({std::string(1024, static_cast<char>('a' + i)), {{"target", std::to_string(i)}, {"layer", "3"}}});
  return sns_publish_batch_body(f);
}

std::string receive_response() {
  nlohmann::json messages = nlohmann::json::array();
  for (int i = 0; i < 10; ++i) {
    const std::string body(1024, static_cast<char>('a' + i));
    messages.push_back({{"MessageId", "bd281c62-c7b4-42c8-9fd5-174ebf61a1f" + std::to_string(i)},
                        {"ReceiptHandle", "ca62e6f0-0cb9-43a2-a5cb-a7b979830f3" + std::to_string(i)},
                        {"MD5OfBody", aws::md5_hex(body)},
                        {"Body", body},
                        {"MD5OfMessageAttributes", "f6eaf8d2c4b2bb0803dde0107c5c2a4f"},
                        {"MessageAttributes",
                         {{"target", {{"DataType", "String"}, {"StringValue", std::to_string(i)}}},
                          {"layer", {{"DataType", "String"}, {"StringValue", "3"}}}}},
                        {"Attributes", {{"ApproximateReceiveCount", "1"}}}});
  }
  return nlohmann::json{{"Messages", messages}}.dump();
}

// SigV4 for the PublishBatch request: SHA-256 of its body (16 KB), then sign().
void BM_CpuSignPublish(benchmark::State& state) {
  const std::string body = publish_batch_form();
  const aws::Credentials c{"AKIDBENCH", "bench", "", "bench"};
  const aws::SigningScope scope{"us-east-1", "sns", aws::amz_date_now(), false};
  for (auto _ : state) {
    aws::SigningRequest r{
        "POST",
        "/",
        "",
        {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, {"Host", "127.0.0.1:4566"}},
        aws::sha256_hex(body)};
    benchmark::DoNotOptimize(aws::sign(r, scope, c));
  }
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

// SigV4 for the 64 KiB PutObject: S3 signs the payload's SHA-256 too (x-amz-content-sha256).
void BM_CpuSignPut(benchmark::State& state) {
  const std::string object(65536, 'x');
  const aws::Credentials c{"AKIDBENCH", "bench", "", "bench"};
  const aws::SigningScope scope{"us-east-1", "s3", aws::amz_date_now(), true};
  for (auto _ : state) {
    const std::string hash = aws::sha256_hex(object);
    aws::SigningRequest r{
        "PUT",
        "/fsd-bench-bucket/bench/object",
        "",
        {{"Content-Type", "application/octet-stream"}, {"Host", "127.0.0.1:4566"}, {"x-amz-content-sha256", hash}},
        hash};
    benchmark::DoNotOptimize(aws::sign(r, scope, c));
  }
}

// A ReceiveMessage response of 10 × 1 KiB: simdjson, the messages, and each body's MD5 check.
void BM_CpuParseReceive(benchmark::State& state) {
  const std::string response = receive_response();
  for (auto _ : state) {
    auto r = aws::SqsClient::parse_receive_response(response);
    if (!r || r->size() != 10) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.counters["response_bytes"] = static_cast<double>(response.size());
}

// Of which: the MD5 of the ten bodies alone; arg 0 one at a time through OpenSSL (as before
// md5_many), arg 1 md5_many as the client now checks them (sixteen lanes at once with AVX2).
void BM_CpuMd5Bodies(benchmark::State& state) {
  const std::string body(1024, 'a');
  const std::vector<std::string_view> bodies(10, body);
  std::vector<aws::Md5Digest> digests(bodies.size());
  for (auto _ : state) {
    if (state.range(0) == 0) {
      for (int i = 0; i < 10; ++i) benchmark::DoNotOptimize(aws::md5_hex(body));
    } else {
      aws::md5_many(bodies, digests);
      benchmark::DoNotOptimize(digests.data());
    }
  }
  state.SetLabel(state.range(0) == 0 ? "openssl one by one" : aws::md5_many_avx512vl() ? "md5_many, 16 lanes, AVX-512VL" : aws::md5_many_vectorised() ? "md5_many, 16 lanes, AVX2" : "md5_many, scalar");
}

// Form-encoding ten 1 KiB bodies for the query protocol (SNS publish): arg 0 the bodies the
// emulator benchmarks publish (letters: nothing to escape), arg 1 base-85 text as the queue
// channel sends frames ('!'..'u', a quarter of it escaped; std::mt19937 seed 42).
void BM_CpuFormEncode(benchmark::State& state) {
  std::vector<std::string> bodies;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> base85('!', 'u');
  for (int i = 0; i < 10; ++i) {
    std::string b(1024, static_cast<char>('a' + i));
    if (state.range(0) == 1)
      for (char& c : b) c = static_cast<char>(base85(rng));
    bodies.push_back(std::move(b));
  }
  std::string form;
  for (auto _ : state) {
    form.clear();
    for (const auto& b : bodies) aws::uri_encode_append(form, b, false);
    benchmark::DoNotOptimize(form.data());
  }
  state.counters["form_bytes"] = static_cast<double>(form.size());
}

BENCHMARK(BM_CpuSignPublish);
BENCHMARK(BM_CpuFormEncode)->Arg(0)->Arg(1);
BENCHMARK(BM_CpuSignPut);
BENCHMARK(BM_CpuParseReceive);
BENCHMARK(BM_CpuMd5Bodies)->Arg(0)->Arg(1);

// Spread over repetitions: Google Benchmark adds mean, median, stddev and cv of every counter;
// min and max are added here. The count is fixed here (it takes precedence over the
// --benchmark_repetitions flag).
void with_spread(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->Repetitions(9);
  b->ComputeStatistics("min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
  b->ComputeStatistics("max", [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });
}

BENCHMARK(BM_Publish)->Apply(with_spread);
BENCHMARK(BM_Receive)->Apply(with_spread);
BENCHMARK(BM_PutGet)->Apply(with_spread);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // For instruction counts under callgrind (see client_request): every call, warm-up runs included.
  for (const auto& [name, calls] : calls_made())
    std::fprintf(stderr, "aws_bench: %s: %ld client calls, %ld raw calls\n", name.c_str(), calls.first, calls.second);
  return 0;
}
