# tests/new_check.sh - `formidl new`, `formidl check`, `formidl help
# COMMAND`, the manual page and `make install`.  Sourced by tests/run.sh
# (uses run_formidl, pass, fail, $ROOT, $OUT; SOURCE_DATE_EPOCH is
# 2026-11-18).  Nothing is written into the repository: sites are copied
# to $OUT first, and check builds into a temporary folder under $TMPDIR.

# ---- help COMMAND ---------------------------------------------------------
for c in build serve new check help; do
    run_formidl "$OUT/help-$c" help "$c"
    if [ $rc -eq 0 ] && grep -q "^Brug: formidl $c" "$OUT/help-$c.out"; then
        pass "help $c"
    else fail "help $c (exit $rc)" "$(cat "$OUT/help-$c.out" "$OUT/help-$c.err")"; fi
done
run_formidl "$OUT/help-bogus" help bogus
if [ $rc -eq 2 ] && grep -q 'unknown command "bogus"' "$OUT/help-bogus.err"; then
    pass "help of an unknown command: exit 2"
else fail "help of an unknown command: exit 2 (exit $rc)"; fi
run_formidl "$OUT/help-all" help
if [ $rc -eq 0 ] && grep -q 'new TYPE "Titel"' "$OUT/help-all.out" && grep -q 'check \[SITE\]' "$OUT/help-all.out"; then
    pass "help lists new and check"
else fail "help lists new and check (exit $rc)"; fi

# ---- new ------------------------------------------------------------------
NEW_SITE="$OUT/new-site"
rm -rf "$NEW_SITE"; mkdir -p "$NEW_SITE"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/layouts" "$ROOT/assets" "$ROOT/i18n" "$ROOT/archetypes" "$NEW_SITE/"

new_ok() { # name, kind, title, expected relative path
    run_formidl "$OUT/new-$1" new "$2" "$3" "$NEW_SITE"
    if [ $rc -eq 0 ] && [ "$(cat "$OUT/new-$1.out")" = "$NEW_SITE/$4" ] && [ ! -s "$OUT/new-$1.err" ] \
       && [ -f "$NEW_SITE/$4" ] && grep -qx 'draft: true' "$NEW_SITE/$4" && grep -qx 'date: 2026-11-18' "$NEW_SITE/$4"; then
        pass "new $2 writes $4 and prints its path"
    else fail "new $2 writes $4 (exit $rc)" "$(cat "$OUT/new-$1.out" "$OUT/new-$1.err")"; fi
}
new_ok case case 'Tillid på tværs & "citat"' content/cases/tillid-paa-tvaers-citat.md
new_ok guide guide 'Ét nyt værktøj' content/guides/et-nyt-vaerktoej.md
new_ok project project 'Ældreprojekt i Ærø' content/projects/aeldreprojekt-i-aeroe.md

if grep -qx 'title: "Tillid på tværs & \\"citat\\""' "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md" \
   && grep -qx '# Kommunen, fx "Rebild Kommune" (skal udfyldes)' "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md" \
   && grep -qx '## Hvad gjorde de?' "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md"; then
    pass "new: title quoted for YAML, Danish field comments, body headings"
else fail "new: title quoted for YAML, Danish field comments, body headings" "$(head -12 "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md")"; fi

# Every field of the section is in the file (from content.c's table).
missing=""
for f in title date updated summary tracks tags slug draft aliases image audio layout author area \
         municipality workplace project period effects; do
    grep -q "^$f:" "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md" || missing+="case:$f "
done
for f in duration participants downloads project; do
    grep -q "^$f:" "$NEW_SITE/content/guides/et-nyt-vaerktoej.md" || missing+="guide:$f "
done
for f in owner partners period budget status phases; do
    grep -q "^$f:" "$NEW_SITE/content/projects/aeldreprojekt-i-aeroe.md" || missing+="project:$f "
done
if [ -z "$missing" ]; then pass "new: every field of the section"; else fail "new: every field of the section" "missing: $missing"; fi

# A draft stays out; with draft: true removed all three build cleanly.
run_formidl "$OUT/new-build-draft" build "$NEW_SITE" -o "$OUT/new-out-draft"
if [ $rc -eq 0 ] && [ ! -s "$OUT/new-build-draft.err" ] && [ ! -e "$OUT/new-out-draft/praksis/tillid-paa-tvaers-citat" ]; then
    pass "new: the page is a draft until draft: true is removed"
