# tests/sites.sh - whole-site golden tests.  Each tests/sites/<case>/ has
# input/ (a site), expected/ (the exact output tree) and optionally args
# (extra build arguments, one line).  Sourced by tests/run.sh.
#
# To accept a deliberate change of output: UPDATE_GOLDEN=1 make test.

for dir in "$ROOT"/tests/sites/*/; do
    [ -d "$dir/input" ] || continue
    name=$(basename "$dir")
    args=()
    [ -f "$dir/args" ] && read -r -a args < "$dir/args"
    got="$OUT/sites/$name"
    mkdir -p "$OUT/sites"
    run_formidl "$OUT/sites-$name" build "$dir/input" -o "$got" -q "${args[@]}"
    if [ $rc -ne 0 ]; then
        fail "site $name: build failed (exit $rc)" "$(cat "$OUT/sites-$name.err")"
        continue
    fi
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        rm -rf "$dir/expected"; cp -r "$got" "$dir/expected"
    fi
    if d=$(diff -r -u "$dir/expected" "$got" 2>&1); then
        pass "site $name"
    else
        fail "site $name: output differs from expected/" "$d"
    fi
done
