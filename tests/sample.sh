# tests/sample.sh - the bundled sample site: builds without errors or
# warnings, writes what it should, and twice gives byte-identical trees
# (with different thread counts).  Sourced by tests/run.sh.

run_formidl "$OUT/sample1" build "$ROOT" -o "$OUT/sample1" -j 1
if [ $rc -eq 0 ] && [ ! -s "$OUT/sample1.err" ]; then
    pass "sample site builds cleanly"
else fail "sample site builds cleanly (exit $rc)" "$(cat "$OUT/sample1.err")"; fi

run_formidl "$OUT/sample2" build "$ROOT" -o "$OUT/sample2" -j 4
if d=$(diff -r "$OUT/sample1" "$OUT/sample2" 2>&1) && [ $rc -eq 0 ]; then
    pass "sample site output is deterministic (-j 1 and -j 4)"
else fail "sample site output is deterministic" "$d"; fi

# A rebuild over the same folder replaces it (no leftovers from old pages).
mkdir -p "$OUT/sample2/stale"; echo x > "$OUT/sample2/stale/index.html"
run_formidl "$OUT/sample3" build "$ROOT" -o "$OUT/sample2" -j 2
if [ $rc -eq 0 ] && [ ! -e "$OUT/sample2/stale" ] && diff -r -q "$OUT/sample1" "$OUT/sample2" >/dev/null; then
    pass "rebuild swaps in a fresh tree"
else fail "rebuild swaps in a fresh tree (exit $rc)"; fi

# Every page the content asks for exists.
missing=""
for f in index.html praksis/index.html vaerktoejer/index.html projekter/index.html \
         spor/borgerkontakt/index.html spor/frisaettende-ledelse/index.html \
         om/index.html tilgaengelighed/index.html \
         projekter/mere-kerneopgave/index.html praksis/rebild-dagtilbud/index.html \
         assets/css/formidl.css; do
    [ -f "$OUT/sample1/$f" ] || missing+="$f "
done
if [ -z "$missing" ]; then pass "sample site pages exist"; else fail "sample site pages exist" "missing: $missing"; fi

# SOURCE_DATE_EPOCH is "now": on 2016-05-01 most pages lie in the future,
# so links to them are errors; with --future the same build succeeds.
SOURCE_DATE_EPOCH=1462060800 run_formidl "$OUT/sample-2016" build "$ROOT" -o "$OUT/sample-2016"
if [ $rc -eq 1 ] && grep -q 'does not resolve: that page is dated in the future (build with --future to include it)$' "$OUT/sample-2016.err" \
   && [ ! -e "$OUT/sample-2016" ]; then
    pass "SOURCE_DATE_EPOCH: pages dated later are left out"
else fail "SOURCE_DATE_EPOCH: pages dated later are left out (exit $rc)" "$(cat "$OUT/sample-2016.err")"; fi
SOURCE_DATE_EPOCH=1462060800 run_formidl "$OUT/sample-2016f" build "$ROOT" -o "$OUT/sample-2016f" --future
if [ $rc -eq 0 ] && diff -r -q "$OUT/sample1" "$OUT/sample-2016f" >/dev/null; then
    pass "--future includes them again (same output as today)"
else fail "--future includes them again (exit $rc)" "$(cat "$OUT/sample-2016f.err")"; fi

# Every feed of the sample site and of the golden sites, read by a real
# feed reader (python3-feedparser): no bozo, complete items, RFC 822 dates
# in order and equal to the pages' dates, links and enclosures that exist.
check_feeds() { # name, output folder, base url
    if /usr/bin/python3 "$ROOT/tests/check_feeds.py" "$2" "$3" > "$OUT/feeds-$1.log" 2>&1; then
        pass "feeds of $1 ($(tail -n 1 "$OUT/feeds-$1.log"))"
    else
        fail "feeds of $1" "$(grep -v '^ok' "$OUT/feeds-$1.log")"
    fi
}
check_feeds sample "$OUT/sample1" "https://example.dk/kerneopgave/"
check_feeds basic "$OUT/sites/basic" "https://example.dk/test/"
check_feeds drafts-future "$OUT/sites/drafts-future" "https://example.dk/test/"

# Markdown runs in -j worker processes for sites of 200 pages or more: the
# output must be byte for byte the same as with one process.
python3 "$ROOT/tests/gen_pages.py" "$OUT/par-site" 300
run_formidl "$OUT/par1" build "$OUT/par-site" -o "$OUT/par1" -j 1 -q
rc1=$rc
run_formidl "$OUT/par3" build "$OUT/par-site" -o "$OUT/par3" -j 3 -q
if [ $rc1 -eq 0 ] && [ $rc -eq 0 ] && diff -r -q "$OUT/par1" "$OUT/par3" >/dev/null \
   && grep -q '<del>gennemstreget</del>' "$OUT/par3/praksis/side-0299/index.html" \
   && grep -q '<table>' "$OUT/par3/praksis/side-0298/index.html"; then
    pass "300 pages: -j 3 worker processes give the same output as -j 1"
else
    fail "300 pages: -j 3 worker processes give the same output as -j 1 (exit $rc1/$rc)" \
         "$(diff -r "$OUT/par1" "$OUT/par3" 2>&1 | head -20; cat "$OUT/par3.err")"
fi

# Building over an existing output writes no file whose bytes are already
# there: unchanged files are linked from the old tree (same inode).
ino_before=$(stat -c %i "$OUT/sample2/index.html")
run_formidl "$OUT/sample4" build "$ROOT" -o "$OUT/sample2"
ino_after=$(stat -c %i "$OUT/sample2/index.html")
if [ $rc -eq 0 ] && [ "$ino_before" = "$ino_after" ] \
   && grep -qE '^Byggede [0-9]+ sider \(([0-9]+) filer, \1 uændrede\)' "$OUT/sample4.out"; then
    pass "rebuild over unchanged output writes nothing new ($(cut -d' ' -f2-6 "$OUT/sample4.out"))"
else
    fail "rebuild over unchanged output writes nothing new (exit $rc, inode $ino_before → $ino_after)" "$(cat "$OUT/sample4.out" "$OUT/sample4.err")"
fi

# The UI strings come from i18n/<language>.yaml: the same site with
# language: en shows the English words (the mechanism, proved by English).
en="$OUT/en-site"
mkdir -p "$en"
cp -r "$ROOT/content" "$ROOT/layouts" "$ROOT/assets" "$ROOT/i18n" "$en/"
sed 's/^language: da$/language: en/' "$ROOT/site.yaml" > "$en/site.yaml"
run_formidl "$OUT/en" build "$en" -o "$OUT/en-out" -q
if [ $rc -eq 0 ] && grep -q '<html lang="en"' "$OUT/en-out/index.html" \
   && grep -q "$(sed -n 's/^skip_link: "\(.*\)"$/\1/p' "$ROOT/i18n/en.yaml")" "$OUT/en-out/index.html" \
   && grep -q '>Before: ' "$OUT/en-out/praksis/rebild-dagtilbud/index.html" \
   && ! grep -q 'Gå til sidens indhold' "$OUT/en-out/index.html"; then
    pass "language: en takes the words from i18n/en.yaml"
else
    fail "language: en takes the words from i18n/en.yaml (exit $rc)" "$(cat "$OUT/en.err")"
fi
