// A folder private to this test process. CTest runs every test case in its own process and several
// at once, so two cases of one file that wrote the same fixed name under the build tree would read
// each other's files. The folder is removed when the process exits.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace fsd_test {

inline const std::filesystem::path& scratch_dir() {
  struct Dir {
    std::filesystem::path path =
        std::filesystem::path(FSD_BINARY_DIR) / "scratch" / std::to_string(static_cast<long>(getpid()));
    Dir() {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
    }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

// A path for `name` inside this process's scratch folder.
inline std::string scratch(const std::string& name) { return (scratch_dir() / name).string(); }

}  // namespace fsd_test