else fail "new: the page is a draft (exit $rc)" "$(cat "$OUT/new-build-draft.err")"; fi
sed -i '/^draft: true$/d' "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md" \
    "$NEW_SITE/content/guides/et-nyt-vaerktoej.md" "$NEW_SITE/content/projects/aeldreprojekt-i-aeroe.md"
run_formidl "$OUT/new-build" build "$NEW_SITE" -o "$OUT/new-out"
if [ $rc -eq 0 ] && [ ! -s "$OUT/new-build.err" ] \
   && grep -q '<h1>Tillid på tværs &amp; &quot;citat&quot;' "$OUT/new-out/praksis/tillid-paa-tvaers-citat/index.html" \
   && [ -f "$OUT/new-out/vaerktoejer/et-nyt-vaerktoej/index.html" ] && [ -f "$OUT/new-out/projekter/aeldreprojekt-i-aeroe/index.html" ]; then
    pass "new: the files build cleanly once draft: true is removed"
else fail "new: the files build cleanly once draft: true is removed (exit $rc)" "$(cat "$OUT/new-build.err")"; fi

# A second new with the same title refuses and leaves the file alone.
sum_before=$(md5sum < "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md")
run_formidl "$OUT/new-again" new case 'Tillid på tværs & "citat"' "$NEW_SITE"
if [ $rc -eq 1 ] && [ ! -s "$OUT/new-again.out" ] \
   && grep -qx "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md: error: exists already; formidl new never overwrites a page (choose another title, or edit the file)" "$OUT/new-again.err" \
   && [ "$(md5sum < "$NEW_SITE/content/cases/tillid-paa-tvaers-citat.md")" = "$sum_before" ]; then
    pass "new: refuses to overwrite (exit 1)"
else fail "new: refuses to overwrite (exit $rc)" "$(cat "$OUT/new-again.err")"; fi

# A page folder with the same slug has the same address: refused too.
mkdir -p "$NEW_SITE/content/guides/mappe-side"
printf -- '---\ntitle: "x"\ndate: 2020-01-01\ntracks: [borgerkontakt]\n---\n' > "$NEW_SITE/content/guides/mappe-side/index.md"
run_formidl "$OUT/new-bundle" new guide "Mappe side" "$NEW_SITE"
if [ $rc -eq 1 ] && [ ! -e "$NEW_SITE/content/guides/mappe-side.md" ] && grep -q 'content/guides/mappe-side/index.md: error: a page with that address exists already' "$OUT/new-bundle.err"; then
    pass "new: refuses a slug a page folder has"
else fail "new: refuses a slug a page folder has (exit $rc)" "$(cat "$OUT/new-bundle.err")"; fi

