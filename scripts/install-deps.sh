#!/usr/bin/env bash
# Installs every Debian package (and npm package) the project needs. Idempotent and fast when
# everything is already there: apt runs only if dpkg reports a package missing.
# Why each package is needed: see README.md, "Dependencies".
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config git
  libeigen3-dev              # engine: sparse matrices, the learned placement policy
  libyaml-cpp-dev            # configs, price books, calibration
  doctest-dev                # tests
  libbenchmark-dev           # bench/
  libboost-dev libboost-program-options-dev   # command-line parsing
  libcurl4-openssl-dev libssl-dev             # engine/aws: HTTP and SigV4
  libpugixml-dev             # engine/aws: XML responses of SNS and S3 (a small DOM parser)
  libsimdjson-dev            # engine/aws: SQS receive responses (the hot path; 80x nlohmann here)
  nlohmann-json3-dev         # run records, JSON protocols
  libzstd-dev                # channel payload compression
  libtrilinos-zoltan-dev mpi-default-dev libptscotch-dev  # hypergraph partitioning (Zoltan is built with MPI)
  libsimgrid-dev             # sim/
  libgraphblas-dev           # bench/: the SuiteSparse:GraphBLAS peer the engine is measured against
  dataset-fashion-mnist      # IDX images for inputs of any size
  zlib1g-dev                 # gzip-compressed IDX files (engine/model, sim/provider)
  python3 python3-matplotlib # plots/
  curl ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js runs the local AWS emulator (fauxqs) and the Lambda runtime emulator (@vercel/fun) in tests.
if ! command -v node >/dev/null 2>&1; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -f "$ROOT/tools/emulator/package.json" && ! -d "$ROOT/tools/emulator/node_modules" ]]; then
  (cd "$ROOT/tools/emulator" && npm ci --no-audit --no-fund --loglevel=error)
fi
