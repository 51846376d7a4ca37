// A worker (`fsd lambda --event`) GETs its partition from the emulator's S3 instead of partitioning;
// a blob that is damaged or not the one the event names is one clear line and exit 2, a blob that
// is gone with its run's alive marker is the run's cancellation (exit 1), never a crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "child_process.hpp"
#include "emulator.hpp"
#include "engine/worker/launch_event.hpp"
#include "engine/worker/partition_blob.hpp"
#include "scratch.hpp"

using namespace engine;
namespace fs = std::filesystem;

TEST_CASE("aws: fsd lambda rejects a damaged or mismatched partition from S3 with one line") {
  AWS_REQUIRE_EMULATOR(endpoint);
  const fs::path dir = fsd_test::scratch("partition-transfer");
  fs::create_directories(dir);
  auto backend = aws_test::make_backend(endpoint);
  const std::string bucket = aws_test::unique_name("bucket"), run = aws_test::unique_name("pt");
  REQUIRE(backend->s3().create_bucket(bucket));

  LaunchEvent e;
  e.run_id = run;
  e.invocation = Invocation{-1, 0, 1, 1};  // worker 0, a root of the bfr-2 tree
  e.channel.kind = ChannelKind::kObject;
  e.channel.bucket = bucket;
  e.channel.prefix = "runs/" + run;
  e.reports = {bucket, "runs/" + run + "/reports"};
  e.config =
      "model:\n  neurons: 64\n  layers: 2\n  input_count: 4\n  batch_size: 4\n"
      "deployment:\n  variant: object\n  workers: 2\n  launch: {bfr: 2, levels: 1}\n"
      "  partition: {method: random, seed: 1}\nchannel:\n  object: {bucket: " +
      bucket + "}\n";
  auto env = aws_test::test_env(endpoint);
  const std::map<std::string, std::string> child_env(env.begin(), env.end());
  auto run_event = [&](const std::string& name) {
    std::ofstream(dir / name) << to_json(e);
    aws_test::ChildProcess p({FSD_EXE, "lambda", "--event", (dir / name).string()}, child_env);
    const std::string out = p.read_all();
    return std::make_pair(p.wait(), out);
  };

  // A blob of the wrong shape (P = 3, the run has 2) whose digest the event names: decoded, refused.
  Partition three;
  three.parts = 3;
  three.owner.assign(3, std::vector<std::int32_t>(64, 2));
  const std::string wrong_shape = encode_partition(three);
  REQUIRE(backend->s3().put(bucket, partition_key(run), wrong_shape));
  REQUIRE(backend->s3().put(bucket, alive_key(run), ""));
  e.partition_digest = blob_digest(wrong_shape);
  auto [status, out] = run_event("shape.json");
  INFO(out);
  CHECK(status == 2);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  CHECK(out.find("control/partition: shape 3 parts × 3 rows × 64 neurons, the run's is 2 × 3 × 64") !=
        std::string::npos);

  // Garbage bytes: the magic is wrong.
  REQUIRE(backend->s3().put(bucket, partition_key(run), "not a partition at all"));
  e.partition_digest = blob_digest("not a partition at all");
  std::tie(status, out) = run_event("garbage.json");
  CHECK(status == 2);
  CHECK(out.find("magic") != std::string::npos);

  // The right bytes, but the event names another digest (a blob from another run, or damaged).
  Partition two;
  two.parts = 2;
  two.owner.assign(3, std::vector<std::int32_t>(64, 1));
  REQUIRE(backend->s3().put(bucket, partition_key(run), encode_partition(two)));
  e.partition_digest = "00000000deadbeef";
  std::tie(status, out) = run_event("digest.json");
  CHECK(status == 2);
  CHECK(out.find("the launch event names 00000000deadbeef") != std::string::npos);
  // Each failed worker reported its failure, so a coordinator would fail the run at once.
  auto reports = backend->s3().list(bucket, "runs/" + run + "/reports/");
  REQUIRE(reports);
  CHECK(reports->keys.size() == 1);  // worker 0's, overwritten by each attempt

  // Blob and marker gone: the run was cancelled before this worker started; nothing new reported.
  const std::vector<std::string> keys{partition_key(run), alive_key(run), reports->keys.front()};
  REQUIRE(backend->s3().delete_objects(bucket, keys));
  std::tie(status, out) = run_event("cancelled.json");
  CHECK(status == 1);
  CHECK(out.find("run " + run + " cancelled before this worker started") != std::string::npos);
  auto left = backend->s3().list(bucket, "runs/" + run + "/");
  REQUIRE(left);
  CHECK(left->keys.empty());
}
