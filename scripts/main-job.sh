#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the main job on the embedded
# defaults: the serial engine on a generated network (fsd demo), then the default what-if study
# (experiments/default.yaml: cost per day vs traffic for every variant, and the recommendation map).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh" fsd
FSD="$ROOT/build/release/cli/fsd"
"$FSD" demo
echo
exec "$FSD" report "$ROOT/experiments/default.yaml" --out "$ROOT/results" "$@"
