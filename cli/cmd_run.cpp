// fsd run: runs a deployment for real on a backend — partition → CommPlan → launch tree →
// workers — and writes its RunRecord (config, per-layer timings, metered usage, categories) as
// JSON, atomically. Prints a summary, or the record itself with --json. --verify also runs the
// serial engine and fails (exit 1) unless the final activations are identical.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/backends/backend.hpp"
#include "cli/command.hpp"
#include "cli/config/config.hpp"
#include "cli/options.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/record/run_record_json.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/cloud/meter.hpp"
#include "engine/common/input_error.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/worker/deployment.hpp"
#include "engine/worker/run_record.hpp"

namespace {
namespace po = boost::program_options;

int run_run(const std::vector<std::string>& args) {
  po::options_description opts("fsd run CONFIG.yaml [options]");
  std::string config_path, backend_name, record_path, run_id;
  cli::BackendOptions bo;
  opts.add_options()("help,h", "this help")("config", po::value(&config_path), "deployment config (YAML)")(
      "backend", po::value(&backend_name)->default_value("memory"), "cloud backend (see below)")(
      "record", po::value(&record_path)->default_value("run-record.json"), "where to write the run record")(
      "run-id", po::value(&run_id), "run id ([A-Za-z0-9_-]; default: run-<unix seconds>)")(
      "json", "print the run record instead of a summary")("verify",
                                                           "compare with the serial engine (exit 1 if different)")(
      "faults", "inject faults: 5% throttling, 5% duplicates, 20% reordered batches, 5% delayed (memory backend)")(
      "fault-seed", po::value(&bo.fault_seed)->default_value(1), "seed of the injected faults");
  po::positional_options_description pos;
  pos.add("config", 1);
  const po::variables_map vm = cli::parse_options(args, opts, &pos);
  if (vm.count("help")) {
    std::cout << opts << "\nbackends:";
    for (const auto& b : cli::backend_names()) std::cout << ' ' << b;
    std::cout << "\nExample: fsd run configs/example.yaml --backend memory --record run.json\n";
    return 0;
  }
  if (config_path.empty()) throw engine::InputError("a CONFIG.yaml is required (fsd run --help)");
  if (vm.count("faults")) {
    bo.throttle_probability = 0.05;
    bo.duplicate_probability = 0.05;
    bo.reorder_probability = 0.2;
    bo.delay_probability = 0.05;
  }
  if (run_id.empty())
    run_id = "run-" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
  const cli::Config config = cli::load_config(config_path);
  const auto& d = config.deployment;
  engine::ChannelKind channel;
  if (d.variant == "queue")
    channel = engine::ChannelKind::kQueue;
  else if (d.variant == "object")
    channel = engine::ChannelKind::kObject;
  else
    throw engine::InputError(config_path, 0, "deployment.variant: fsd run runs queue or object, not " + d.variant);

  const engine::Network net = cli::load_network(config);
  const engine::Activations images = cli::load_images(config);
  const engine::Partition partition = cli::partition_for(config, net);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);

  engine::DeploymentSpec spec = cli::deployment_spec(config, channel, net, partition, plan, images, run_id);
  if (vm.count("faults")) {  // throttled calls back off; keep the waits short
    spec.queue.retry.initial_backoff_s = spec.object.retry.initial_backoff_s = 0.002;
    spec.queue.retry.max_attempts = spec.object.retry.max_attempts = 40;
  }

  const std::string config_text = cost::read_text_file(config_path);
  std::unique_ptr<cli::Backend> backend = cli::make_backend(backend_name, bo);
  backend->adapt(spec, config_text);
  // Workers elsewhere GET the partition computed above instead of partitioning again.
  spec.ship_partition = !spec.reports_bucket.empty();
  engine::cloud::Meter meter(backend->services());
  engine::Deployment deployment(spec, meter.services());
  backend->serve_function(spec.function_name, [&](const std::string& p) { return deployment.handle(p); });
  auto result = deployment.run();
  if (!result) {
    backend->stop_workers();  // before the deployment its in-process workers use goes away
    throw std::runtime_error(result.error().message());
  }
  for (const auto& w : result->workers) backend->add_worker_requests(w.requests);
  backend->wait();
  for (const auto& w : result->workers) meter.record_function_run(w.function_end_s - w.function_start_s, d.memory_mb);
  // Workers in other processes metered their own calls and reported them; in process they are 0.
  engine::cloud::MeteredUsage usage = meter.usage();
  for (const auto& w : result->workers) engine::add_usage(usage, w.usage);

  cli::RecordFile record{config_path, config_text,
                         engine::make_run_record(spec, *result, usage, backend_name, d.memory_mb)};
  write_record(record, record_path);

  int status = 0;
  std::string verified = "not checked (--verify)";
  if (vm.count("verify")) {
    const engine::Activations serial = engine::infer(net, images);
    const bool same = serial.nonZeros() == result->result.nonZeros() && (serial - result->result).norm() == 0.0f &&
                      engine::categories(serial) == record.run.categories;
    verified = same ? "identical to the serial engine" : "DIFFERENT from the serial engine";
    if (!same) status = 1;
  }
  if (vm.count("json")) {
    std::cout << cli::record_to_json(record).dump(1) << '\n';
  } else {
    const auto& r = record.run;
    const auto& u = r.usage;
    std::printf("fsd run %s: %s channel, %d workers, %d layers, %d images, backend %s\n", run_id.c_str(),
                r.channel.c_str(), r.workers, r.layers, r.images, r.backend.c_str());
    std::printf("  wall %.3f s; categories %zu; final nnz %lld; %s\n", r.wall_s, r.categories.size(),
                static_cast<long long>(r.final_nnz), verified.c_str());
    std::printf(
        "  SNS publish calls %lld (billed %lld), SQS receives %lld, deletes %lld; S3 PUT %lld GET %lld LIST %lld\n",
        (long long)u.sns_publish_requests, (long long)u.sns_publish_billed, (long long)u.sqs_receive_requests,
        (long long)u.sqs_delete_requests, (long long)u.s3_put_requests, (long long)u.s3_get_requests,
        (long long)u.s3_list_requests);
    std::printf("  invocations %lld, %.4f GB-s; rows sent %lld, %lld B of rows → %lld B on the wire\n",
                (long long)u.lambda_invocations, u.lambda_gb_s, (long long)r.traffic.rows_posted,
                (long long)r.traffic.row_bytes_posted, (long long)r.traffic.wire_bytes_posted);
    std::printf("  record: %s\n", record_path.c_str());
  }
  return status;
}

const cli::RegisterCommand reg{"run", "run a deployment on a backend and write its run record", run_run};
}  // namespace
