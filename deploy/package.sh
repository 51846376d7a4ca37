#!/usr/bin/env bash
# Packages fsd as an AWS Lambda function for the provided.al2023 runtime: a zip with `bootstrap`
# (deploy/bootstrap) and the `fsd` binary at its root, every shared library fsd loads in lib/ (glibc
# and its dynamic loader included, so a Debian 12 build runs on Amazon Linux 2023's older glibc;
# see deploy/bootstrap), and optional extra files (a config, model weights) at their relative paths.
#
# Usage: deploy/package.sh [--fsd PATH] [--out FILE.zip] [--no-libs] [--add PATH]...
#   --fsd      the fsd binary (default build/release/cli/fsd)
#   --out      the zip to write (default build/fsd-lambda.zip); written to a temp file, then renamed
#   --no-libs  do not bundle shared libraries (the host has them: local tests under @vercel/fun)
#   --add      a file or folder to include, at the same relative path (repeatable)
# Prints the zip's size and its unzipped size; fails if that exceeds Lambda's 250 MB limit.
# For a real deployment, build fsd for any Lambda x86_64 host (AVX2, not this machine's -march=native):
#   cmake -S . -B build/lambda -G Ninja -DCMAKE_BUILD_TYPE=Release -DFSD_MARCH=x86-64-v3
#   cmake --build build/lambda --target fsd && deploy/package.sh --fsd build/lambda/cli/fsd
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FSD="$ROOT/build/release/cli/fsd"
OUT="$ROOT/build/fsd-lambda.zip"
LIBS=1
ADD=()
LOADER=ld-linux-x86-64.so.2           # deploy/bootstrap runs fsd under lib/$LOADER
LIMIT_BYTES=$((250 * 1024 * 1024))    # Lambda quota: deployment package, unzipped (2026-11)
while (($#)); do
  case "$1" in
    --fsd) FSD="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-libs) LIBS=0; shift ;;
    --add) ADD+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "$FSD" ]] || { echo "package.sh: $FSD: not an executable (build fsd first)" >&2; exit 2; }

stage="$(mktemp -d)"
tmp="$OUT.tmp.$$"
trap 'rm -rf "$stage" "$tmp"' EXIT
install -m 755 "$ROOT/deploy/bootstrap" "$stage/bootstrap"
install -m 755 "$FSD" "$stage/fsd"
if ((LIBS)); then
  mkdir -p "$stage/lib"
  deps="$(ldd "$FSD")"
  if grep -q 'not found' <<<"$deps"; then
    echo "package.sh: $FSD: unresolved libraries:" >&2
    grep 'not found' <<<"$deps" >&2
    exit 1
  fi
  # "name => /path (addr)" lines are libraries; the one "/path (addr)" line is the loader.
  loader="$(awk '$1 ~ /^\// {print $1}' <<<"$deps")"
  if [[ "$(basename "$loader")" != "$LOADER" ]]; then
    echo "package.sh: $FSD: interpreter '$loader' is not $LOADER (deploy/bootstrap runs x86-64 only)" >&2
    exit 1
  fi
  install -m 755 "$(readlink -f "$loader")" "$stage/lib/$LOADER"
  # Copied under the name fsd asks for (the soname), the symlink resolved.
  awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' <<<"$deps" | while read -r name path; do
    install -m 644 "$(readlink -f "$path")" "$stage/lib/$name"
  done
fi
for extra in "${ADD[@]}"; do
  mkdir -p "$stage/$(dirname "$extra")"
  cp -rL "$extra" "$stage/$extra"
done

unzipped_bytes="$(find "$stage" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
if ((unzipped_bytes > LIMIT_BYTES)); then
  echo "package.sh: unzipped package is $unzipped_bytes bytes, over Lambda's $LIMIT_BYTES" >&2
  exit 1
fi
mkdir -p "$(dirname "$OUT")"
# Python's zipfile keeps the Unix modes (bootstrap and the loader must stay executable); no zip tool.
python3 - "$stage" "$tmp" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirs, files in os.walk(stage):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, stage))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                z.writestr(info, fh.read())
PY
mv "$tmp" "$OUT"
zip_bytes="$(stat -c %s "$OUT")"
echo "package.sh: wrote $OUT: $zip_bytes bytes zipped, $unzipped_bytes bytes unzipped" \
  "($((unzipped_bytes * 100 / LIMIT_BYTES))% of Lambda's 250 MB)"
