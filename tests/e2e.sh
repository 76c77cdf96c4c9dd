# tests/e2e.sh - end-to-end tests of the built sample site with real
# clients.  Sourced by tests/run.sh (uses ROOT, OUT, run_formidl, pass, fail).
#   vnu     the Nu Html Checker (npm vnu-jar, run with Debian's Java) on
#           every HTML file of the site, redirect pages included: one check
#           per page
#   a11y    tests/e2e/a11y.js in Debian's Chromium (npm playwright-core):
#           axe-core at 1280 and 375 px with screenshots, reflow at 320 px,
#           page loads, print media and PDF
# The site is built with --base-url http://127.0.0.1:PORT/<base path>/ into
# $OUT/e2e-site and served by tests/e2e/serve.js.  Screenshots end up in
# tests/out/screenshots/, axe results in tests/out/axe/, the PDF in tests/out/.
# The npm packages are pinned in tests/e2e/package-lock.json and installed
# with `npm ci --ignore-scripts` when tests/e2e/node_modules lacks them.

e2e_secs() { # $1 $2: nanosecond clock readings -> "12.3"
    local ds=$(( ($2 - $1) / 100000000 ))
    echo "$((ds / 10)).$((ds % 10))"
}

e2e_run() {
    local e2e="$ROOT/tests/e2e" missing="" t0 t1 t2 port base site
    local vnu_log="$OUT/e2e-vnu.log" vnu_rc f rel errs n_pages=0 n_bad=0 other

    command -v java >/dev/null 2>&1 || missing+=" default-jre-headless"
    [ -x /usr/bin/chromium ] || missing+=" chromium"
    command -v node >/dev/null 2>&1 || missing+=" nodejs"
    command -v npm >/dev/null 2>&1 || missing+=" npm"
    if [ -n "$missing" ] && [ "$(id -u)" = 0 ]; then
        echo "e2e: installing$missing"
        sh "$ROOT/tools/deps.sh" test > "$OUT/e2e-deps.log" 2>&1
        missing=""
        command -v java >/dev/null 2>&1 || missing+=" default-jre-headless"
        [ -x /usr/bin/chromium ] || missing+=" chromium"
        command -v node >/dev/null 2>&1 || missing+=" nodejs"
        command -v npm >/dev/null 2>&1 || missing+=" npm"
    fi
    if [ -n "$missing" ]; then
        fail "e2e: Java, Chromium, Node.js and npm are installed" \
             "missing:$missing - run as root: apt-get install -y --no-install-recommends$missing (or: make test-deps as root)"
        return
    fi

    # npm packages, exactly the locked versions.
    if ! (cd "$e2e" && node -e '
        const deps = require("./package.json").dependencies;
        for (const [name, want] of Object.entries(deps)) {
            const have = require("./node_modules/" + name + "/package.json").version;
            if (have !== want) process.exit(1);
        }' >/dev/null 2>&1); then
        echo "e2e: npm ci --ignore-scripts in tests/e2e"
        if ! (cd "$e2e" && npm ci --ignore-scripts --no-audit --no-fund) > "$OUT/e2e-npm.log" 2>&1; then
            fail "e2e: npm ci --ignore-scripts in tests/e2e" "$(tail -n 20 "$OUT/e2e-npm.log")"
            return
        fi
    fi

    # A free port on 127.0.0.1 for the test server, known before the build.
    port=$(node -e 'const s = require("net").createServer();
        s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
    # The base path of site.yaml's base_url ("/kerneopgave/").
    base=$(sed -n 's/^base_url:[[:space:]]*"\{0,1\}\([^"#[:space:]]*\).*/\1/p' "$ROOT/site.yaml" \
           | sed 's,^[a-z]*://[^/]*,,')
    case "$base" in /*/) ;; /*) base="$base/" ;; *) base="/" ;; esac
    site="$OUT/e2e-site"
    run_formidl "$OUT/e2e-build" build "$ROOT" -o "$site" --base-url "http://127.0.0.1:$port$base"
    if [ $rc -ne 0 ]; then
        fail "e2e: sample site builds with --base-url http://127.0.0.1:$port$base (exit $rc)" \
             "$(cat "$OUT/e2e-build.err")"
        return
    fi

    # ---- Nu Html Checker: every page in one JVM run ----
    local -a pages=()
    mapfile -t pages < <(find "$site" -name '*.html' -type f | LC_ALL=C sort)
    t0=$(date +%s%N)
    timeout 150 java -Xss8m -Xmx1g -jar "$e2e/node_modules/vnu-jar/build/dist/vnu.jar" \
        --errors-only --format gnu "${pages[@]}" > "$vnu_log" 2>&1
    vnu_rc=$?
    t1=$(date +%s%N)
    if [ $vnu_rc -gt 1 ]; then
        fail "e2e: vnu ran (exit $vnu_rc)" "$(tail -n 20 "$vnu_log")"
    else
        for f in "${pages[@]}"; do
            rel=${f#"$site"/}
            n_pages=$((n_pages + 1))
            errs=$(grep -F "\"file:$f\":" "$vnu_log" | sed "s|^\"file:$site/\([^\"]*\)\":|\1:|")
            if [ -z "$errs" ]; then pass "vnu $rel"
            else n_bad=$((n_bad + 1)); fail "vnu $rel" "$errs"; fi
        done
        # Anything vnu said that names no page (it crashed, or could not read one).
        other=$(grep -v -F "\"file:$site/" "$vnu_log" | grep -v -e '^[[:space:]]*$' -e '^Picked up ')
        if [ -n "$other" ]; then fail "e2e: vnu output names a page" "$other"; fi
        if [ $vnu_rc -eq 1 ] && [ $n_bad -eq 0 ] && [ -z "$other" ]; then
            fail "e2e: vnu exit status 1 explained" "$(tail -n 20 "$vnu_log")"
        fi
    fi
    echo "e2e: vnu checked $n_pages pages, $n_bad with errors, in $(e2e_secs "$t0" "$t1") s"

    # ---- Chromium: axe, reflow, screenshots, print ----
    rm -f "$OUT/e2e-results.txt"
    timeout 200 node "$e2e/a11y.js" --site "$site" --base "$base" --port "$port" --out "$OUT" \
        > "$OUT/e2e-a11y.log" 2>&1
    local a11y_rc=$? line name details="" state=""
    t2=$(date +%s%N)
    if [ ! -s "$OUT/e2e-results.txt" ]; then
        fail "e2e: browser tests ran (exit $a11y_rc)" "$(grep -v 'unexpected operator' "$OUT/e2e-a11y.log" | tail -n 30)"
        return
    fi
    # "@@ ok NAME" / "@@ fail NAME" lines, each followed by its details.
    e2e_flush() {
        case "$state" in
        ok) pass "$name" ;;
        fail) fail "$name" "${details%$'\n'}" ;;
        esac
        state=""; details=""
    }
    while IFS= read -r line; do
        case "$line" in
        "@@ ok "*) e2e_flush; state=ok; name=${line#"@@ ok "} ;;
        "@@ fail "*) e2e_flush; state=fail; name=${line#"@@ fail "} ;;
        *) details+="${line#   }"$'\n' ;;
        esac
    done < "$OUT/e2e-results.txt"
    e2e_flush
    if [ $a11y_rc -ne 0 ]; then
        fail "e2e: browser tests finished (exit $a11y_rc)" "$(grep -v 'unexpected operator' "$OUT/e2e-a11y.log" | tail -n 30)"
    fi
    echo "e2e: browser tests (axe, reflow, print) in $(e2e_secs "$t1" "$t2") s; screenshots in $OUT/screenshots/"

    # ---- Chromium: the search page ("børn", then "aeldre" finds "ældre") ----
    timeout 200 node "$e2e/search.js" --site "$site" --base "$base" \
        > "$OUT/e2e-search.log" 2>&1
    local search_rc=$?
    while IFS= read -r line; do
        case "$line" in
        "ok "*) pass "e2e search: ${line#ok }" ;;
        "FAIL "*) fail "e2e search: ${line#FAIL }" ;;
        esac
    done < "$OUT/e2e-search.log"
    if [ $search_rc -ne 0 ] || ! tail -n 1 "$OUT/e2e-search.log" | grep -qE '^[0-9]+ passed, 0 failed$'; then
        fail "e2e search: finished cleanly (exit $search_rc)" "$(tail -n 20 "$OUT/e2e-search.log")"
    fi
}
e2e_run
