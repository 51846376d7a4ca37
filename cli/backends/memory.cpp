// The memory backend of `fsd run`: engine::cloud::memory::MemoryCloud, with the fault decorators
// when any fault probability is set. Function invocations run the handler on threads.
#include <optional>

#include "cli/backends/backend.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"

namespace cli {
namespace {
class MemoryBackend final : public Backend {
 public:
  explicit MemoryBackend(std::optional<engine::cloud::memory::FaultOptions> faults) : cloud_(faults) {}
  engine::cloud::Services services() override { return cloud_.services(); }
  void serve_function(const std::string& name, FunctionHandler handler) override {
    cloud_.functions().register_handler(name, std::move(handler));
  }
  void wait() override { cloud_.functions().join_all(); }

 private:
  engine::cloud::memory::MemoryCloud cloud_;
};

std::unique_ptr<Backend> make_memory_backend(const BackendOptions& o) {
  std::optional<engine::cloud::memory::FaultOptions> faults;
  if (o.throttle_probability > 0 || o.duplicate_probability > 0 || o.reorder_probability > 0 || o.delay_probability > 0) {
    engine::cloud::memory::FaultOptions f;
    f.seed = o.fault_seed;
    f.throttle_probability = o.throttle_probability;
    f.duplicate_probability = o.duplicate_probability;
    f.reorder_probability = o.reorder_probability;
    f.delay_probability = o.delay_probability;
    f.delay_s = o.delay_s;
    faults = f;
  }
  return std::make_unique<MemoryBackend>(faults);
}

const RegisterBackend reg{"memory", "in-process cloud: threads, real queue semantics, optional faults",
                          make_memory_backend};
}  // namespace
}  // namespace cli
