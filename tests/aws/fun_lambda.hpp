// A Lambda function served locally by @vercel/fun (tools/emulator/start-lambda.mjs): started as a
// child process for one test, stopped when the object goes out of scope; `endpoint` is what
// AWS_ENDPOINT_URL_LAMBDA should name.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace aws_test {

// Makes `work`/task the task root a zip would unpack to: the real deploy/bootstrap next to fsd.
inline std::filesystem::path make_task_root(const std::filesystem::path& work) {
  const std::filesystem::path task = work / "task";
  std::filesystem::create_directories(task);
  std::filesystem::copy_file(FSD_SOURCE_DIR "/deploy/bootstrap", task / "bootstrap");
  std::filesystem::create_symlink(FSD_EXE, task / "fsd");
  return task;
}

class FunLambda {
 public:
  // code: {"--zip", PATH} or {"--dir", TASK_ROOT}; env: the function's environment.
  FunLambda(const std::string& name, std::vector<std::string> code, const std::map<std::string, std::string>& env = {})
      : process_(argv(name, std::move(code)), env) {
    const std::string line = process_.read_line();
    REQUIRE_MESSAGE(line.rfind("port=", 0) == 0, "start-lambda.mjs printed: " << line);
    endpoint = "http://127.0.0.1:" + line.substr(5, line.find_first_of("\r\n") - 5);
  }

  std::string endpoint;

 private:
  static std::vector<std::string> argv(const std::string& name, std::vector<std::string> code) {
    std::vector<std::string> a = {"node", FSD_SOURCE_DIR "/tools/emulator/start-lambda.mjs", "--name", name};
    a.insert(a.end(), code.begin(), code.end());
    a.insert(a.end(), {"--timeout-s", "60"});
    return a;
  }
  ChildProcess process_;
};

}  // namespace aws_test
