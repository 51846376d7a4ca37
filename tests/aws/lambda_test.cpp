// The real Lambda package under @vercel/fun: deploy/package.sh zips `bootstrap` and `fsd`;
// tools/emulator/start-lambda.mjs serves Lambda's Invoke API on loopback and runs the package as
// a provided-runtime function, so each invocation goes LambdaClient → HTTP → fun → Runtime API →
// bootstrap → `fsd lambda` → serial inference → back. The categories must equal engine::infer's.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "emulator.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network_io.hpp"

using namespace engine;

namespace {

// A child process whose stdout we read line by line; killed and reaped on destruction.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(s.data());
      a.push_back(nullptr);
      ::execvp(a[0], a.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
  }
  ~Child() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    if (out_) std::fclose(out_);
  }
  std::string read_line() {
    char buf[256];
    return std::fgets(buf, sizeof buf, out_) ? std::string(buf) : std::string();
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

int run(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

TEST_CASE("aws: lambda package runs under @vercel/fun through the Runtime API") {
  AWS_REQUIRE_EMULATOR(endpoint);
  namespace fs = std::filesystem;
  const fs::path work = fs::temp_directory_path() / aws_test::unique_name("lambda");
  fs::create_directories(work);
  const fs::path zip = work / "fsd-lambda.zip";
  REQUIRE(run("bash " FSD_SOURCE_DIR "/deploy/package.sh --no-libs --fsd " FSD_EXE " --out " + zip.string() +
              " > /dev/null") == 0);
  REQUIRE(fs::exists(zip));

  const std::string function_name = "fsd-serial";
  Child lambda({"node", FSD_SOURCE_DIR "/tools/emulator/start-lambda.mjs", "--name", function_name, "--zip",
                zip.string(), "--timeout-s", "60"});
  const std::string line = lambda.read_line();
  REQUIRE_MESSAGE(line.rfind("port=", 0) == 0, "start-lambda.mjs printed: " << line);
  const std::string lambda_endpoint = "http://127.0.0.1:" + line.substr(5, line.find_first_of("\r\n") - 5);

  auto env = aws_test::test_env(endpoint);
  env["AWS_ENDPOINT_URL_LAMBDA"] = lambda_endpoint;
  auto backend = aws::AwsBackend::from_environment(env);
  REQUIRE(backend.has_value());
  auto& lambda_client = (*backend)->lambda();

  const std::string data = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  const nlohmann::json event = {{"weights", data}, {"neurons", 1024}, {"layers", 4},
                                {"images", data + "/sparse-images-1024_subset.mtx"}};
  auto r = lambda_client.invoke(function_name, event.dump(), cloud::InvocationType::kRequestResponse);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message()));
  auto result = nlohmann::json::parse(*r);

  // Independent reference: the serial engine in this process.
  const Network net = read_network(data, 1024, 4);
  const Activations images = read_images(data + "/sparse-images-1024_subset.mtx", 1024);
  std::vector<std::int32_t> want = categories(infer(net, images));
  for (auto& c : want) ++c;
  CHECK(result.at("images").get<int>() == 1200);
  CHECK(result.at("categories").get<std::vector<std::int32_t>>() == want);

  // The same warm sandbox serves the next invocation; a bad event is that invocation's error.
  auto bad = lambda_client.invoke(function_name, R"({"weights":"x","typo":1})", cloud::InvocationType::kRequestResponse);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kInternal);
  CHECK(bad.error().what.find("unknown event key 'typo'") != std::string::npos);

  auto event_mode = lambda_client.invoke(function_name, event.dump(), cloud::InvocationType::kEvent);
  REQUIRE(event_mode.has_value());
  CHECK(event_mode->empty());

  auto missing = lambda_client.invoke("no-such-function", "{}", cloud::InvocationType::kRequestResponse);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().what.find("ResourceNotFoundException") == 0);
  fs::remove_all(work);
}
