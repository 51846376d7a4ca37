#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the main job on the embedded default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh" fsd
exec "$ROOT/build/release/cli/fsd" demo "$@"
