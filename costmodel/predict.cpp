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

// What one sender publishes in one layer (queue channel), see docs/COSTMODEL.md "Queue channel".
struct SenderPublish {
  double messages = 0, calls = 0, billed = 0, bytes = 0;
};

// Uniform model: `nonempty` targets each get `pair_bytes`, `empty` targets an empty marker.
SenderPublish publish_uniform(double nonempty, double empty, double pair_bytes, double cap, double max_call_bytes) {
  SenderPublish s;
  double big = 0, per_call = kBatchMessages, msg_bytes = 0;
  if (nonempty > 0 && pair_bytes > 0) {
    const double per_pair = std::max(1.0, std::ceil(pair_bytes / cap));  // messages per pair
    msg_bytes = pair_bytes / per_pair;
    big = nonempty * per_pair;
    per_call = std::clamp(std::floor(max_call_bytes / msg_bytes), 1.0, double(kBatchMessages));
  } else {
    empty += nonempty;  // pairs with no bytes travel as markers
  }
  const double big_calls = std::ceil(big / per_call);
  s.messages = big + empty;
  s.calls = std::max(big_calls, std::ceil(s.messages / kBatchMessages));
  const double full = std::floor(big / per_call), rest = big - full * per_call;
  s.billed = full * chunks(per_call * msg_bytes) + (rest > 0 ? chunks(rest * msg_bytes) : 0) + (s.calls - big_calls);
  s.bytes = big * msg_bytes;
  return s;
}

// Exact model: message splitting and greedy batching of sender s's pairs in target order.
SenderPublish publish_exact(const std::vector<std::int64_t>& pair_bytes, int parts, int s, double cap,
                            double max_call_bytes, std::vector<double>& messages_to) {
  SenderPublish out;
  double call_bytes = 0;
  int call_messages = 0;
  auto close_call = [&] {
    if (call_messages == 0) return;
    out.calls += 1;
    out.billed += chunks(call_bytes);
    call_bytes = 0;
    call_messages = 0;
  };
  auto add_message = [&](double bytes) {
    if (call_messages == kBatchMessages || (call_messages > 0 && call_bytes + bytes > max_call_bytes)) close_call();
    call_bytes += bytes;
    ++call_messages;
    out.messages += 1;
    out.bytes += bytes;
  };
  for (int t = 0; t < parts; ++t) {
    if (t == s) continue;
    double b = static_cast<double>(pair_bytes[static_cast<std::size_t>(s) * parts + t]);
    const double n = b > 0 ? std::ceil(b / cap) : 1;
    messages_to[t] += n;
    if (b <= 0) {
      add_message(0);
      continue;
    }
    while (b > 0) {  // fill messages to the cap, the last one takes the rest
      const double piece = std::min(b, cap);
      add_message(piece);
      b -= piece;
    }
  }
  close_call();
  return out;
}

double vcpus_of(int memory_mb, const Performance& perf) {
  return std::min(memory_mb / perf.lambda_mb_per_vcpu, perf.lambda_max_vcpus);
}

std::string fmt(const char* f, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

}  // namespace

