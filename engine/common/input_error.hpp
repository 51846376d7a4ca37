// InputError: a file, flag or message from outside is malformed. Thrown by readers and parsers on
// load; `fsd` catches it in main, prints the one-line message ("path:line: what") and exits 2.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace engine {

class InputError : public std::runtime_error {
 public:
  // line is 1-based; 0 means "the file as a whole" (e.g. empty, or layers that disagree).
  InputError(const std::string& path, std::size_t line, const std::string& what)
      : std::runtime_error(format(path, line, what)) {}
  explicit InputError(const std::string& what) : std::runtime_error(what) {}

  static std::string format(const std::string& path, std::size_t line, const std::string& what) {
    return line ? path + ":" + std::to_string(line) + ": " + what : path + ": " + what;
  }
};

}  // namespace engine
