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
sys.stdout.flush()

# serve: edit one case's text five times; each time read the time serve
# reports for the update (in the process, from the change seen to the last
# file written) and the time from the write to the new text being served
# (this includes serve's 100 ms wait for an editor to finish a burst).
import glob, re, signal, urllib.request
out_dir = site + "/.serve-public"
p = subprocess.Popen([exe, "serve", site, "--future", "--port", "0", "-o", out_dir],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
lines = []
def next_line(pattern):
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("bench: serve stopped")
        lines.append(line)
        if re.match(pattern, line):
            return line
url = re.search(r"http://127\.0\.0\.1:\d+/\S*", next_line("^Serverer ")).group(0)
page = sorted(glob.glob(site + "/content/cases/*.md"))[len(glob.glob(site + "/content/cases/*.md")) // 2]
original = open(page, encoding="utf-8").read()
slug = os.path.basename(page)[:-3]
updates, served, kinds = [], [], []
try:
    for i in range(5):
        word = f"benchord{i}x{int(time.time())}"
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + f"\nEt nyt afsnit med {word}.\n")
        t0 = time.perf_counter()
        while True:
            try:
                body = urllib.request.urlopen(url + "praksis/" + slug + "/", timeout=5).read().decode()
            except Exception:
                body = ""
            if word in body:
                served.append((time.perf_counter() - t0) * 1000)
                break
            if time.perf_counter() - t0 > 30:
                raise SystemExit("bench: the edit was not served within 30 s")
            time.sleep(0.005)
        line = next_line("^Byggede ")
        kinds.append("update" if "ændrede" in line else "full")
        updates.append(float(re.search(r"på (\d+) ms", line).group(1)))
finally:
    with open(page, "w", encoding="utf-8") as f:
        f.write(original)
    p.send_signal(signal.SIGTERM)
    p.wait()
updates.sort(); served.sort()
u, s_ = updates[len(updates) // 2], served[len(served) // 2]
print(f"bench {n:>6} pages: serve, one-file edit: rebuilt and written in {u:4.0f} ms "
      f"(median of 5, {', '.join(kinds)}) = {100 * u / (full * 1000):4.1f} % of the full build; "
      f"edit to new page served {s_:4.0f} ms")
PY
    rm -rf "$dir/.serve-public" "$dir"/.\.serve-public.staging-* 2>/dev/null
    rm -rf "$dir"/.aside-*
done
