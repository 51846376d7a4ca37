#!/usr/bin/env bash
# Configures and builds the release preset (build/release). Usage: scripts/build.sh [targets...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ -f build/release/build.ninja ]] || cmake --preset release >/dev/null
cmake --build --preset release ${1:+--target "$@"}