# The built-in archetypes are the sample site's archetypes/*.md.
NEW_PLAIN="$OUT/new-plain"
rm -rf "$NEW_PLAIN"; mkdir -p "$NEW_PLAIN"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/layouts" "$ROOT/assets" "$ROOT/i18n" "$NEW_PLAIN/"
for k in case:cases guide:guides project:projects; do
    kind=${k%%:*}; sec=${k#*:}
    run_formidl "$OUT/new-plain-$kind" new "$kind" "Samme tekst" "$NEW_PLAIN"
    run_formidl "$OUT/new-arch-$kind" new "$kind" "Samme tekst" "$NEW_SITE"
    if d=$(diff "$NEW_PLAIN/content/$sec/samme-tekst.md" "$NEW_SITE/content/$sec/samme-tekst.md" 2>&1); then
        pass "new $kind: built-in archetype equals archetypes/$sec.md"
    else fail "new $kind: built-in archetype equals archetypes/$sec.md" "$d"; fi
done

# The built-in archetype fits another site (its own track keys) and builds.
NEW_BASE="$OUT/new-base"
rm -rf "$NEW_BASE"; cp -r "$ROOT/tests/bad/_base" "$NEW_BASE"
run_formidl "$OUT/new-base-new" new guide "Ny guide" "$NEW_BASE"
sed -i '/^draft: true$/d' "$NEW_BASE/content/guides/ny-guide.md"
run_formidl "$OUT/new-base-build" build "$NEW_BASE" -o "$OUT/new-base-out"
if [ $rc -eq 0 ] && [ ! -s "$OUT/new-base-build.err" ] && [ -f "$OUT/new-base-out/vaerktoejer/ny-guide/index.html" ]; then
    pass "new: built-in archetype builds in a site without archetypes/"
else fail "new: built-in archetype builds in a site without archetypes/ (exit $rc)" "$(cat "$OUT/new-base-build.err")"; fi

# A site's own archetype is a Mustache template.
mkdir -p "$NEW_BASE/archetypes"
printf -- '---\ntitle: {{{title_yaml}}}\ndate: {{date}}\n---\n\n{{title}} / {{slug}} / {{section}} / {{track}}\n' > "$NEW_BASE/archetypes/cases.md"
run_formidl "$OUT/new-own" new case "Egen <skabelon>" "$NEW_BASE"
if [ $rc -eq 0 ] && grep -qx 'Egen &lt;skabelon&gt; / egen-skabelon / cases / borgerkontakt' "$NEW_BASE/content/cases/egen-skabelon.md"; then
    pass "new: the site's archetypes/cases.md is used"
else fail "new: the site's archetypes/cases.md is used (exit $rc)" "$(cat "$NEW_BASE/content/cases/egen-skabelon.md" "$OUT/new-own.err" 2>&1)"; fi

expect_new_usage() { # name, expected stderr text, args...
    local name=$1 want=$2; shift 2
    run_formidl "$OUT/new-$name" new "$@"
    if [ $rc -eq 2 ] && grep -qF -- "$want" "$OUT/new-$name.err"; then
        pass "new $name: exit 2"
    else fail "new $name: want exit 2 and \"$want\", got exit $rc" "$(cat "$OUT/new-$name.err")"; fi
}
expect_new_usage unknown-kind 'unknown kind "story"' story "Titel" "$NEW_BASE"
expect_new_usage no-title 'needs a kind' case
expect_new_usage no-letters 'gives no address' case "!!!" "$NEW_BASE"

# ---- check ----------------------------------------------------------------
CHECK_TMP="$OUT/check-tmp"
mkdir -p "$CHECK_TMP"
FAULTS="$ROOT/tests/check/faults"
TMPDIR="$CHECK_TMP" run_formidl "$OUT/check-faults" check "$FAULTS"
sed "s|@SITE@|$FAULTS|" "$ROOT/tests/check/faults.expect" > "$OUT/check-faults.want"
if [ $rc -eq 1 ] && d=$(diff "$OUT/check-faults.want" "$OUT/check-faults.out") \
   && [ "$(cat "$OUT/check-faults.err")" = "Tjekkede 11 sider: 6 fejl, 3 advarsler" ]; then
    pass "check: each fault once, at its source position, sorted (exit 1)"
else fail "check: each fault once, at its source position (exit $rc)" "$d
$(cat "$OUT/check-faults.err")"; fi
if [ -z "$(ls -A "$CHECK_TMP")" ]; then
    pass "check: the temporary folder is removed"
else fail "check: the temporary folder is removed" "$(ls -A "$CHECK_TMP")"; fi
if [ ! -e "$FAULTS/public" ]; then pass "check: writes nothing into the site"
else fail "check: writes nothing into the site"; fi

run_formidl "$OUT/check-external" check "$FAULTS" --external
if [ $rc -eq 1 ] && diff <(grep -v 'kl.dk' "$OUT/check-external.out") "$OUT/check-faults.want" >/dev/null \
   && grep -qx "$FAULTS/content/cases/a.md:12:35: warning: external link \"https://www.kl.dk/\" (not checked)" "$OUT/check-external.out"; then
    pass "check --external lists external links as warnings"
else fail "check --external (exit $rc)" "$(cat "$OUT/check-external.out")"; fi

run_formidl "$OUT/check-json" check --format json "$FAULTS"
if [ $rc -eq 1 ] && python3 -m json.tool < "$OUT/check-json.out" > /dev/null \
   && [ "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), sorted(d[0]), d[0]["line"], d[0]["level"])' "$OUT/check-json.out")" \
        = "9 ['col', 'level', 'line', 'message', 'path'] 8 error" ]; then
    pass "check --format json parses (python3 -m json.tool)"
else fail "check --format json (exit $rc)" "$(head -c 600 "$OUT/check-json.out")"; fi

run_formidl "$OUT/check-sample" check "$ROOT"
if [ $rc -eq 0 ] && ! grep -q ': error: ' "$OUT/check-sample.out" \
   && grep -qE '^Tjekkede [0-9]+ sider: 0 fejl, [0-9]+ advars' "$OUT/check-sample.err"; then
    pass "check: the sample site passes ($(cat "$OUT/check-sample.err"))"
else fail "check: the sample site passes (exit $rc)" "$(cat "$OUT/check-sample.out" "$OUT/check-sample.err")"; fi

# Content errors: the build's lines, exit 1, and no HTML checks.
CHECK_BAD="$OUT/check-bad"
rm -rf "$CHECK_BAD"; cp -r "$ROOT/tests/bad/_base" "$CHECK_BAD"
cp "$ROOT/tests/bad/missing-link/content/cases/bad.md" "$CHECK_BAD/content/cases/"
run_formidl "$OUT/check-bad" check "$CHECK_BAD"
if [ $rc -eq 1 ] && grep -qx "$CHECK_BAD/content/cases/bad.md:9:4: error: link to \"../guides/findes-ikke.md#trin\" does not resolve: no such page" "$OUT/check-bad.out" \
   && grep -q '^Sitet kunne ikke bygges' "$OUT/check-bad.err"; then
    pass "check: reports what the build reports (exit 1)"
else fail "check: reports what the build reports (exit $rc)" "$(cat "$OUT/check-bad.out" "$OUT/check-bad.err")"; fi

run_formidl "$OUT/check-good" check "$ROOT/tests/sites/basic/input"
if [ $rc -eq 0 ] && ! grep -q ': error: ' "$OUT/check-good.out"; then
    pass "check: the basic golden site has no errors"
else fail "check: the basic golden site has no errors (exit $rc)" "$(cat "$OUT/check-good.out")"; fi

run_formidl "$OUT/check-usage1" check --format xml "$FAULTS"
run1=$rc
run_formidl "$OUT/check-usage2" check --bogus
if [ $run1 -eq 2 ] && [ $rc -eq 2 ] && grep -q -- '--format must be text or json' "$OUT/check-usage1.err"; then
    pass "check: usage errors exit 2"
else fail "check: usage errors exit 2 ($run1, $rc)"; fi

# ---- manual page and install ---------------------------------------------
MAN="$ROOT/doc/formidl.1"
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww "$MAN" 2>&1 >/dev/null)
elif command -v man >/dev/null 2>&1; then
    warn=$(man --warnings -l "$MAN" 2>&1 >/dev/null)
