// Column-net hypergraph partitioning of one layer through Zoltan PHG, then an exact balance
// repair; see detail/hypergraph.hpp.
#include "engine/partition/detail/hypergraph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#ifdef FSD_HAVE_ZOLTAN
// The C API only: Open MPI's C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <zoltan.h>

#include "engine/partition/detail/zoltan_session.hpp"

// Zoltan's generator state is global; it exports a seeding function without declaring it.
extern "C" void Zoltan_Srand(unsigned int seed, unsigned int* state);
#endif

namespace engine::detail {

int balanced_cap(int vertices, int parts, double imbalance) {
  const int ceil_mean = static_cast<int>((static_cast<std::int64_t>(vertices) + parts - 1) / parts);
  const auto tolerated = static_cast<int>(std::floor((1.0 + imbalance) * vertices / parts + 1e-9));
  return std::max(ceil_mean, tolerated);
}

std::int64_t connectivity_cost(const Hypergraph& hg, const std::vector<std::int32_t>& part) {
  std::int64_t cost = 0;
  std::vector<std::int32_t> seen;
  for (int n = 0; n < hg.nets(); ++n) {
    seen.clear();
    if (hg.fixed_part[static_cast<std::size_t>(n)] >= 0) seen.push_back(hg.fixed_part[static_cast<std::size_t>(n)]);
    for (auto q = hg.offsets[static_cast<std::size_t>(n)]; q < hg.offsets[static_cast<std::size_t>(n) + 1]; ++q) {
      const std::int32_t p = part[static_cast<std::size_t>(hg.pins[static_cast<std::size_t>(q)])];
      if (std::find(seen.begin(), seen.end(), p) == seen.end()) seen.push_back(p);
    }
    if (!seen.empty()) cost += static_cast<std::int64_t>(seen.size()) - 1;
  }
  return cost;
}

namespace {

// Moves vertices out of parts above the cap, one at a time, each time the (vertex, target part)
// that adds the least connectivity. Zoltan usually lands within its tolerance, so few moves run.
void repair_balance(const Hypergraph& hg, int parts, int cap, std::vector<std::int32_t>& part) {
  std::vector<int> size(static_cast<std::size_t>(parts), 0);
  for (auto p : part) ++size[static_cast<std::size_t>(p)];
  if (*std::max_element(size.begin(), size.end()) <= cap) return;

  // Nets of each vertex (transpose of the pin lists) and, per net, its (part, pin count) pairs.
  std::vector<std::vector<std::int32_t>> nets_of(static_cast<std::size_t>(hg.vertices));
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> counts(static_cast<std::size_t>(hg.nets()));
  auto count_of = [&](int n, std::int32_t p) -> std::int32_t& {
    auto& c = counts[static_cast<std::size_t>(n)];
    for (auto& [q, k] : c)
      if (q == p) return k;
    c.emplace_back(p, 0);
    return c.back().second;
  };
  for (int n = 0; n < hg.nets(); ++n)
    for (auto q = hg.offsets[static_cast<std::size_t>(n)]; q < hg.offsets[static_cast<std::size_t>(n) + 1]; ++q) {
      const auto v = hg.pins[static_cast<std::size_t>(q)];
      nets_of[static_cast<std::size_t>(v)].push_back(n);
      ++count_of(n, part[static_cast<std::size_t>(v)]);
    }

  std::vector<int> covered(static_cast<std::size_t>(parts));
  for (;;) {
    const auto from = static_cast<std::int32_t>(std::max_element(size.begin(), size.end()) - size.begin());
    if (size[static_cast<std::size_t>(from)] <= cap) return;
    int best_delta = std::numeric_limits<int>::max(), best_v = -1;
    std::int32_t best_to = -1;
    for (int v = 0; v < hg.vertices; ++v) {
      if (part[static_cast<std::size_t>(v)] != from) continue;
      // Δ(to) = nets that gain part `to` − nets that lose part `from`, counting fixed parts as present.
      const auto& nets = nets_of[static_cast<std::size_t>(v)];
      int lost = 0;
      std::fill(covered.begin(), covered.end(), 0);
      for (int n : nets) {
        const auto fixed = hg.fixed_part[static_cast<std::size_t>(n)];
        for (const auto& [q, k] : counts[static_cast<std::size_t>(n)])
          if (k > 0 && q != fixed) ++covered[static_cast<std::size_t>(q)];
        if (fixed >= 0) ++covered[static_cast<std::size_t>(fixed)];
        if (count_of(n, from) == 1 && fixed != from) ++lost;
      }
      for (std::int32_t to = 0; to < parts; ++to) {
        if (to == from || size[static_cast<std::size_t>(to)] >= cap) continue;
        const int delta = static_cast<int>(nets.size()) - covered[static_cast<std::size_t>(to)] - lost;
        if (delta < best_delta) best_delta = delta, best_v = v, best_to = to;
      }
    }
    if (best_v < 0) throw std::logic_error("repair_balance: no part below the cap");  // cap·parts ≥ V
    for (int n : nets_of[static_cast<std::size_t>(best_v)]) --count_of(n, from), ++count_of(n, best_to);
    part[static_cast<std::size_t>(best_v)] = best_to;
    --size[static_cast<std::size_t>(from)];
    ++size[static_cast<std::size_t>(best_to)];
  }
}

#ifdef FSD_HAVE_ZOLTAN

// What the Zoltan query callbacks read: the free vertices, then one zero-weight vertex per part
// that some net is fixed to.
struct ZoltanInput {
  const Hypergraph* hg = nullptr;
  std::vector<std::int32_t> fixed_parts;           // fixed vertex hg->vertices + f lives in fixed_parts[f]
  std::vector<std::int32_t> fixed_vertex_of_part;  // [parts], or −1
  int total_pins = 0;
};

int num_obj(void* data, int* ierr) {
  const auto& in = *static_cast<ZoltanInput*>(data);
  *ierr = ZOLTAN_OK;
  return in.hg->vertices + static_cast<int>(in.fixed_parts.size());
}

void obj_list(void* data, int, int, ZOLTAN_ID_PTR gids, ZOLTAN_ID_PTR lids, int wgt_dim, float* weights, int* ierr) {
  const auto& in = *static_cast<ZoltanInput*>(data);
  const int n = in.hg->vertices + static_cast<int>(in.fixed_parts.size());
  for (int v = 0; v < n; ++v) {
    gids[v] = static_cast<ZOLTAN_ID_TYPE>(v);
    lids[v] = static_cast<ZOLTAN_ID_TYPE>(v);
    if (wgt_dim > 0) weights[v] = v < in.hg->vertices ? 1.0f : 0.0f;  // fixed vertices do not count
  }
  *ierr = ZOLTAN_OK;
}

void hg_size(void* data, int* num_lists, int* num_pins, int* format, int* ierr) {
  const auto& in = *static_cast<ZoltanInput*>(data);
  *num_lists = in.hg->nets();
  *num_pins = in.total_pins;
  *format = ZOLTAN_COMPRESSED_EDGE;
  *ierr = ZOLTAN_OK;
}

void hg_pins(void* data, int, int num_lists, int num_pins, int, ZOLTAN_ID_PTR net_gids, int* net_start,
             ZOLTAN_ID_PTR pin_gids, int* ierr) {
  const auto& in = *static_cast<ZoltanInput*>(data);
  const Hypergraph& hg = *in.hg;
  int k = 0;
  for (int n = 0; n < num_lists; ++n) {
    net_gids[n] = static_cast<ZOLTAN_ID_TYPE>(n);
    net_start[n] = k;
    const auto fixed = hg.fixed_part[static_cast<std::size_t>(n)];
    if (fixed >= 0)
      pin_gids[k++] =
          static_cast<ZOLTAN_ID_TYPE>(hg.vertices + in.fixed_vertex_of_part[static_cast<std::size_t>(fixed)]);
    for (auto q = hg.offsets[static_cast<std::size_t>(n)]; q < hg.offsets[static_cast<std::size_t>(n) + 1]; ++q)
      pin_gids[k++] = static_cast<ZOLTAN_ID_TYPE>(hg.pins[static_cast<std::size_t>(q)]);
  }
  *ierr = k == num_pins ? ZOLTAN_OK : ZOLTAN_FATAL;
}

int num_fixed(void* data, int* ierr) {
  *ierr = ZOLTAN_OK;
  return static_cast<int>(static_cast<ZoltanInput*>(data)->fixed_parts.size());
}

void fixed_list(void* data, int num_fixed_obj, int, ZOLTAN_ID_PTR gids, int* parts, int* ierr) {
  const auto& in = *static_cast<ZoltanInput*>(data);
  for (int f = 0; f < num_fixed_obj; ++f) {
    gids[f] = static_cast<ZOLTAN_ID_TYPE>(in.hg->vertices + f);
    parts[f] = in.fixed_parts[static_cast<std::size_t>(f)];
  }
  *ierr = ZOLTAN_OK;
}

std::vector<std::int32_t> run_zoltan(const Hypergraph& hg, int parts, double imbalance, std::uint64_t seed) {
  ZoltanInput in;
  in.hg = &hg;
  in.fixed_vertex_of_part.assign(static_cast<std::size_t>(parts), -1);
  for (auto p : hg.fixed_part)
    if (p >= 0 && in.fixed_vertex_of_part[static_cast<std::size_t>(p)] < 0) {
      in.fixed_vertex_of_part[static_cast<std::size_t>(p)] = static_cast<std::int32_t>(in.fixed_parts.size());
      in.fixed_parts.push_back(p);
    }
  const std::int64_t pins = static_cast<std::int64_t>(hg.pins.size()) +
                            std::count_if(hg.fixed_part.begin(), hg.fixed_part.end(), [](auto p) { return p >= 0; });
  if (pins > std::numeric_limits<int>::max()) throw std::invalid_argument("hypergraph partitioning: too many pins");
  in.total_pins = static_cast<int>(pins);

  ZoltanSession session;
  Zoltan_Srand(static_cast<unsigned int>(seed ^ (seed >> 32)), nullptr);
  Zoltan_Struct* zz = Zoltan_Create(MPI_COMM_SELF);
  if (!zz) throw std::runtime_error("hypergraph partitioning: Zoltan_Create failed");
  const std::string tolerance = std::to_string(1.0 + imbalance);
  const std::string num_parts = std::to_string(parts);
  const char* params[][2] = {
      {"DEBUG_LEVEL", "0"},
      {"LB_METHOD", "HYPERGRAPH"},
      {"HYPERGRAPH_PACKAGE", "PHG"},
      {"LB_APPROACH", "PARTITION"},
      {"NUM_GID_ENTRIES", "1"},
      {"NUM_LID_ENTRIES", "1"},
      {"OBJ_WEIGHT_DIM", "1"},
      {"EDGE_WEIGHT_DIM", "0"},
      {"NUM_GLOBAL_PARTS", num_parts.c_str()},
      {"IMBALANCE_TOL", tolerance.c_str()},
      {"RETURN_LISTS", "PARTS"},
      {"PHG_CUT_OBJECTIVE", "CONNECTIVITY"},  // λ − 1: one row per extra worker that needs it
      {"PHG_EDGE_SIZE_THRESHOLD", "1.0"},     // keep every net, even in tiny layers
      {"CHECK_HYPERGRAPH", "0"},
  };
  for (const auto& kv : params) Zoltan_Set_Param(zz, kv[0], kv[1]);
  Zoltan_Set_Num_Obj_Fn(zz, num_obj, &in);
  Zoltan_Set_Obj_List_Fn(zz, obj_list, &in);
  Zoltan_Set_HG_Size_CS_Fn(zz, hg_size, &in);
  Zoltan_Set_HG_CS_Fn(zz, hg_pins, &in);
  Zoltan_Set_Num_Fixed_Obj_Fn(zz, num_fixed, &in);
  Zoltan_Set_Fixed_Obj_List_Fn(zz, fixed_list, &in);

  int changes = 0, gid_entries = 0, lid_entries = 0, num_import = 0, num_export = 0;
  ZOLTAN_ID_PTR import_gids = nullptr, import_lids = nullptr, export_gids = nullptr, export_lids = nullptr;
  int *import_procs = nullptr, *import_parts = nullptr, *export_procs = nullptr, *export_parts = nullptr;
  const int rc = Zoltan_LB_Partition(zz, &changes, &gid_entries, &lid_entries, &num_import, &import_gids, &import_lids,
                                     &import_procs, &import_parts, &num_export, &export_gids, &export_lids,
                                     &export_procs, &export_parts);
  std::vector<std::int32_t> part(static_cast<std::size_t>(hg.vertices), -1);
  if (rc == ZOLTAN_OK)
    for (int e = 0; e < num_export; ++e) {
      const auto v = static_cast<std::int64_t>(export_gids[e]);
      if (v < hg.vertices) part[static_cast<std::size_t>(v)] = export_parts[e];
    }
  Zoltan_LB_Free_Part(&import_gids, &import_lids, &import_procs, &import_parts);
  Zoltan_LB_Free_Part(&export_gids, &export_lids, &export_procs, &export_parts);
  Zoltan_Destroy(&zz);
  if (rc != ZOLTAN_OK) throw std::runtime_error("hypergraph partitioning: Zoltan_LB_Partition failed");
  for (auto p : part)
    if (p < 0 || p >= parts) throw std::runtime_error("hypergraph partitioning: Zoltan left a vertex unassigned");
  return part;
}

#endif  // FSD_HAVE_ZOLTAN

}  // namespace

std::vector<std::int32_t> partition_hypergraph(const Hypergraph& hg, int parts, double imbalance, std::uint64_t seed) {
  if (parts < 1) throw std::invalid_argument("hypergraph partitioning: parts must be ≥ 1");
  if (parts == 1 || hg.vertices == 0) return std::vector<std::int32_t>(static_cast<std::size_t>(hg.vertices), 0);
#ifdef FSD_HAVE_ZOLTAN
  auto part = run_zoltan(hg, parts, imbalance, seed);
  repair_balance(hg, parts, balanced_cap(hg.vertices, parts, imbalance), part);
  return part;
#else
  (void)seed;
  throw std::runtime_error("hypergraph partitioning: fsd was built without Zoltan");
#endif
}

}  // namespace engine::detail
