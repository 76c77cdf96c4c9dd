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
    cp "$ROOT/content/soeg.md" "$dir/content/soeg.md"   # the search page, so the index is built
    rm -rf "$dir/layouts" "$dir/assets"
    cp -r "$ROOT/layouts" "$ROOT/assets" "$dir/"
    # Old output trees are moved aside, not deleted, before a measured
    # build: on this machine's ext4 (no journal), creating files right after
    # deleting thousands costs seconds in the kernel (recently_deleted), which
    # would measure the file system, not formidl.  They are removed at the end.
    aside() { [ -d "$dir/public" ] && mv "$dir/public" "$dir/.aside-$(date +%s%N)"; return 0; }
    aside
    "$ROOT/formidl" build "$dir" --future -q -o "$dir/public"   # warm the caches
    aside
    python3 - "$ROOT/formidl" "$dir" "$n" <<'PY'
import os, resource, subprocess, sys, time
exe, site, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run():
    t0 = time.perf_counter()
    subprocess.run([exe, "build", site, "--future", "-q", "-o", site + "/public"], check=True)
    return time.perf_counter() - t0
full = run()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
files = sum(len(f) for _, _, f in os.walk(site + "/public"))
again = run()
print(f"bench {n:>6} pages: full build {full:5.2f} s wall, {n / full:6.0f} pages/s, "
      f"peak {peak:5.0f} MiB, {files} output files; rebuild over it {again:5.2f} s")
PY
    rm -rf "$dir"/.aside-*
done
