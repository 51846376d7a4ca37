#!/usr/bin/env bash
# Runs a command with the local AWS emulator (fauxqs: SNS, SQS, S3) listening on 127.0.0.1 on a
# free port, and always stops the emulator afterwards, whatever the command's outcome.
# The command sees, for the tests only, AWS_TEST_ENDPOINT / AWS_ENDPOINT_URL (the emulator),
# AWS_REGION and dummy credentials (the emulator accepts any); it exits with the command's status.
# Usage: scripts/with-emulator.sh <command> [args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EMU="$ROOT/tools/emulator"
if [[ ! -d "$EMU/node_modules/fauxqs" ]]; then
  echo "with-emulator: $EMU/node_modules is missing: run scripts/install-deps.sh" >&2
  exit 1
fi

work="$(mktemp -d)"
fifo="$work/stdin"
mkfifo "$fifo"
# The emulator reads its stdin from a fifo this shell holds open on fd 3: if this shell dies, the
# fifo closes and the emulator exits on its own.
node "$EMU/start-fauxqs.mjs" <"$fifo" >"$work/port" 2>"$work/log" &
emu_pid=$!
exec 3>"$fifo"

stop() {
  exec 3>&- || true
  if kill -0 "$emu_pid" 2>/dev/null; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=""
for _ in $(seq 1 200); do  # up to 10 s for node to start
  port="$(sed -n 's/^port=//p' "$work/port" 2>/dev/null || true)"
  [[ -n "$port" ]] && break
  if ! kill -0 "$emu_pid" 2>/dev/null; then
    echo "with-emulator: fauxqs failed to start:" >&2
    cat "$work/log" >&2
    exit 1
  fi
  sleep 0.05
done
if [[ -z "$port" ]]; then
  echo "with-emulator: fauxqs did not report a port within 10 s" >&2
  exit 1
fi
echo "with-emulator: fauxqs on http://127.0.0.1:$port (pid $emu_pid)" >&2

export AWS_TEST_ENDPOINT="http://127.0.0.1:$port"
export AWS_ENDPOINT_URL="$AWS_TEST_ENDPOINT"
export AWS_REGION="us-east-1"
export AWS_ACCESS_KEY_ID="test"
export AWS_SECRET_ACCESS_KEY="test-secret-not-a-real-key"
unset AWS_SESSION_TOKEN AWS_PROFILE

status=0
"$@" || status=$?
exit "$status"