else
    warn="neither groff nor man is installed"
fi
if [ -z "$warn" ]; then pass "formidl.1 renders without warnings"; else fail "formidl.1 renders without warnings" "$warn"; fi

missing=""
for w in 'formidl build' 'formidl serve' 'formidl new' 'formidl check' 'formidl help' \
         '\\-\\-output' '\\-\\-base\\-url' '\\-\\-drafts' '\\-\\-future' '\\-\\-jobs' '\\-\\-quiet' \
         '\\-\\-verbose' '\\-\\-port' '\\-\\-bind' '\\-\\-format' '\\-\\-external' '\\-\\-version' \
         'EXIT STATUS' 'SOURCE_DATE_EPOCH' 'FRONT MATTER'; do
    grep -q -- "$w" "$MAN" || missing+="$w "
done
# every front-matter field of content.c's table
for f in $(sed -n '/^static const field_spec fields\[\]/,/^};/p' "$ROOT/src/content.c" | grep -o '^    {"[a-z_]*"' | tr -d ' {"'); do
    grep -q "\\b$f\\b" "$MAN" || missing+="field:$f "
done
if [ -z "$missing" ]; then pass "formidl.1 documents every command, option and field"
else fail "formidl.1 documents every command, option and field" "missing: $missing"; fi

rm -rf "$OUT/inst"
if make -s -C "$ROOT" install DESTDIR="$OUT/inst" PREFIX=/usr > "$OUT/install.log" 2>&1 \
   && [ -x "$OUT/inst/usr/bin/formidl" ] && cmp -s "$OUT/inst/usr/share/man/man1/formidl.1" "$MAN" \
   && "$OUT/inst/usr/bin/formidl" --version > /dev/null; then
    pass "make install DESTDIR=… PREFIX=/usr installs formidl and formidl.1"
else fail "make install DESTDIR=… PREFIX=/usr" "$(cat "$OUT/install.log"; find "$OUT/inst" 2>&1)"; fi
