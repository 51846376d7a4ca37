// Cluster implementation: exact integer bookkeeping of capacity and open servers.
#include "sim/provider/cluster.hpp"

#include <stdexcept>

namespace provider {

std::int64_t millicpus_for_memory(std::int64_t memory_mb) {
  return (memory_mb * 1000 + kLambdaMbPerVcpu - 1) / kLambdaMbPerVcpu;
}

Cluster::Cluster(const std::vector<ServerSpec>& specs, const ImageCatalog& catalog) : catalog_(&catalog) {
  servers_.reserve(specs.size());
  for (const auto& s : specs) servers_.emplace_back(s, catalog);
}

double Cluster::cached_share(int i, int image) const {
  const auto total = static_cast<double>(catalog_->image(image).blocks.size());
  return total == 0 ? 1.0 : static_cast<double>(server(i).cache().cached_blocks_of(image)) / total;
}

bool Cluster::start(int i, const Demand& d) {
  Server& s = server(i);
  if (!s.fits(d)) throw std::logic_error("Cluster::start(): container does not fit on server " + std::to_string(i));
  const bool opened = !s.open();
  s.used_.millicpus += d.millicpus;
  s.used_.memory_mb += d.memory_mb;
  ++s.containers_;
  used_.millicpus += d.millicpus;
  used_.memory_mb += d.memory_mb;
  if (opened) ++open_servers_;
  return opened;
}

void Cluster::stop(int i, const Demand& d) {
  Server& s = server(i);
  if (s.containers_ == 0) throw std::logic_error("Cluster::stop(): no container on server " + std::to_string(i));
  s.used_.millicpus -= d.millicpus;
  s.used_.memory_mb -= d.memory_mb;
  --s.containers_;
  used_.millicpus -= d.millicpus;
  used_.memory_mb -= d.memory_mb;
  if (s.containers_ == 0) --open_servers_;
}

}  // namespace provider
