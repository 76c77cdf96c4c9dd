#!/bin/bash
# tests/run.sh - run every test and end with "N passed, N failed".
#
# Called by `make test` after it has built build/formidl-san (formidl with
# AddressSanitizer and UndefinedBehaviorSanitizer), the unit-test programs
# and the Mustache spec runner.  Each group adds to the totals:
#   unit      tests/unit/test_*.c, one program each
#   spec      the official Mustache spec files in ../shared/mustache-spec
#             (skipped, and said so, when that folder is absent)
#   cli       command-line behaviour and exit statuses
#   sites     whole-site golden tests: tests/sites/<case>/{input,expected}
#   bad       bad input: tests/bad/<case>/ overlaid on tests/bad/_base/
#   sample    the bundled sample site: builds cleanly and deterministically
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/tests/out"
BIN="$ROOT/build/formidl-san"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"
export SOURCE_DATE_EPOCH=1795000000   # 2026-11-18, fixed for every test
rm -rf "$OUT"
mkdir -p "$OUT"

passed=0
failed=0
pass() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /' | head -40; return 0; }

# ---- unit tests and the Mustache spec -------------------------------------
add_counts() { # $1 name, $2 output file, $3 exit status
    local line p f
    line=$(tail -n 1 "$2")
    if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
        passed=$((passed + p)); failed=$((failed + f))
        if [ "$f" -gt 0 ] || [ "$3" -ne 0 ]; then
            echo "FAIL $1 (exit $3)"; grep -v '^ok' "$2" | head -60
            [ "$f" -eq 0 ] && failed=$((failed + 1))
        fi
        echo "$1: $p passed, $f failed"
    else
        fail "$1 did not finish (exit $3)" "$(tail -n 30 "$2")"
    fi
}

for t in build/tests/test_*; do
    [ -x "$t" ] || continue
    [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" unit "* ]] && continue
    name=$(basename "$t")
    timeout 300 "$t" > "$OUT/$name.log" 2>&1
    add_counts "unit/$name" "$OUT/$name.log" $?
done

SPEC="$ROOT/../shared/mustache-spec"
if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" spec "* ]]; then
    :
elif [ -d "$SPEC" ]; then
    timeout 300 build/tests/mustache_spec "$SPEC" > "$OUT/mustache_spec.log" 2>&1
    add_counts "mustache spec ($SPEC)" "$OUT/mustache_spec.log" $?
else
    echo "mustache spec: $SPEC not found, skipped (the unit tests cover the engine)"
fi

# ---- helpers for whole-program tests --------------------------------------
# run_formidl LOG ARGS...: run the sanitizer build; status in $rc.
run_formidl() {
    local log=$1; shift
    timeout 300 "$BIN" "$@" > "$log.out" 2> "$log.err"
    rc=$?
    if grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log.err"; then
        rc=97
    fi
}

# ONLY="serve sample" runs just those groups (while working on them).
group() {
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $1 "* ]]; then return; fi
    . "$ROOT/tests/$1.sh"
}
group cli
group sites
group collation
group bad
group sample
group new_check
group serve
if [ -n "${SKIP_E2E:-}" ]; then
    echo "e2e: skipped (SKIP_E2E is set)"
else
    group e2e
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
