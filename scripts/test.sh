#!/usr/bin/env bash
# The README's second command: install what is missing, build everything, run every test suite.
# Servers the tests need (the AWS emulator) are started on 127.0.0.1 and stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"
cd "$ROOT"
if [[ -x scripts/with-emulator.sh ]]; then
  exec scripts/with-emulator.sh ctest --preset release "$@"
fi
exec ctest --preset release "$@"
