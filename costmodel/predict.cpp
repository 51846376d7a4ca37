#include "costmodel/predict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace cost {

namespace {

constexpr double kChunkBytes = 65536;  // SNS and SQS bill each 64 KiB of a request's payload
constexpr int kBatchMessages = 10;     // PublishBatch, ReceiveMessage, DeleteMessageBatch limit
constexpr int kDeleteObjectsKeys = 1000;

double chunks(double bytes) { return std::max(1.0, std::ceil(bytes / kChunkBytes)); }

std::int64_t digits(std::int64_t n) {
  std::int64_t d = 1;
  for (; n >= 10; n /= 10) ++d;
  return d;
}

// Base-85 text of a frame (engine/channel/wire.hpp): 4 bytes → 5 characters, a final group of
// m < 4 bytes → m + 1.
std::int64_t text_size(std::int64_t frame_bytes) {
  return frame_bytes / 4 * 5 + (frame_bytes % 4 ? frame_bytes % 4 + 1 : 0);
}

// Billed sizes (body + attribute names and values) of the messages QueueChannel::post makes of
// one block of frame_bytes (0 = empty marker): attributes layer, source, target, chunk, chunks;
// bodies cut at max_message_bytes minus the attributes sized for the widest chunk numbers.
void queue_messages(int layer, int source, int target, std::int64_t frame_bytes, std::int64_t max_message_bytes,
                    std::vector<std::int64_t>& out) {
  const std::int64_t base = 5 + digits(layer) + 6 + digits(source) + 6 + digits(target);
  if (frame_bytes <= 0) {
    out.push_back(1 + base + 5 + 1 + 6 + 1);  // body "-", chunk "0", chunks "0"
    return;
  }
  const std::int64_t text = text_size(frame_bytes);
  const std::int64_t capacity = max_message_bytes - (base + 5 + 6 + 2 * digits(text));
  const std::int64_t n = (text + capacity - 1) / capacity;
  for (std::int64_t c = 0; c < n; ++c) {
    const std::int64_t body = c < n - 1 ? capacity : text - (n - 1) * capacity;
    out.push_back(body + base + 5 + digits(c) + 6 + digits(n));
  }
}

// What one sender's flush() costs: greedy PublishBatch calls of ≤ 10 messages and ≤
// max_message_bytes in total, each billed ⌈bytes / 64 KiB⌉ (≥ 1).
struct Publish {
  double calls = 0, billed = 0, bytes = 0;
};
Publish publish_batches(const std::vector<std::int64_t>& sizes, std::int64_t max_message_bytes) {
  Publish p;
  std::size_t begin = 0;
  while (begin < sizes.size()) {
    std::size_t end = begin;
    std::int64_t bytes = 0;
    while (end < sizes.size() && end - begin < std::size_t(kBatchMessages) && bytes + sizes[end] <= max_message_bytes)
      bytes += sizes[end++];
    if (end == begin) bytes += sizes[end++];  // cannot happen for sizes ≤ the limit; never loop forever
    p.calls += 1;
    p.billed += chunks(double(bytes));
    p.bytes += double(bytes);
    begin = end;
  }
  return p;
}

// Per-query counts and critical-path sizes of one exchange (a layer, or the gather).
struct Exchange {
  double messages = 0, calls = 0, billed = 0, bytes = 0;         // SNS
  double receives = 0, deletes = 0, receive_billed = 0;          // SQS
  double puts = 0, gets = 0, put_bytes = 0, object_deletes = 0;  // S3
  double busiest_calls = 0, busiest_out_messages = 0, busiest_out_objects = 0;  // the busiest sender's
  double busiest_in_messages = 0, busiest_in_gets = 0;
  double out_max_bytes = 0, in_max_bytes = 0;  // frame bytes of the busiest sender / receiver
};

// Exact counting from each pair's frame bytes frame(s, t): every ordered pair, or (gather) every
// s ≠ 0 to t = 0 only. O(P²) for a layer, O(P) for the gather.
template <class Frame>
Exchange exchange_exact(int layer, int P, std::int64_t max_message_bytes, double polls_per_sqrt_source, Frame frame,
                        bool gather) {
  Exchange x;
  std::vector<double> in_messages(std::size_t(P), 0), in_bytes(std::size_t(P), 0), in_sources(std::size_t(P), 0),
      in_gets(std::size_t(P), 0), in_frames(std::size_t(P), 0);
  std::vector<std::int64_t> sizes;
  for (int s = 0; s < P; ++s) {
    sizes.clear();
    double out_frames = 0, out_objects = 0;
    for (int t = 0; t < (gather ? 1 : P); ++t) {
      if (t == s) continue;
      const std::int64_t f = frame(s, t);
      const std::size_t before = sizes.size();
      queue_messages(layer, s, t, f, max_message_bytes, sizes);
      for (std::size_t i = before; i < sizes.size(); ++i) in_bytes[std::size_t(t)] += double(sizes[i]);
      in_messages[std::size_t(t)] += double(sizes.size() - before);
      in_sources[std::size_t(t)] += 1;
      in_gets[std::size_t(t)] += f > 0;
      in_frames[std::size_t(t)] += double(f);
      out_frames += double(f);
      out_objects += f > 0;
      x.puts += 1;
      x.gets += f > 0;
      x.put_bytes += double(f);
    }
    const Publish p = publish_batches(sizes, max_message_bytes);
    x.messages += double(sizes.size());
    x.calls += p.calls, x.billed += p.billed, x.bytes += p.bytes;
    x.busiest_calls = std::max(x.busiest_calls, p.calls);
    x.busiest_out_messages = std::max(x.busiest_out_messages, double(sizes.size()));
    x.busiest_out_objects = std::max(x.busiest_out_objects, out_objects);
    x.out_max_bytes = std::max(x.out_max_bytes, out_frames);
  }
  for (int t = 0; t < P; ++t) {
    const double sources = in_sources[std::size_t(t)];
    if (sources == 0) continue;
    const double m = in_messages[std::size_t(t)];
    // Receives: at least ⌈m/10⌉; staggered arrivals add polls (a fit, see docs/COSTMODEL.md).
    const double receives = std::max(std::ceil(m / kBatchMessages), polls_per_sqrt_source * std::sqrt(sources));
    x.receives += receives;
    x.deletes += std::ceil(m / kBatchMessages);  // one DeleteMessageBatch per 10 handles, per layer
    x.receive_billed += std::max(receives, std::ceil(in_bytes[std::size_t(t)] / kChunkBytes));
    x.object_deletes += std::ceil(sources / kDeleteObjectsKeys);  // one DeleteObjects per 1000 keys, per layer
    x.busiest_in_messages = std::max(x.busiest_in_messages, m);
    x.busiest_in_gets = std::max(x.busiest_in_gets, in_gets[std::size_t(t)]);
    x.in_max_bytes = std::max(x.in_max_bytes, in_frames[std::size_t(t)]);
  }
  return x;
}

// Uniform model (no pair sizes): `nonempty` pairs of frame_bytes each, spread as evenly as
// possible over senders; messages sized as queue_messages() does, with `overhead` attribute bytes.
Exchange exchange_uniform(int P, double nonempty_pairs, double frame_bytes, double out_max, double in_max,
                          std::int64_t max_message_bytes, double overhead, double polls_per_sqrt_source) {
  Exchange x;
  const double text = frame_bytes * 1.25;  // base-85
  const double capacity = double(max_message_bytes) - overhead;
  const double per_pair = text > 0 ? std::ceil(text / capacity) : 1;
  const double msg = text > 0 ? text / per_pair + overhead : overhead + 1;
  const double marker = overhead + 1;
  const double per_call = std::clamp(std::floor(double(max_message_bytes) / msg), 1.0, double(kBatchMessages));
  auto sender = [&](double big_pairs) {  // calls, billed, messages, bytes of one sender
    const double big = big_pairs * per_pair, empty = (P - 1) - big_pairs;
    const double big_calls = std::ceil(big / per_call);
    const double full = std::floor(big / per_call), rest = big - full * per_call;
    // Markers fill the last partial call first, then calls of 10.
    const double room = rest > 0 ? std::min(per_call - rest, std::floor((max_message_bytes - rest * msg) / marker)) : 0;
    const double extra_calls = std::ceil(std::max(0.0, empty - std::max(0.0, room)) / kBatchMessages);
    Publish p;
    p.calls = big_calls + extra_calls;
    p.billed = full * chunks(per_call * msg) + (rest > 0 ? chunks(rest * msg + std::min(empty, room) * marker) : 0) +
               extra_calls;
    p.bytes = big * msg + empty * marker;
    return std::make_pair(p, big + empty);
  };
  const double q = std::floor(nonempty_pairs / P), more = nonempty_pairs - q * P;
  const auto [hi, hi_messages] = sender(std::min(q + 1, double(P - 1)));
  const auto [lo, lo_messages] = sender(q);
  x.messages = more * hi_messages + (P - more) * lo_messages;
  x.calls = more * hi.calls + (P - more) * lo.calls;
  x.billed = more * hi.billed + (P - more) * lo.billed;
  x.bytes = more * hi.bytes + (P - more) * lo.bytes;
  x.busiest_calls = more > 0 ? hi.calls : lo.calls;
  x.busiest_out_messages = more > 0 ? hi_messages : lo_messages;
  x.busiest_out_objects = std::min(q + (more > 0 ? 1 : 0), double(P - 1));
  x.busiest_in_messages = more > 0 ? hi_messages : lo_messages;
  const double mean_in = x.messages / P;
  const double receives = std::max(std::ceil(mean_in / kBatchMessages), polls_per_sqrt_source * std::sqrt(P - 1.0));
  x.receives = P * receives;
  x.deletes = P * std::ceil(mean_in / kBatchMessages);
  x.receive_billed = P * std::max(receives, std::ceil(x.bytes / P / kChunkBytes));
  x.puts = double(P) * (P - 1);
  x.gets = nonempty_pairs;
  x.put_bytes = nonempty_pairs * frame_bytes;
  x.object_deletes = P * std::ceil((P - 1.0) / kDeleteObjectsKeys);
  x.busiest_in_gets = std::ceil(nonempty_pairs / P);
  x.out_max_bytes = out_max;
  x.in_max_bytes = in_max;
  return x;
}

double vcpus_of(int memory_mb, const Performance& perf) {
  return std::min(memory_mb / perf.lambda_mb_per_vcpu, perf.lambda_max_vcpus);
}

// vCPU-seconds to (de)compress `bytes` of compressed payload (speeds are per uncompressed byte).
double compress_vcpu_s(double bytes, const Performance& perf) {
  return perf.compress_bytes_per_s_per_vcpu > 0 ? bytes * perf.compression_ratio / perf.compress_bytes_per_s_per_vcpu
                                                : 0;
}
double decompress_vcpu_s(double bytes, const Performance& perf) {
  return perf.decompress_bytes_per_s_per_vcpu > 0
             ? bytes * perf.compression_ratio / perf.decompress_bytes_per_s_per_vcpu
             : 0;
}

// How much later than its fixed delivery delay the latest of a layer's P−1 blocks arrives, per
// layer, once the layers' waits have compounded: each worker starts its next layer when its own
// latest source arrived, so a layer's senders are already staggered. One source: the jitter's
// mean; more: barrier_jitter_factor · H(P−1) (the mean maximum of P−1 exponentials is H(P−1);
// the factor is the compounding, docs/COSTMODEL.md "Time").
double barrier_s(int P, const Performance& perf) {
  if (P < 2 || perf.sns_delivery_jitter_s <= 0) return 0;
  double h = 0;
  for (int i = 1; i < P; ++i) h += 1.0 / i;
  return perf.sns_delivery_jitter_s * h * (P > 2 ? perf.barrier_jitter_factor : 1.0);
}

std::string fmt(const char* f, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

}  // namespace

const char* to_string(Variant v) {
  switch (v) {
    case Variant::kSerial:
      return "serial";
    case Variant::kQueue:
      return "queue";
    case Variant::kObject:
      return "object";
    case Variant::kServerAlwaysOn:
      return "server_always_on";
    case Variant::kServerJobScoped:
      return "server_job_scoped";
  }
  return "?";
}

Variant parse_variant(const std::string& name) {
  for (Variant v : kAllVariants)
    if (name == to_string(v)) return v;
  throw std::invalid_argument("unknown variant '" + name +
                              "' (serial | queue | object | server_always_on | server_job_scoped)");
}

CommSummary summarize(const CommProfile& profile, const Deployment& d, const Performance& perf) {
  validate(profile);
  if (profile.neurons != d.neurons)
    throw std::invalid_argument("profile is for " + std::to_string(profile.neurons) + " neurons, deployment has " +
                                std::to_string(d.neurons));
  if (profile.num_layers() != d.layers)
    throw std::invalid_argument("profile has " + std::to_string(profile.num_layers()) + " layers, deployment has " +
                                std::to_string(d.layers));
  if (profile.parts != d.workers)
    throw std::invalid_argument("profile is for P = " + std::to_string(profile.parts) + ", deployment has " +
                                std::to_string(d.workers) + " workers");
  if (d.batch_size <= 0 || d.max_message_bytes < 1024 || d.parallel_gets <= 0 || d.parallel_puts < 0 || d.poll_interval_s < 0 || d.topics <= 0)
    throw std::invalid_argument("deployment: sizes must be > 0 (max_message_bytes ≥ 1024)");

  const int P = profile.parts;
  const double B = d.batch_size, N = d.neurons;
  const std::int64_t max_msg = d.max_message_bytes;
  const double bw = perf.function_bandwidth_bytes_per_s;
  const double polls = perf.receive_polls_per_sqrt_source;
  const double barrier = barrier_s(profile.parts, perf);
  const double list_cycle_s = d.poll_interval_s + perf.s3_list_latency_s;  // one empty LIST poll
  // Frame bytes of one row of Y_{k−1} (B·ρ nonzeros) when nothing was measured.
  auto row_frame_bytes = [&](double density) {
    return (perf.row_header_bytes + perf.bytes_per_nonzero * density * B) / perf.compression_ratio;
  };

  CommSummary s;
  s.parts = P;
  s.layers = profile.num_layers();
  s.per_layer.reserve(profile.layers.size());
  Exchange total;
  auto add = [&total](const Exchange& x, double r) {
    total.messages += r * x.messages, total.calls += r * x.calls, total.billed += r * x.billed,
        total.bytes += r * x.bytes;
    total.receives += r * x.receives, total.deletes += r * x.deletes, total.receive_billed += r * x.receive_billed;
    total.puts += r * x.puts, total.gets += r * x.gets, total.put_bytes += r * x.put_bytes;
    total.object_deletes += r * x.object_deletes;
  };
  int layer_number = 1;
  for (const LayerProfile& l : profile.layers) {
    const double r = l.repeat;
    const double ops = l.input_density * B * static_cast<double>(l.weight_nnz);  // Σ_i nnz(Y[:,i])·nnz(W[i,:])
    s.max_density = std::max(s.max_density, l.input_density);
    s.total_ops += r * ops;
    s.weight_nnz += static_cast<std::int64_t>(l.repeat) * l.weight_nnz;
    LayerTimes t;
    t.repeat = l.repeat;
    t.ops_total = ops;
    t.ops_busiest_worker = ops / P * (1.0 + perf.imbalance);
    if (P > 1) {
      Exchange x;
      if (!l.pair_bytes.empty()) {
        // Measured pairs: count message by message (layer numbers change attribute widths, so
        // folded layers are counted as their first; measured profiles are not folded).
        x = exchange_exact(
            layer_number, P, max_msg, polls, [&](int a, int b) { return l.pair_bytes[std::size_t(a) * P + b]; }, false);
      } else {
        const double frame_bytes_layer =
            l.payload_bytes > 0 ? double(l.payload_bytes) : double(l.rows_sent) * row_frame_bytes(l.input_density);
        const double per_row = l.rows_sent > 0 ? frame_bytes_layer / double(l.rows_sent) : 0;
        const double per_pair = l.nonempty_pairs > 0 ? frame_bytes_layer / double(l.nonempty_pairs) : 0;
        x = exchange_uniform(P, double(l.nonempty_pairs), per_pair, double(l.max_rows_sent) * per_row,
                             double(l.max_rows_received) * per_row, max_msg, perf.message_overhead_bytes, polls);
      }
      add(x, r);
      const double receives_busiest =
          std::max(std::ceil(x.busiest_in_messages / kBatchMessages), polls * std::sqrt(P - 1.0));
      const double deletes_busiest = std::ceil(x.busiest_in_messages / kBatchMessages);
      const double in_text = 1.25 * x.in_max_bytes, out_text = 1.25 * x.out_max_bytes;  // base-85
      const double last_text = x.busiest_in_messages > 0 ? in_text / x.busiest_in_messages : 0;
      t.local_fraction = 1.0 / P;
      t.queue_send_s = std::ceil(x.busiest_calls / perf.publish_concurrency) * perf.sns_publish_latency_s +
                       out_text / bw;
      // The last block is seen half a receive after it becomes visible; the receives cannot take
      // less than their own count and the bytes; then one DeleteMessageBatch per 10 messages.
      t.queue_wait_s = std::max(perf.sns_to_sqs_delay_s + barrier + 0.5 * perf.sqs_receive_latency_s + last_text / bw,
                                receives_busiest * perf.sqs_receive_latency_s + in_text / bw) +
                       deletes_busiest * perf.sqs_delete_latency_s;
      t.queue_cpu_vcpu_s = compress_vcpu_s(out_text, perf) + x.busiest_out_messages * perf.message_vcpu_s +
                           decompress_vcpu_s(last_text, perf) + perf.message_vcpu_s;
      const int parallel_puts = d.parallel_puts > 0 ? d.parallel_puts : d.parallel_gets;
      t.object_send_s = std::ceil((P - 1.0) / parallel_puts) * perf.s3_put_latency_s + x.out_max_bytes / bw;
      // LIST, GET what is new, sleep poll_interval_s, again: the latest source is found on average
      // P/(P+1) of a polling cycle after its PUT (the mean maximum of P uniform phases), then
      // fetched; then one DeleteObjects.
      t.object_wait_s = list_cycle_s * P / (P + 1.0) + 0.5 * perf.s3_list_latency_s +
                        std::ceil(x.busiest_in_gets / d.parallel_gets) * perf.s3_get_latency_s + x.in_max_bytes / bw +
                        perf.s3_delete_latency_s;
      // Empty LISTs while the latest source is outstanding: that wait (P/(P+1) of a cycle) over
      // the length of a polling round, which includes the GETs of what the previous LIST found.
      const double get_rounds_s = std::ceil(x.busiest_in_gets / d.parallel_gets) * perf.s3_get_latency_s;
      t.object_empty_lists =
          list_cycle_s > 0 ? P / (P + 1.0) * list_cycle_s / (list_cycle_s + get_rounds_s) : 0.0;
      t.object_cpu_vcpu_s = compress_vcpu_s(x.out_max_bytes, perf) + x.busiest_out_objects * perf.message_vcpu_s +
                            decompress_vcpu_s(x.in_max_bytes, perf) + x.busiest_in_gets * perf.message_vcpu_s;
    }
    layer_number += l.repeat;
    s.per_layer.push_back(t);
  }
  if (P > 1) {
    // Gather: every worker but 0 posts its rows of Y_L to worker 0 as layer L+1.
    const double last_density = profile.layers.back().input_density;
    const auto modeled = static_cast<std::int64_t>(std::llround(N / P * row_frame_bytes(last_density)));
    const Exchange g = exchange_exact(
        layer_number, P, max_msg, polls,
        [&](int a, int) { return profile.gather_bytes.empty() ? modeled : profile.gather_bytes[std::size_t(a)]; },
        true);
    add(g, 1.0);
    // One block from each worker but 0: the latest of P−1 deliveries (no compounding: one exchange).
    double h = 0;
    for (int i = 1; i < P; ++i) h += 1.0 / i;
    const double gather_text = 1.25 * g.in_max_bytes;
    s.gather_s = perf.sns_publish_latency_s + perf.sns_to_sqs_delay_s + perf.sns_delivery_jitter_s * h +
                 std::max(0.5 * perf.sqs_receive_latency_s,
                          std::ceil(g.busiest_in_messages / kBatchMessages) * perf.sqs_receive_latency_s) +
                 gather_text / bw + std::ceil(g.busiest_in_messages / kBatchMessages) * perf.sqs_delete_latency_s;
    s.gather_cpu_vcpu_s = compress_vcpu_s(gather_text / (P - 1.0), perf) + perf.message_vcpu_s +
                          decompress_vcpu_s(gather_text, perf) + g.busiest_in_messages * perf.message_vcpu_s;
    s.object_gather_s = perf.s3_put_latency_s + list_cycle_s * P / (P + 1.0) + 0.5 * perf.s3_list_latency_s +
                        std::ceil(g.busiest_in_gets / d.parallel_gets) * perf.s3_get_latency_s + g.in_max_bytes / bw +
                        perf.s3_delete_latency_s;
    s.object_gather_cpu_vcpu_s = compress_vcpu_s(g.in_max_bytes / (P - 1.0), perf) +
                                 decompress_vcpu_s(g.in_max_bytes, perf) + (g.busiest_in_gets + 1) * perf.message_vcpu_s;
    // Provisioning (engine/channel/queue_channel.cpp provision_queues; engine/worker/deployment.cpp):
    // CreateTopic per topic; per worker CreateQueue, and per (worker, topic) SetQueueAttributes
    // (the queue's policy) and Subscribe, one after another.
    s.queue_provision_s = d.topics * perf.sns_control_latency_s + P * perf.sqs_control_latency_s +
                          double(P) * d.topics * (perf.sqs_control_latency_s + perf.sns_control_latency_s);
    s.object_provision_s = perf.s3_control_latency_s;  // CreateBucket

    s.queue.sns_messages = std::llround(total.messages);
    s.queue.sns_publish_calls = std::llround(total.calls);
    s.queue.sns_billed_publishes = std::llround(total.billed);
    s.queue.sns_publish_bytes = std::llround(total.bytes);
    // Control-plane requests (CreateTopic, Subscribe, CreateQueue, CreateBucket, … once per run,
    // not per query) are left out, as cli/record/record_usage.hpp leaves them out of a run's usage.
    s.queue.sqs_receives = std::llround(total.receives);
    s.queue.sqs_deletes = std::llround(total.deletes);
    s.queue.sqs_received_bytes = s.queue.sns_publish_bytes;
    s.queue.sqs_billed_requests = std::llround(total.receive_billed) + s.queue.sqs_deletes;
    s.object.s3_puts = std::llround(total.puts);
    s.object.s3_gets = std::llround(total.gets);
    s.object.s3_put_bytes = std::llround(total.put_bytes);
    s.object.s3_get_bytes = s.object.s3_put_bytes;
    s.object.s3_deletes = std::llround(total.object_deletes);
  }
  return s;
}

Prediction predict(Variant variant, const Deployment& d, const CommSummary& s, const Workload& w, const Prices& prices,
                   const Performance& perf) {
  if (!(w.queries_per_day > 0)) throw std::invalid_argument("workload: queries_per_day must be > 0");
  Prediction p;
  p.variant = variant;
  const double B = d.batch_size, N = d.neurons;
  const double weight_bytes = static_cast<double>(s.weight_nnz) * perf.bytes_per_weight;
  const double act_bytes = 2.0 * B * N * s.max_density * perf.bytes_per_nonzero;  // Y_{k−1} and Y_k

  switch (variant) {
    case Variant::kSerial: {
      const double rate = perf.ops_per_s_per_vcpu * vcpus_of(d.memory_mb, perf);
      p.compute_s = s.total_ops / rate;
      const double load_s = weight_bytes / perf.function_bandwidth_bytes_per_s;
      const double run_s = load_s + p.compute_s;
      p.latency_s = perf.invoke_latency_s + perf.lambda_cold_start_s + run_s;
      p.comm_s = load_s;
      p.usage.workers = 1;
      p.usage.memory_mb = d.memory_mb;
      p.usage.invocations = 1;
      p.usage.function_seconds = perf.lambda_cold_start_s + run_s;
      p.worker_duration_s = p.usage.function_seconds;
      const double need_mb = (weight_bytes + act_bytes) / 1e6 + perf.lambda_runtime_mb;
      if (need_mb > d.memory_mb) {
        p.feasible = false;
        p.infeasible_reason = fmt("needs %.0f MB > %.0f MB of memory", need_mb, d.memory_mb);
      } else if (p.usage.function_seconds > perf.lambda_max_duration_s) {
        p.feasible = false;
        p.infeasible_reason =
            fmt("runs %.0f s > the %.0f s function limit", p.usage.function_seconds, perf.lambda_max_duration_s);
      }
      break;
    }
    case Variant::kQueue:
    case Variant::kObject: {
      if (s.parts != d.workers) throw std::invalid_argument("summary is for another number of workers");
      const bool queue = variant == Variant::kQueue;
      const int P = d.workers;
      // One thread computes (and (de)compresses): at most worker_threads vCPUs of the function's share.
      const double vcpus = std::min(vcpus_of(d.memory_mb, perf), perf.worker_threads);
      const double inv_rate = 1.0 / (perf.ops_per_s_per_vcpu * vcpus);
      const double list_cycle_s = d.poll_interval_s + perf.s3_list_latency_s;
      const double inv_vcpus = 1.0 / vcpus, inv_cycle = list_cycle_s > 0 ? 1.0 / list_cycle_s : 0.0;
      double layers_s = 0, compute_s = 0, extra_polls = 0;
      for (const LayerTimes& t : s.per_layer) {
        const double c = t.ops_busiest_worker * inv_rate;
        const double send = queue ? t.queue_send_s : t.object_send_s;
        const double wait = queue ? t.queue_wait_s : t.object_wait_s;
        const double cpu = (queue ? t.queue_cpu_vcpu_s : t.object_cpu_vcpu_s) * inv_vcpus;
        // post, compute the local part while the blocks travel, finish with what arrived
        layers_s += t.repeat * (send + std::max(t.local_fraction * c, wait) + (1.0 - t.local_fraction) * c + cpu);
        compute_s += t.repeat * c;
        if (!queue) extra_polls += t.repeat * (t.object_empty_lists + perf.imbalance * c * inv_cycle);
      }
      // LIST polls of a target per layer: one, plus the empty ones of the wait for the latest
      // source (see summarize) and of the busiest worker's extra compute.
      const double lists = P > 1 ? P * (s.layers + extra_polls) : 0.0;
      const double load_s = weight_bytes / P * (1.0 + perf.imbalance) / perf.function_bandwidth_bytes_per_s;
      const double gather_s = (queue ? s.gather_s : s.object_gather_s) +
                              (queue ? s.gather_cpu_vcpu_s : s.object_gather_cpu_vcpu_s) / vcpus;
      // Launch tree: the coordinator invokes the bfr roots one after another, each worker invokes
      // its bfr children before it starts its own part; every instance starts cold. The deepest,
      // last-invoked worker starts after levels · (bfr · t_inv + t_cold).
      p.provision_s = queue ? s.queue_provision_s : s.object_provision_s;
      const double level_s = d.launch_bfr * perf.invoke_latency_s + perf.lambda_cold_start_s;
      const double start_last_s = p.provision_s + d.launch_levels * level_s;
      p.compute_s = compute_s;
      p.comm_s = layers_s - compute_s + load_s + gather_s;
      p.latency_s = start_last_s + load_s + layers_s + gather_s;
      // Σ billed worker durations, start-up (INIT) included — AWS bills the INIT phase of on-demand
      // functions of every runtime since 1 Aug 2025 (AWS Compute Blog, "AWS Lambda standardizes
      // billing for INIT Phase", Apr 2025), as the simulator does: a level-l worker is invoked on average
      // l · ((bfr+1)/2 · t_inv + t_cold) − t_cold after provisioning and runs to the end.
      const double mean_level_s = (d.launch_bfr + 1) / 2.0 * perf.invoke_latency_s + perf.lambda_cold_start_s;
      double z = 0, level_workers = 1;
      for (int l = 1; l <= d.launch_levels; ++l) {
        level_workers *= d.launch_bfr;
        z += level_workers * (p.latency_s - p.provision_s - l * mean_level_s + perf.lambda_cold_start_s);
      }
      z += p.latency_s;  // the coordinator
      p.usage = queue ? s.queue : s.object;
      if (d.partition_object) {  // the owners of L+1 layers' N neurons, bit-packed, behind a 20-byte header
        int bits = 1;
        while ((std::int64_t{1} << bits) < P) ++bits;
        const std::int64_t blob_bytes = 20 + (std::int64_t{d.layers + 1} * d.neurons * bits + 7) / 8;
        p.usage.s3_puts += 1;
        p.usage.s3_gets += P;
        p.usage.s3_put_bytes += blob_bytes;
        p.usage.s3_get_bytes += P * blob_bytes;
      }
      p.usage.workers = P;
      p.usage.memory_mb = d.memory_mb;
      p.usage.invocations = P + 1;  // the coordinator counts as a function lasting the whole query
      p.usage.function_seconds = z;
      if (!queue && P > 1) p.usage.s3_lists = std::llround(lists + 1);  // + worker 0's LIST of the gather
      const double need_mb =
          (weight_bytes / P * (1.0 + perf.imbalance) + act_bytes / P * (1.0 + perf.imbalance)) / 1e6 +
          perf.lambda_runtime_mb;
      const double worker_s = p.latency_s - p.provision_s - mean_level_s + perf.lambda_cold_start_s;
      p.worker_duration_s = worker_s;
      if (need_mb > d.memory_mb) {
        p.feasible = false;
        p.infeasible_reason = fmt("a worker needs %.0f MB > %.0f MB of memory", need_mb, d.memory_mb);
      } else if (worker_s > perf.lambda_max_duration_s) {
        p.feasible = false;
        p.infeasible_reason =
            fmt("a worker runs %.0f s > the %.0f s function limit", worker_s, perf.lambda_max_duration_s);
      }
      break;
    }
    case Variant::kServerAlwaysOn:
    case Variant::kServerJobScoped: {
      const InstancePrice* inst = prices.instance(d.instance_type);
      if (!inst)
        throw std::invalid_argument("price book '" + prices.name + "' has no instance type '" + d.instance_type + "'");
      p.compute_s = s.total_ops / (perf.ops_per_s_per_vcpu * inst->vcpus * perf.server_parallel_efficiency);
      p.usage.ec2_instance_type = inst->type;
      const double need_gb = (weight_bytes + act_bytes) / 1e9;
      if (need_gb > inst->memory_gb * perf.server_usable_memory_fraction) {
        p.feasible = false;
        p.infeasible_reason = fmt("needs %.1f GB > %.0f GB of instance memory", need_gb, inst->memory_gb);
      }
      if (variant == Variant::kServerAlwaysOn) {
        // Weights stay loaded; enough instances to keep up with the mean rate; billed all day.
        p.latency_s = p.compute_s;
        const double busy = w.queries_per_day * p.compute_s / 86400.0;
        const double instances = std::max(1.0, std::ceil(busy));
        p.usage.ec2_seconds = instances * 86400.0 / w.queries_per_day;
      } else {
        const double load_s = weight_bytes / perf.server_bandwidth_bytes_per_s;
        p.comm_s = load_s;
        p.latency_s = perf.server_boot_s + load_s + p.compute_s;
        p.usage.ec2_seconds = std::max(perf.server_min_billed_s, p.latency_s);
      }
      break;
    }
  }
  p.cost = cost_of(p.usage, prices, Accounting::kExact);
  p.usd_per_query = p.cost.total_usd();
  p.usd_per_day = p.usd_per_query * w.queries_per_day;
  return p;
}

Prediction predict(Variant variant, const Deployment& d, const CommProfile& profile, const Workload& w,
                   const Prices& prices, const Performance& perf) {
  return predict(variant, d, summarize(profile, d, perf), w, prices, perf);
}

std::vector<Prediction> predict_all(const Deployment& d, const CommSummary& s, const Workload& w, const Prices& prices,
                                    const Performance& perf) {
  std::vector<Prediction> out;
  out.reserve(kAllVariants.size());
  for (Variant v : kAllVariants) out.push_back(predict(v, d, s, w, prices, perf));
  return out;
}

namespace {

// Why `best` beats `other`, in a few words naming the term that grows.
std::string driver(const Prediction& best, const Prediction& other) {
  using V = Variant;
  const V b = best.variant, o = other.variant;
  if (b == V::kQueue && o == V::kObject)
    return fmt("S3 requests grow with P^2 (%.0f PUT+GET+LIST per query), publishes grow with bytes",
               double(other.usage.s3_puts + other.usage.s3_gets + other.usage.s3_lists));
  if (b == V::kObject && o == V::kQueue)
    return fmt("few pairs, many bytes: %.0f billed publishes per query cost more than %.0f S3 requests",
               double(other.usage.sns_billed_publishes),
               double(best.usage.s3_puts + best.usage.s3_gets + best.usage.s3_lists));
  if (o == V::kServerAlwaysOn) return "an always-on server is paid all day for a few queries";
  if (b == V::kServerAlwaysOn) return "the traffic keeps a server busy enough to beat paying per use";
  if (b == V::kServerJobScoped) return "one instance per query, billed per second, beats paying per request";
  if (o == V::kServerJobScoped)
    return fmt("a job-scoped server pays %.0f s of boot and billing minimum per query", other.usage.ec2_seconds);
  if (b == V::kSerial) return "one function fits: no communication to pay for";
  if (o == V::kSerial) return "P functions finish sooner than one, and pay for the same compute";
  return "lower total";
}

}  // namespace

Recommendation recommend(const std::vector<Prediction>& predictions, const Workload& w) {
  Recommendation r;
  const Prediction* best = nullptr;
  const Prediction* second = nullptr;
  std::string rejected;
  for (const Prediction& p : predictions) {
    if (!p.feasible) {
      rejected += std::string(rejected.empty() ? "" : "; ") + to_string(p.variant) + ": " + p.infeasible_reason;
      continue;
    }
    if (w.max_latency_s > 0 && p.latency_s > w.max_latency_s) {
      rejected += std::string(rejected.empty() ? "" : "; ") + to_string(p.variant) +
                  fmt(": %.1f s > the %.1f s latency objective", p.latency_s, w.max_latency_s);
      continue;
    }
    auto better = [](const Prediction& a, const Prediction& b) {
      return a.usd_per_day < b.usd_per_day || (a.usd_per_day == b.usd_per_day && a.latency_s < b.latency_s);
    };
    if (!best || better(p, *best)) {
      second = best;
      best = &p;
    } else if (!second || better(p, *second)) {
      second = &p;
    }
  }
  if (!best) {
    r.found = false;
    r.reason = "nothing feasible: " + rejected;
    return r;
  }
  r.variant = best->variant;
  r.reason = std::string(to_string(best->variant)) + fmt(": $%.4g/day", best->usd_per_day);
  if (second) {
    const double ratio = second->usd_per_day / std::max(best->usd_per_day, 1e-300);
    r.reason += fmt(", %.2gx cheaper than ", ratio) + to_string(second->variant) +
                fmt(" ($%.4g/day)", second->usd_per_day) + "; " + driver(*best, *second);
  }
  return r;
}

}  // namespace cost