const char* to_string(Variant v) {
  switch (v) {
    case Variant::kSerial: return "serial";
    case Variant::kQueue: return "queue";
    case Variant::kObject: return "object";
    case Variant::kServerAlwaysOn: return "server_always_on";
    case Variant::kServerJobScoped: return "server_job_scoped";
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
  if (d.batch_size <= 0 || d.max_message_bytes <= 0 || d.parallel_gets <= 0 || d.poll_interval_s < 0)
    throw std::invalid_argument("deployment: sizes must be > 0");

  const int P = profile.parts;
  const double B = d.batch_size, N = d.neurons;
  // Densities refer to the profile's batch; a row of B images carries ρ·B nonzeros.
  const double cap = std::max(1.0, d.max_message_bytes - perf.message_overhead_bytes);
  const double max_call_bytes = d.max_message_bytes;
  const double bw = perf.function_bandwidth_bytes_per_s;

  CommSummary s;
  s.parts = P;
  s.layers = profile.num_layers();
  s.per_layer.reserve(profile.layers.size());
  std::vector<double> messages_to(static_cast<std::size_t>(P));
  double q_messages = 0, q_calls = 0, q_billed = 0, q_bytes = 0, q_receives = 0, q_deletes = 0, q_billed_recv = 0;
  double o_puts = 0, o_gets = 0, o_put_bytes = 0;
  double max_density = 0;
  for (const LayerProfile& l : profile.layers) {
    const double r = l.repeat;
    const double ops = l.input_density * B * static_cast<double>(l.weight_nnz);  // Σ_i nnz(Y[:,i])·nnz(W[i,:])
    const double row_bytes = (perf.row_header_bytes + perf.bytes_per_nonzero * l.input_density * B) / perf.compression_ratio;
    double measured = static_cast<double>(l.payload_bytes);
    if (!l.pair_bytes.empty() && measured == 0)
      for (int a = 0; a < P; ++a)
        for (int b = 0; b < P; ++b)
          if (a != b) measured += static_cast<double>(l.pair_bytes[std::size_t(a) * P + b]);
    const double layer_bytes = measured > 0 || !l.pair_bytes.empty() ? measured : l.rows_sent * row_bytes;
    const double bytes_per_row = l.rows_sent > 0 ? layer_bytes / static_cast<double>(l.rows_sent) : 0;
    const double out_max = static_cast<double>(l.max_rows_sent) * bytes_per_row;
    const double in_max = static_cast<double>(l.max_rows_received) * bytes_per_row;
    max_density = std::max(max_density, l.input_density);
    s.total_ops += r * ops;
    s.weight_nnz += static_cast<std::int64_t>(l.repeat) * l.weight_nnz;

    LayerTimes t;
    t.repeat = l.repeat;
    t.ops_total = ops;
    t.ops_busiest_worker = ops / P * (1.0 + perf.imbalance);
    if (P > 1) {
      // --- queue channel: publishes of every sender, receives of every target ---
      double messages = 0, calls = 0, billed = 0, bytes = 0, busiest_calls = 0, busiest_in_msgs = 0;
      if (!l.pair_bytes.empty()) {
        std::fill(messages_to.begin(), messages_to.end(), 0.0);
        for (int src = 0; src < P; ++src) {
          const SenderPublish sp = publish_exact(l.pair_bytes, P, src, cap, max_call_bytes, messages_to);
          messages += sp.messages, calls += sp.calls, billed += sp.billed, bytes += sp.bytes;
          busiest_calls = std::max(busiest_calls, sp.calls);
        }
        busiest_in_msgs = *std::max_element(messages_to.begin(), messages_to.end());
      } else {
        // Non-empty pairs spread as evenly as possible: `more` senders have q+1, the rest q.
        const std::int64_t q = l.nonempty_pairs / P, more = l.nonempty_pairs % P;
        const double pair_bytes = l.nonempty_pairs > 0 ? layer_bytes / static_cast<double>(l.nonempty_pairs) : 0;
        const SenderPublish hi = publish_uniform(double(q + 1), double(P - 1 - (q + 1)), pair_bytes, cap, max_call_bytes);
        const SenderPublish lo = publish_uniform(double(q), double(P - 1 - q), pair_bytes, cap, max_call_bytes);
        messages = more * hi.messages + (P - more) * lo.messages;
        calls = more * hi.calls + (P - more) * lo.calls;
        billed = more * hi.billed + (P - more) * lo.billed;
        bytes = more * hi.bytes + (P - more) * lo.bytes;
        busiest_calls = more > 0 ? hi.calls : lo.calls;
        busiest_in_msgs = more > 0 ? hi.messages : lo.messages;
      }
      // Receives: at least ⌈m_in/10⌉, and staggered arrivals cost extra polls (fit, see docs).
      const double mean_in = messages / P;
      const double receives_per_target =
          std::max(std::ceil(mean_in / kBatchMessages), perf.receive_polls_per_sqrt_source * std::sqrt(double(P - 1)));
      const double deletes_per_target = std::min(receives_per_target, mean_in);
      const double busiest_receives =
          std::max(std::ceil(busiest_in_msgs / kBatchMessages), perf.receive_polls_per_sqrt_source * std::sqrt(double(P - 1)));
      q_messages += r * messages, q_calls += r * calls, q_billed += r * billed, q_bytes += r * bytes;
      q_receives += r * P * receives_per_target;
      q_deletes += r * P * deletes_per_target;
      q_billed_recv += r * P * std::max(receives_per_target, std::ceil(bytes / P / kChunkBytes));
      t.queue_send_s = std::ceil(busiest_calls / perf.publish_concurrency) * perf.sns_publish_latency_s + out_max / bw;
      t.queue_wait_s = perf.sns_to_sqs_delay_s + busiest_receives * perf.sqs_receive_latency_s + in_max / bw +
                       std::min(busiest_receives, busiest_in_msgs) * perf.sqs_delete_latency_s;

      // --- object channel: one object per (source, target), GETs of the non-empty ones ---
      const double pairs = double(P) * (P - 1);
      const double nonempty = l.pair_bytes.empty() ? double(l.nonempty_pairs) : [&] {
        double n = 0;
        for (int a = 0; a < P; ++a)
          for (int b = 0; b < P; ++b) n += (a != b && l.pair_bytes[std::size_t(a) * P + b] > 0);
        return n;
      }();
      o_puts += r * pairs;
      o_gets += r * nonempty;
      o_put_bytes += r * layer_bytes;
      const double waves_out = std::ceil(double(P - 1) / d.parallel_gets);
      const double waves_in = std::ceil(std::ceil(nonempty / P) / d.parallel_gets);
      t.object_send_s = waves_out * perf.s3_put_latency_s + out_max / bw;
      t.object_wait_s = perf.s3_list_latency_s + d.poll_interval_s / 2 + waves_in * perf.s3_get_latency_s + in_max / bw;
    }
    s.per_layer.push_back(t);
  }
  if (P > 1) {
    // Gather: every worker but 0 sends its images' categories to worker 0 (one message / object).
    const double gather_bytes = B / P * perf.result_bytes_per_image;
    q_messages += P - 1, q_calls += P - 1, q_billed += (P - 1) * chunks(gather_bytes), q_bytes += (P - 1) * gather_bytes;
    const double gather_receives = std::ceil((P - 1.0) / kBatchMessages);
    q_receives += gather_receives, q_deletes += gather_receives, q_billed_recv += gather_receives;
    o_puts += P - 1, o_gets += P - 1, o_put_bytes += (P - 1) * gather_bytes;

    s.queue.sns_messages = std::llround(q_messages);
    s.queue.sns_publish_calls = std::llround(q_calls);
    s.queue.sns_billed_publishes = std::llround(q_billed);
    s.queue.sns_publish_bytes = std::llround(q_bytes);
    s.queue.sqs_receives = std::llround(q_receives);
    s.queue.sqs_deletes = std::llround(q_deletes);
    s.queue.sqs_empty_receives = std::max<std::int64_t>(0, s.queue.sqs_receives - s.queue.sqs_deletes);
    s.queue.sqs_received_bytes = s.queue.sns_publish_bytes;
    s.queue.sqs_billed_requests = std::llround(q_billed_recv) + s.queue.sqs_deletes;
    s.object.s3_puts = std::llround(o_puts);
    s.object.s3_gets = std::llround(o_gets);
    s.object.s3_put_bytes = std::llround(o_put_bytes);
    s.object.s3_get_bytes = s.object.s3_put_bytes;
    s.object.s3_deletes = (s.object.s3_puts + kDeleteObjectsKeys - 1) / kDeleteObjectsKeys;
  }
  (void)N;
  s.max_density = max_density;
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
      const double need_mb = (weight_bytes + act_bytes) / 1e6 + perf.lambda_runtime_mb;
      if (need_mb > d.memory_mb) {
        p.feasible = false;
        p.infeasible_reason = fmt("needs %.0f MB > %.0f MB of memory", need_mb, d.memory_mb);
      } else if (p.usage.function_seconds > perf.lambda_max_duration_s) {
        p.feasible = false;
        p.infeasible_reason = fmt("runs %.0f s > the %.0f s function limit", p.usage.function_seconds,
                                  perf.lambda_max_duration_s);
      }
      break;
    }
    case Variant::kQueue:
    case Variant::kObject: {
      if (s.parts != d.workers) throw std::invalid_argument("summary is for another number of workers");
      const bool queue = variant == Variant::kQueue;
      const int P = d.workers;
      const double inv_rate = 1.0 / (perf.ops_per_s_per_vcpu * vcpus_of(d.memory_mb, perf));
      const double list_cycle_s = d.poll_interval_s + perf.s3_list_latency_s;
      double layers_s = 0, compute_s = 0, lists = 0;
      for (const LayerTimes& t : s.per_layer) {
        const double c = t.ops_busiest_worker * inv_rate;
        const double send = queue ? t.queue_send_s : t.object_send_s;
        const double wait = queue ? t.queue_wait_s : t.object_wait_s;
        layers_s += t.repeat * (send + std::max(c, wait));  // post, compute, fold in what arrived
        compute_s += t.repeat * c;
        // LIST polls of a target: one, plus one per cycle while the slowest source is still sending.
        if (!queue && P > 1) lists += t.repeat * P * (1.0 + (perf.imbalance * c + std::max(0.0, send - c)) / list_cycle_s);
      }
      const double load_s = weight_bytes / P * (1.0 + perf.imbalance) / perf.function_bandwidth_bytes_per_s;
      const double gather_s = P > 1 ? (queue ? perf.sns_publish_latency_s + perf.sns_to_sqs_delay_s + perf.sqs_receive_latency_s
                                             : perf.s3_put_latency_s + perf.s3_list_latency_s + perf.s3_get_latency_s)
                                    : 0;
      const double start_last_s = (1.0 + d.launch_levels) * perf.invoke_latency_s;  // deepest level starts
      p.compute_s = compute_s;
      p.comm_s = layers_s - compute_s + load_s + gather_s;
      p.latency_s = start_last_s + perf.lambda_cold_start_s + load_s + layers_s + gather_s;
      // Σ worker durations: a worker at level l runs from its start, (1+l)·t_inv, to the end.
      double z = 0, level_workers = 1;
      for (int l = 1; l <= d.launch_levels; ++l) {
        level_workers *= d.launch_bfr;
        z += level_workers * (p.latency_s - (1.0 + l) * perf.invoke_latency_s);
      }
      z += d.launch_bfr * perf.invoke_latency_s + perf.lambda_cold_start_s;  // the coordinator: bfr invokes
      p.usage = queue ? s.queue : s.object;
      p.usage.workers = P;
      p.usage.memory_mb = d.memory_mb;
      p.usage.invocations = P + 1;
      p.usage.function_seconds = z;
      if (!queue && P > 1) p.usage.s3_lists = std::llround(lists + std::ceil((P - 1.0) / 1000.0));
      const double need_mb =
          (weight_bytes / P * (1.0 + perf.imbalance) + act_bytes / P * (1.0 + perf.imbalance)) / 1e6 +
          perf.lambda_runtime_mb;
      const double worker_s = p.latency_s - perf.invoke_latency_s;
      if (need_mb > d.memory_mb) {
        p.feasible = false;
        p.infeasible_reason = fmt("a worker needs %.0f MB > %.0f MB of memory", need_mb, d.memory_mb);
      } else if (worker_s > perf.lambda_max_duration_s) {
        p.feasible = false;
        p.infeasible_reason = fmt("a worker runs %.0f s > the %.0f s function limit", worker_s, perf.lambda_max_duration_s);
      }
      break;
    }
    case Variant::kServerAlwaysOn:
    case Variant::kServerJobScoped: {
      const InstancePrice* inst = prices.instance(d.instance_type);
      if (!inst) throw std::invalid_argument("price book '" + prices.name + "' has no instance type '" + d.instance_type + "'");
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
  if (o == V::kServerJobScoped) return fmt("a job-scoped server pays %.0f s of boot and billing minimum per query",
                                           other.usage.ec2_seconds);
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
    r.reason += fmt(", %.2gx cheaper than ", ratio) + to_string(second->variant) + fmt(" ($%.4g/day)", second->usd_per_day) +
                "; " + driver(*best, *second);
  }
  return r;
}

}  // namespace cost
