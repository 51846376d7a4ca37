// Helpers for end-to-end tests of the `fsd` command: write an input into this process's scratch
// folder, run `fsd ARGS` with stdout discarded and stderr captured, and return its exit status.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "scratch.hpp"

namespace fsd_test {

// Writes `text` to scratch(name) and returns that path.
inline std::string write_scratch(const std::string& name, const std::string& text) {
  const std::string path = scratch(name);
  std::ofstream(path) << text;
  return path;
}

// Runs FSD_EXE with `args` (a shell fragment); its stderr goes to *err when given. Returns the exit
// status, −1 when it did not exit normally.
inline int run_fsd(const std::string& args, std::string* err = nullptr) {
  const std::string err_path = scratch("fsd-stderr.txt");
  const int rc = std::system((std::string(FSD_EXE) + " " + args + " > /dev/null 2> " + err_path).c_str());
  if (err) {
    std::ifstream in(err_path);
    err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace fsd_test
