#!/usr/bin/env bash
# Packages fsd as an AWS Lambda function for the provided.al2023 runtime: a zip with `bootstrap`
# (deploy/bootstrap) and the `fsd` binary at its root, the shared libraries fsd needs in lib/
# (all but the C library's own, which the runtime provides), and optional extra files (a config,
# model weights) under their own relative paths.
#
# Usage: deploy/package.sh [--fsd PATH] [--out FILE.zip] [--no-libs] [--add PATH]...
#   --fsd      the fsd binary (default build/release/cli/fsd)
#   --out      the zip to write (default build/fsd-lambda.zip); written to a temp file, then renamed
#   --no-libs  do not bundle shared libraries (the runtime has them: local tests under @vercel/fun)
#   --add      a file or folder to include, at the same relative path (repeatable)
# Caveat: a binary built on Debian 12 (glibc 2.36) needs glibc ≥ 2.36; Amazon Linux 2023 has 2.34.
# For real Lambda, build fsd on Amazon Linux 2023 (or an older glibc) and package that binary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FSD="$ROOT/build/release/cli/fsd"
OUT="$ROOT/build/fsd-lambda.zip"
LIBS=1
ADD=()
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
trap 'rm -rf "$stage"' EXIT
install -m 755 "$ROOT/deploy/bootstrap" "$stage/bootstrap"
install -m 755 "$FSD" "$stage/fsd"
if ((LIBS)); then
  mkdir -p "$stage/lib"
  # Every resolved dependency but the loader and glibc's own libraries.
  ldd "$FSD" | awk '/=> \// {print $3}' | while read -r lib; do
    case "$(basename "$lib")" in
      ld-linux*|libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|libresolv.so*) ;;
      *) cp -L "$lib" "$stage/lib/" ;;
    esac
  done
fi
for extra in "${ADD[@]}"; do
  mkdir -p "$stage/$(dirname "$extra")"
  cp -rL "$extra" "$stage/$extra"
done

mkdir -p "$(dirname "$OUT")"
tmp="$OUT.tmp.$$"
# Python's zipfile keeps the Unix modes (bootstrap and fsd must stay executable); no zip tool needed.
python3 - "$stage" "$tmp" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, _, files in os.walk(stage):
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, stage))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                z.writestr(info, fh.read())
PY
mv "$tmp" "$OUT"
echo "package.sh: wrote $OUT ($(du -h "$OUT" | cut -f1))"
