// The small deployment problem the simulated-deployment tests share: the first 6 layers of the
// official n1024 network, the first 60 shared images, a random partition (seed 7, printed), and
// a DeploymentSpec over it with fast polls.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/network_io.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/deployment.hpp"

namespace simtest {

struct Problem {
  engine::Network net;
  engine::Activations images;
  engine::Partition partition;
  engine::CommPlan plan;
};

inline Problem n1024_problem(int workers) {
  Problem p;
  const std::string dir = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  p.net = engine::read_network(dir, 1024, 6);
  engine::Activations all = engine::read_images(dir + "/sparse-images-1024_subset.mtx", 1024);
  p.images = all.topRows(60);
  p.images.makeCompressed();
  engine::PartitionOptions po;
  po.method = engine::PartitionMethod::kRandom;
  po.parts = workers;
  po.seed = 7;
  std::printf("partition seed %llu\n", static_cast<unsigned long long>(po.seed));
  p.partition = engine::partition_network(p.net, po);
  p.plan = engine::make_comm_plan(p.net, p.partition);
  return p;
}

// The problem's deployment over `channel` and launch tree `fanouts`; 2 topics for the queue
// channel, reports and object listings polled every 0.05 s.
inline engine::DeploymentSpec spec_for(const Problem& p, engine::ChannelKind channel, std::vector<int> fanouts,
                                       std::string run_id) {
  engine::DeploymentSpec spec;
  spec.network = &p.net;
  spec.partition = &p.partition;
  spec.plan = &p.plan;
  spec.images = &p.images;
  spec.launch_fanouts = std::move(fanouts);
  spec.channel = channel;
  spec.topics = 2;
  spec.run_id = std::move(run_id);
  spec.report_poll_s = 0.05;
  spec.object.poll_interval_s = 0.05;
  return spec;
}

}  // namespace simtest
