#!/bin/sh
# tests/bench.sh - `make bench`: generate the benchmark corpus at 1,000 and
# 10,000 pages with ../shared/bench/gen_corpus.py, build each with
# `formidl build --future` (the corpus has dates up to 2026-12-31, as in the
# Hugo setup's buildFuture), and print wall time, pages per second and
# peak memory.  The machine has 2 cores: read the figures as ratios.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN=${GEN:-$ROOT/../shared/bench/gen_corpus.py}
SIZES=${SIZES:-"1000 10000"}
if [ ! -f "$GEN" ]; then
    echo "bench: $GEN not found (it comes with the shared folder)" >&2
    exit 1
fi
export SOURCE_DATE_EPOCH=1795000000
for n in $SIZES; do
    dir="$ROOT/build/bench-$n"
    if [ ! -d "$dir/content" ]; then
        rm -rf "$dir"; mkdir -p "$dir"
        python3 "$GEN" --pages "$n" --out "$dir" --seed 1 >/dev/null
    fi
    cp "$ROOT/site.yaml" "$dir/site.yaml"
    rm -rf "$dir/layouts" "$dir/assets"
    cp -r "$ROOT/layouts" "$ROOT/assets" "$dir/"
    rm -rf "$dir/public"
    # Warm the file cache once, then measure a full build into a fresh folder.
    "$ROOT/formidl" build "$dir" --future -q -o "$dir/public"
    rm -rf "$dir/public"
    python3 - "$ROOT/formidl" "$dir" "$n" <<'PY'
import os, resource, subprocess, sys, time
exe, site, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
subprocess.run([exe, "build", site, "--future", "-q", "-o", site + "/public"], check=True)
wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
files = sum(len(f) for _, _, f in os.walk(site + "/public"))
print(f"bench {n:>6} pages: {wall:6.2f} s wall, {n / wall:8.0f} pages/s, "
      f"peak {peak:6.0f} MiB, {files} output files")
PY
done
