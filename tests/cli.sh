# tests/cli.sh - command line: version, help, usage errors, refused output
# folders.  Sourced by tests/run.sh.

run_formidl "$OUT/cli-version" --version
if [ $rc -eq 0 ] && grep -qx 'formidl [0-9]*\.[0-9]*\.[0-9]*' "$OUT/cli-version.out"; then
    pass "cli --version"
else fail "cli --version (exit $rc)" "$(cat "$OUT/cli-version.out")"; fi

run_formidl "$OUT/cli-help" help
if [ $rc -eq 0 ] && grep -q 'build \[SITE\]' "$OUT/cli-help.out"; then
    pass "cli help"
else fail "cli help (exit $rc)"; fi

expect_usage() { # name, expected stderr text, args...
    local name=$1 want=$2; shift 2
    run_formidl "$OUT/cli-$name" "$@"
    if [ $rc -eq 2 ] && grep -qF -- "$want" "$OUT/cli-$name.err"; then
        pass "cli $name"
    else fail "cli $name: want exit 2 and \"$want\", got exit $rc" "$(cat "$OUT/cli-$name.err")"; fi
}
expect_usage no-command "Brug: formidl" 
expect_usage unknown-command 'unknown command "bogus"' bogus
expect_usage unknown-option 'unknown option "--bogus"' build --bogus
expect_usage bad-jobs '-j needs a number from 1 to 256' build -j 0
expect_usage missing-output '-o needs a folder' build -o

# Output folders that would destroy something are refused (exit 2), and
# nothing is written or removed.
CLI_SITE="$OUT/cli-site"
cp -r "$ROOT/tests/bad/_base" "$CLI_SITE"
expect_usage out-root 'refusing to use / as the output folder' build "$CLI_SITE" -o /
expect_usage out-site 'it holds the site itself' build "$CLI_SITE" -o "$CLI_SITE"
expect_usage out-parent 'it holds the site itself' build "$CLI_SITE" -o "$OUT"
expect_usage out-content "inside the site's content/ folder" build "$CLI_SITE" -o "$CLI_SITE/content"
expect_usage out-content-sub "inside the site's content/ folder" build "$CLI_SITE" -o "$CLI_SITE/content/x"
HOME_SAVE=$HOME
export HOME="$OUT/cli-home"; mkdir -p "$HOME"
expect_usage out-home 'refusing to use your home folder' build "$CLI_SITE" -o "$HOME"
export HOME=$HOME_SAVE
mkdir -p "$OUT/cli-project/.git"
expect_usage out-project 'it holds .git' build "$CLI_SITE" -o "$OUT/cli-project"
if [ -d "$CLI_SITE/content" ] && [ -f "$CLI_SITE/site.yaml" ] && [ -d "$OUT/cli-project/.git" ]; then
    pass "cli refused folders left untouched"
else fail "cli refused folders left untouched"; fi

# SOURCE_DATE_EPOCH must be a number.
SOURCE_DATE_EPOCH=abc run_formidl "$OUT/cli-sde" build "$CLI_SITE" -o "$OUT/cli-sde-out"
if [ $rc -eq 2 ] && grep -q 'SOURCE_DATE_EPOCH' "$OUT/cli-sde.err"; then
    pass "cli bad SOURCE_DATE_EPOCH"
else fail "cli bad SOURCE_DATE_EPOCH (exit $rc)"; fi

# A good build into a fresh folder: exit 0 and the Danish summary line.
run_formidl "$OUT/cli-ok" build "$CLI_SITE" -o "$OUT/cli-ok-out"
if [ $rc -eq 0 ] && grep -qE '^Byggede [0-9]+ sider \([0-9]+ filer, 0 uændrede\) på [0-9]+ ms → .*/cli-ok-out/$' "$OUT/cli-ok.out"; then
    pass "cli build summary"
else fail "cli build summary (exit $rc)" "$(cat "$OUT/cli-ok.out" "$OUT/cli-ok.err")"; fi

run_formidl "$OUT/cli-quiet" build -q "$CLI_SITE" -o "$OUT/cli-quiet-out"
if [ $rc -eq 0 ] && [ ! -s "$OUT/cli-quiet.out" ] && [ ! -s "$OUT/cli-quiet.err" ]; then
    pass "cli -q prints nothing on success"
else fail "cli -q prints nothing on success (exit $rc)"; fi
