// ZoltanSession: the process-wide MPI and Zoltan setup hypergraph partitioning needs.
//
// Zoltan is an MPI library; fsd runs it on MPI_COMM_SELF, one process, no mpirun. The first
// session in a process sets quiet, loopback-only Open MPI defaults (only where the environment
// does not set them already), calls MPI_Init_thread and Zoltan_Initialize once, and registers
// MPI_Finalize at exit. Neither MPI (initialized SERIALIZED) nor Zoltan (global random state) may
// be entered by two threads at once: a session holds a process-wide lock for its whole life.
// Only compiled with FSD_HAVE_ZOLTAN.
#pragma once

#include <mutex>

namespace engine::detail {

class ZoltanSession {
 public:
  ZoltanSession();  // throws std::runtime_error if MPI or Zoltan cannot start
  ZoltanSession(const ZoltanSession&) = delete;
  ZoltanSession& operator=(const ZoltanSession&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace engine::detail
