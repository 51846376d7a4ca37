// ZoltanSession: MPI_Init_thread and Zoltan_Initialize once per process; see detail/zoltan_session.hpp.
#ifdef FSD_HAVE_ZOLTAN
// The C API only: Open MPI's C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include "engine/partition/detail/zoltan_session.hpp"

#include <dlfcn.h>
#include <mpi.h>
#include <zoltan.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace engine::detail {
namespace {

std::mutex& zoltan_mutex() {
  static std::mutex m;
  return m;
}

// Many test processes partition at the same time on a shared machine: Open MPI must not look for
// network interfaces, fabrics or a launcher, nor warn about what it did not find.
void quiet_open_mpi() {
  const char* defaults[][2] = {
      {"OMPI_MCA_btl", "self"},  // one process on MPI_COMM_SELF: loopback only
      {"OMPI_MCA_pml", "ob1"},   // no UCX probing
      {"OMPI_MCA_osc", "^ucx"},
      {"OMPI_MCA_btl_base_warn_component_unused", "0"},
      {"OMPI_MCA_ess_singleton_isolated", "1"},  // a singleton that spawns no daemon
      {"OMPI_MCA_hwloc_base_binding_policy", "none"},
      {"OMPI_MCA_shmem_mmap_enable_nfs_warning", "0"},
      {"OMPI_ALLOW_RUN_AS_ROOT", "1"},  // CI and containers run as root
      {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"},
  };
  for (const auto& kv : defaults) setenv(kv[0], kv[1], /*overwrite=*/0);
}

// Open MPI keeps (and at MPI_Finalize drops, with its dlclosed components) memory it never
// frees; LeakSanitizer would fail every sanitized test that partitions. Its allocations during
// start-up and shut-down are not ours to report.
struct IgnoreLeaks {
#if defined(__SANITIZE_ADDRESS__)
  IgnoreLeaks() { __lsan_disable(); }
  ~IgnoreLeaks() { __lsan_enable(); }
#endif
};

// libsimgrid defines SMPI's MPI_* too, and those abort outside smpirun. If the dynamic linker
// bound MPI to SimGrid (see engine/CMakeLists.txt), say so instead of letting SMPI abort.
void check_mpi_is_open_mpi() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&MPI_Init_thread), &info) && info.dli_fname &&
      std::strstr(info.dli_fname, "simgrid"))
    throw std::runtime_error(std::string("hypergraph partitioning: MPI_Init_thread resolves to ") + info.dli_fname +
                             ", not Open MPI; link libmpi before libsimgrid");
}

void finalize_mpi() {
  IgnoreLeaks ignore;
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Finalize();
}

void start_once() {
  static const bool started = [] {
    IgnoreLeaks ignore;
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      check_mpi_is_open_mpi();
      quiet_open_mpi();
      int provided = 0;
      if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        throw std::runtime_error("hypergraph partitioning: MPI_Init_thread failed");
      std::atexit(finalize_mpi);
    }
    float version = 0;
    if (Zoltan_Initialize(0, nullptr, &version) != ZOLTAN_OK)
      throw std::runtime_error("hypergraph partitioning: Zoltan_Initialize failed");
    return true;
  }();
  (void)started;
}

}  // namespace

ZoltanSession::ZoltanSession() : lock_(zoltan_mutex()) { start_once(); }

}  // namespace engine::detail
#endif  // FSD_HAVE_ZOLTAN
