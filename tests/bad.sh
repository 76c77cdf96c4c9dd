# tests/bad.sh - bad input.  Each tests/bad/<case>/ holds the files that
# differ from the valid site in tests/bad/_base/ and a file `expect`:
#   line 1:   the exit status
#   the rest: lines that stderr must contain, each exactly (whole line)
# Every case also checks that a previously published output folder is left
# byte for byte as it was and that no staging folder is left behind.
# Sourced by tests/run.sh.

for dir in "$ROOT"/tests/bad/*/; do
    name=$(basename "$dir")
    [ "$name" = _base ] && continue
    site="$OUT/bad/$name/site"
    rm -rf "$OUT/bad/$name"; mkdir -p "$OUT/bad/$name"
    cp -r "$ROOT/tests/bad/_base" "$site"
    (cd "$dir" && find . -type f ! -name expect ! -name generate -print0 | while IFS= read -r -d '' f; do
        mkdir -p "$site/$(dirname "$f")"; cp "$f" "$site/$f"; done)
    # Some inputs are made by a script (huge or binary files).
    [ -x "$dir/generate" ] && (cd "$site" && "$dir/generate")
    pub="$OUT/bad/$name/public"
    mkdir -p "$pub/old"; echo "published before" > "$pub/old/index.html"
    want_status=$(head -n 1 "$dir/expect")
    start=$(date +%s%N)
    run_formidl "$OUT/bad/$name/run" build "$site" -o "$pub"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    problems=""
    [ "$rc" = "$want_status" ] || problems+="exit status $rc, want $want_status"$'\n'
    while IFS= read -r line; do
        [ -z "$line" ] && continue
        line=${line//@SITE@/$site}
        grep -qxF -- "$line" "$OUT/bad/$name/run.err" || problems+="missing line: $line"$'\n'
    done < <(tail -n +2 "$dir/expect")
    [ "$(cat "$pub/old/index.html" 2>/dev/null)" = "published before" ] && [ "$(ls "$pub")" = old ] \
        || problems+="the published folder was changed"$'\n'
    ls -a "$OUT/bad/$name" | grep -q staging && problems+="a staging folder was left behind"$'\n'
    [ $ms -lt 5000 ] || problems+="took $ms ms (limit 5000)"$'\n'
    if [ -z "$problems" ]; then
        pass "bad $name"
    else
        fail "bad $name" "$problems--- stderr:
$(cat "$OUT/bad/$name/run.err")"
    fi
done
