# tests/serve.sh - `formidl serve` with curl: pages, feeds and their types,
# folders, 404, HEAD, byte ranges, path traversal and symbolic links out of
# the output, rebuilds on change within 1 s, a broken page (last good site
# kept, errors in the terminal and on /__formidl/events), new folders
# watched, a site that starts broken, SIGTERM and SIGINT (exit 0, temporary
# output removed, no sanitizer report).  Sourced by tests/run.sh (uses ROOT,
# OUT, BIN, pass, fail).  SERVE_BIN overrides the program; without it the
# tests are skipped until src/main.c dispatches "serve".
#
# The server is started with --port 0 and the port read from its
# "Serverer … på http://127.0.0.1:PORT/test/" line, so tests never race for
# a port.  Every server started here is stopped again, also on failure.

srv_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# srv_get URL [curl options...]: fetch into $SRV_D/body and $SRV_D/head;
# prints "CODE CONTENT-TYPE".
srv_get() {
    local url=$1; shift
    curl -s --max-time 5 --path-as-is -D "$SRV_D/head" -o "$SRV_D/body" \
        -w '%{http_code} %{content_type}' "$@" "$url"
}

# srv_header NAME: the value of a response header from the last srv_get.
srv_header() {
    grep -i "^$1:" "$SRV_D/head" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r'
}

# srv_until MS CMD...: run CMD every 20 ms until it succeeds or MS pass;
# sets srv_took to the milliseconds it took.
srv_until() {
    local limit=$1 t0 now; shift
    t0=$(srv_ms)
    while :; do
        if "$@"; then srv_took=$(( $(srv_ms) - t0 )); return 0; fi
        now=$(srv_ms)
        if [ $(( now - t0 )) -ge "$limit" ]; then srv_took=$(( now - t0 )); return 1; fi
        sleep 0.02
    done
}

srv_page_has() { # URL TEXT
    curl -s --max-time 2 "$1" 2>/dev/null | grep -qF -- "$2"
}

# srv_sse_start URL FILE: open an event stream in the background (curl -N)
# and wait for its greeting.  srv_sse_wait FILE PATTERN MS: wait for a line
# in it, then close the stream.
srv_sse_start() {
    curl -s -N --max-time 10 "$1" > "$2" 2>/dev/null &
    srv_sse_pid=$!
    srv_until 5000 grep -q '^: formidl serve' "$2"
}
srv_sse_wait() {
    local r
    srv_until "$3" grep -q -- "$2" "$1"; r=$?
    kill "$srv_sse_pid" 2>/dev/null; wait "$srv_sse_pid" 2>/dev/null
    return $r
}

srv_sanitizer() { # LOG: any sanitizer report?
    grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$1"
}

# srv_start NAME SITE ARGS...: start a server; sets srv_pid, srv_url
# (http://127.0.0.1:PORT), srv_log.  Returns 1 when it did not come up.
srv_start() {
    local name=$1 site=$2; shift 2
    srv_log="$SRV_D/$name"
    mkdir -p "$SRV_D/tmp-$name"
    TMPDIR="$SRV_D/tmp-$name" "$SERVE_BIN" serve "$site" --port 0 "$@" \
        > "$srv_log.out" 2> "$srv_log.err" &
    srv_pid=$!
    SRV_PIDS+=" $srv_pid"
    srv_url=""
    local line
    if srv_until 60000 grep -q '^Serverer ' "$srv_log.out"; then
        line=$(grep '^Serverer ' "$srv_log.out")
        srv_url=$(printf '%s\n' "$line" | grep -o 'http://127\.0\.0\.1:[0-9]*' | head -n 1)
    fi
    [ -n "$srv_url" ] && srv_until 10000 curl -s -o /dev/null --max-time 1 "$srv_url/"
}

# srv_stop SIGNAL: stop the server; sets srv_rc and srv_stop_ms.
srv_stop() {
    local t0=$(srv_ms) i
    kill -"$1" "$srv_pid" 2>/dev/null
    for i in $(seq 1 500); do
        kill -0 "$srv_pid" 2>/dev/null || break
        sleep 0.01
    done
    if kill -0 "$srv_pid" 2>/dev/null; then
        kill -KILL "$srv_pid" 2>/dev/null
    fi
    wait "$srv_pid" 2>/dev/null
    srv_rc=$?
    srv_stop_ms=$(( $(srv_ms) - t0 ))
    SRV_PIDS=${SRV_PIDS/ $srv_pid/}
}

# srv_run LOG ARGS...: like run_formidl, with $SERVE_BIN; status in $rc.
srv_run() {
    local log=$1; shift
    timeout 60 "$SERVE_BIN" "$@" > "$log.out" 2> "$log.err"
    rc=$?
    if srv_sanitizer "$log.err"; then rc=97; fi
}

srv_cleanup() {
    local p
    for p in $SRV_PIDS; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    SRV_PIDS=""
}

serve_tests() {
    local site="$SRV_D/site" code ctype u body want got size out_dir bad cr
    local ok_md="$SRV_D/site/content/cases/ok.md" sse t0 base line

    cp -r "$ROOT/tests/bad/_base" "$site"
    mkdir -p "$site/assets/css"
    printf 'body { color: #123; }\n/* formidl serve test */\n' > "$site/assets/css/site.css"
    # a page folder with its own audio file (bytes 0..255 four times)
    mkdir -p "$site/content/cases/lyd"
    printf -- '---\ntitle: "Lyd"\ndate: 2020-06-01\ntracks: [borgerkontakt]\nmunicipality: "Aarhus Kommune"\n---\n\nHør [lyden](lyd.mp3).\n' \
        > "$site/content/cases/lyd/index.md"
    python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)' > "$site/content/cases/lyd/lyd.mp3"

    if ! srv_start main "$site"; then
        fail "serve starts and answers" "$(cat "$srv_log.out" "$srv_log.err" 2>/dev/null | head -30)"
        srv_cleanup; return
    fi
    line=$(grep '^Serverer ' "$srv_log.out")
    if [[ "$line" =~ ^Serverer\ \"Testsite\"\ på\ http://127\.0\.0\.1:[0-9]+/test/\ \(Ctrl\+C\ stopper\)$ ]] \
       && grep -qE '^Byggede [0-9]+ sider \([0-9]+ filer\) på [0-9]+ ms$' "$srv_log.out"; then
        pass "serve prints the build and its address"
    else fail "serve prints the build and its address" "$(cat "$srv_log.out")"; fi
    base="$srv_url/test"
    out_dir=$(ls -d "$SRV_D"/tmp-main/formidl-serve-*/public 2>/dev/null | head -n 1)

    # ---- pages, feeds, types ------------------------------------------------
    read -r code ctype < <(srv_get "$base/")
    if [ "$code" = 200 ] && [ "$ctype" = "text/html; charset=utf-8" ] \
       && grep -q '<h1>Testsite</h1>' "$SRV_D/body" \
       && grep -q '<script src="/__formidl/live.js" data-gen="[0-9]*"></script>' "$SRV_D/body" \
       && [ "$(grep -n '__formidl' "$SRV_D/body" | cut -d: -f1)" -lt "$(grep -n '</body>' "$SRV_D/body" | cut -d: -f1)" ]; then
        pass "serve home page (200, text/html, live-reload script before </body>)"
    else fail "serve home page: $code $ctype" "$(head -c 600 "$SRV_D/body")"; fi

    if [ -n "$out_dir" ] && [ -f "$out_dir/index.html" ] && ! grep -q __formidl "$out_dir/index.html"; then
        pass "serve injects the script into responses only, not into the files"
    else fail "serve injects the script into responses only ($out_dir)"; fi

    read -r code ctype < <(srv_get "$base/praksis/ok/")
    if [ "$code" = 200 ] && grep -q '<h1>Et godt eksempel</h1>' "$SRV_D/body" \
       && grep -q 'href="/test/vaerktoejer/g/"' "$SRV_D/body"; then
        pass "serve a page"
    else fail "serve a page: $code" "$(head -c 600 "$SRV_D/body")"; fi

    read -r code ctype < <(srv_get "$base/feed.xml")
    if [ "$code" = 200 ] && [ "$ctype" = "application/rss+xml; charset=utf-8" ] \
       && grep -q '<rss' "$SRV_D/body" && grep -qF "<link>$srv_url/test/praksis/ok/</link>" "$SRV_D/body"; then
        pass "serve /feed.xml (application/rss+xml, links on the server's address)"
    else fail "serve /feed.xml: $code $ctype" "$(head -c 800 "$SRV_D/body")"; fi

    read -r code ctype < <(srv_get "$base/atom.xml")
    if [ "$code" = 200 ] && [ "$ctype" = "application/atom+xml; charset=utf-8" ]; then
        pass "serve atom.xml as application/atom+xml"
    else fail "serve atom.xml: $code $ctype"; fi

    read -r code ctype < <(srv_get "$base/assets/css/site.css")
    if [ "$code" = 200 ] && [ "$ctype" = "text/css; charset=utf-8" ] && cmp -s "$SRV_D/body" "$site/assets/css/site.css"; then
        pass "serve a CSS file byte for byte"
    else fail "serve a CSS file: $code $ctype"; fi

    read -r code ctype < <(srv_get "$srv_url/__formidl/live.js")
    if [ "$code" = 200 ] && [ "$ctype" = "text/javascript; charset=utf-8" ] \
       && grep -q "new EventSource('/__formidl/events'" "$SRV_D/body" && grep -q "role', 'alert'" "$SRV_D/body"; then
        pass "serve /__formidl/live.js"
    else fail "serve /__formidl/live.js: $code $ctype"; fi

    # ---- folders, 404, HEAD, methods -------------------------------------------
    read -r code ctype < <(srv_get "$base/praksis/ok")
    got=$(srv_header Location)
    read -r want ctype < <(srv_get "$srv_url/")
    if [ "$code" = 302 ] && [ "$got" = /test/praksis/ok/ ] && [ "$want" = 302 ] && [ "$(srv_header Location)" = /test/ ]; then
        pass "serve redirects a folder to its address with /"
    else fail "serve redirects a folder: $code $got; /: $want $(srv_header Location)"; fi

    read -r code ctype < <(srv_get "$base/findes/ikke/")
    if [ "$code" = 404 ] && [ "$ctype" = "text/html; charset=utf-8" ] && [ -f "$out_dir/404.html" ] \
       && grep -q "$(grep -o '<title>[^<]*</title>' "$out_dir/404.html")" "$SRV_D/body" && grep -q __formidl "$SRV_D/body"; then
        pass "serve answers a missing page with the site's 404.html and status 404"
    else fail "serve 404: $code $ctype" "$(head -c 400 "$SRV_D/body")"; fi

    read -r code ctype < <(srv_get "$base/assets/css/site.css" -I)   # -I: the head goes to body too
    size=$(wc -c < "$site/assets/css/site.css")
    if [ "$code" = 200 ] && [ "$(srv_header Content-Length)" = "$size" ] && ! grep -q "color" "$SRV_D/body"; then
        pass "serve HEAD"
    else fail "serve HEAD: $code, Content-Length $(srv_header Content-Length)"; fi

    read -r code ctype < <(srv_get "$base/" -X POST -d x=1)
    if [ "$code" = 405 ] && [ "$(srv_header Allow)" = "GET, HEAD" ]; then
        pass "serve refuses POST with 405"
    else fail "serve refuses POST: $code"; fi

    # ---- byte ranges ----------------------------------------------------------------
    read -r code ctype < <(srv_get "$base/assets/css/site.css" -H 'Range: bytes=0-9')
    if [ "$code" = 206 ] && [ "$(srv_header Content-Range)" = "bytes 0-9/$size" ] \
       && [ "$(wc -c < "$SRV_D/body")" = 10 ] && [ "$(cat "$SRV_D/body")" = "$(head -c 10 "$site/assets/css/site.css")" ]; then
        pass "serve Range bytes=0-9 (206, Content-Range, 10 bytes)"
    else fail "serve Range bytes=0-9: $code $(srv_header Content-Range)" "$(cat "$SRV_D/body")"; fi

    read -r code ctype < <(srv_get "$base/praksis/lyd/lyd.mp3" -H 'Range: bytes=300-555')
    if [ "$code" = 206 ] && [ "$ctype" = audio/mpeg ] && [ "$(srv_header Content-Range)" = "bytes 300-555/1024" ] \
       && cmp -s "$SRV_D/body" <(tail -c +301 "$site/content/cases/lyd/lyd.mp3" | head -c 256); then
        pass "serve Range in an audio file of a page folder (seeking)"
    else fail "serve Range in audio: $code $ctype $(srv_header Content-Range)"; fi

    bad=""
    read -r code ctype < <(srv_get "$base/praksis/lyd/lyd.mp3" -H 'Range: bytes=1000-')
    [ "$code" = 206 ] && [ "$(srv_header Content-Range)" = "bytes 1000-1023/1024" ] || bad+="bytes=1000-: $code $(srv_header Content-Range); "
    read -r code ctype < <(srv_get "$base/praksis/lyd/lyd.mp3" -H 'Range: bytes=-24')
    [ "$code" = 206 ] && [ "$(srv_header Content-Range)" = "bytes 1000-1023/1024" ] && [ "$(wc -c < "$SRV_D/body")" = 24 ] || bad+="bytes=-24: $code $(srv_header Content-Range); "
    read -r code ctype < <(srv_get "$base/praksis/lyd/lyd.mp3" -H 'Range: bytes=1000-5000')
    [ "$code" = 206 ] && [ "$(srv_header Content-Range)" = "bytes 1000-1023/1024" ] || bad+="bytes=1000-5000: $code; "
    read -r code ctype < <(srv_get "$base/praksis/lyd/lyd.mp3" -H 'Range: bytes=1024-')
    [ "$code" = 416 ] && [ "$(srv_header Content-Range)" = "bytes */1024" ] || bad+="bytes=1024-: $code $(srv_header Content-Range); "
    read -r code ctype < <(srv_get "$base/praksis/lyd/lyd.mp3" -H 'Range: bytes=0-1,5-6')
    [ "$code" = 200 ] && [ "$(wc -c < "$SRV_D/body")" = 1024 ] || bad+="two ranges: $code; "
    if [ -z "$bad" ]; then pass "serve Range forms (a-, -n, past the end, unsatisfiable 416, several)"
    else fail "serve Range forms" "$bad"; fi

    # ---- traversal and symbolic links ---------------------------------------------
    bad=""
    for u in '/../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/..%2f..%2fetc%2fpasswd' \
             '/test/../../etc/passwd' '/test/%2E%2E/%2E%2E/etc/passwd' '/test/..%2f..%2f..%2fetc%2fpasswd' \
             '/test/.%2e/.%2e/etc/passwd' '/test/..%5c..%5cetc%5cpasswd' '/test/index.html%00.css' \
             '/test/./index.html' '/test/%zz'; do
        read -r code ctype < <(srv_get "$srv_url$u")
        if ! { [ "$code" = 400 ] || [ "$code" = 404 ]; } || grep -q 'root:' "$SRV_D/body"; then
            bad+="$u -> $code"$'\n'
        fi
    done
    if [ -z "$bad" ]; then pass "serve refuses path traversal (.., %2e%2e, %2f, %5c, %00) with 400/404"
    else fail "serve refuses path traversal" "$bad"; fi

    if [ -n "$out_dir" ]; then
        ln -s /etc/passwd "$out_dir/passwd.html"
        ln -s /etc "$out_dir/etc"
        ln -s praksis "$out_dir/inde"
        bad=""
        for u in /test/passwd.html /test/etc/passwd /test/etc/; do
            read -r code ctype < <(srv_get "$srv_url$u")
            if [ "$code" != 404 ] || grep -q 'root:' "$SRV_D/body"; then bad+="$u -> $code; "; fi
        done
        read -r code ctype < <(srv_get "$base/inde/ok/")
        [ "$code" = 200 ] || bad+="/test/inde/ok/ (a link inside the output) -> $code"
        if [ -z "$bad" ]; then pass "serve does not follow symbolic links out of the output (404)"
        else fail "serve and symbolic links" "$bad"; fi
    else fail "serve: temporary output folder not found under $SRV_D/tmp-main"; fi

    # ---- rebuilds ---------------------------------------------------------------------
    sse="$SRV_D/sse-reload"
    srv_sse_start "$srv_url/__formidl/events" "$sse"
    sed -i 's/Mere tid til borgeren/Mere tid til naboen/' "$ok_md"
    if srv_until 1000 srv_page_has "$base/praksis/ok/" "Mere tid til naboen"; then
        pass "serve rebuilds on a change: new text served after $srv_took ms (limit 1000)"
    elif srv_until 5000 srv_page_has "$base/praksis/ok/" "Mere tid til naboen"; then
        fail "serve rebuilds on a change: took more than 1000 ms (+$srv_took ms)"
    else fail "serve rebuilds on a change: old text still served" "$(cat "$srv_log.out" "$srv_log.err")"; fi
    echo "serve: rebuild latency (edit to new page served, sanitizer build): $srv_took ms"
    if srv_sse_wait "$sse" '^event: reload$' 2000 && grep -Eq '^Byggede (det ændrede )?igen på [0-9]* ms' "$srv_log.out"; then
        pass "serve sends \"event: reload\" and prints \"Byggede igen\""
    else fail "serve reload event" "$(cat "$sse"; cat "$srv_log.out")"; fi

    # a broken page: the last good site stays, the errors are reported
    sed -i 's/^date: 2020-05-04$/date: 2020-02-30/' "$ok_md"
    want="content/cases/ok.md:3:7: error: invalid date \"2020-02-30\": day 30 does not exist in February 2020"
    if srv_until 5000 grep -q '^Fejl: bygningen fejlede med 1 fejl (det sidste gode site vises stadig)$' "$srv_log.err" \
       && grep -qF "$want" "$srv_log.err"; then
        pass "serve prints the errors of a failed rebuild"
    else fail "serve prints the errors of a failed rebuild" "$(cat "$srv_log.err")"; fi
    read -r code ctype < <(srv_get "$base/praksis/ok/")
    if [ "$code" = 200 ] && grep -q 'Mere tid til naboen' "$SRV_D/body"; then
        pass "serve keeps serving the last good page after a failed rebuild"
    else fail "serve keeps the last good page: $code"; fi
    srv_sse_start "$srv_url/__formidl/events" "$SRV_D/sse-error"
    if srv_sse_wait "$SRV_D/sse-error" "^data: $site/content/cases/ok.md:3:7: error" 2000 \
       && grep -q '^event: error$' "$SRV_D/sse-error" && grep -qF "data: $site/$want" "$SRV_D/sse-error"; then
        pass "serve sends the errors as \"event: error\" on /__formidl/events"
    else fail "serve error event" "$(cat "$SRV_D/sse-error")"; fi

    sed -i 's/^date: 2020-02-30$/date: 2020-05-04/; s/Mere tid til naboen/Mere tid til alle/' "$ok_md"
    if srv_until 5000 srv_page_has "$base/praksis/ok/" "Mere tid til alle"; then
        # a page from before the fix (generation 1) is told to reload at once
        srv_sse_start "$srv_url/__formidl/events?g=1" "$SRV_D/sse-fixed"
        if srv_sse_wait "$SRV_D/sse-fixed" '^event: reload$' 2000 && ! grep -q '^event: error' "$SRV_D/sse-fixed"; then
            pass "serve recovers when the error is fixed"
        else fail "serve recovers: events" "$(cat "$SRV_D/sse-fixed")"; fi
    else fail "serve recovers when the error is fixed" "$(tail -5 "$srv_log.err")"; fi

    # a new folder is watched too
    mkdir -p "$site/content/guides/nye"
    printf -- '---\ntitle: "Ny guide"\ndate: 2020-07-01\ntracks: [borgerkontakt]\n---\n\nFørste udgave.\n' \
        > "$site/content/guides/nye/index.md"
    if srv_until 5000 srv_page_has "$base/vaerktoejer/nye/" "Første udgave" && sleep 0.3 \
       && sed -i 's/Første udgave/Anden udgave/' "$site/content/guides/nye/index.md" \
       && srv_until 5000 srv_page_has "$base/vaerktoejer/nye/" "Anden udgave"; then
        pass "serve watches new folders (page added, then changed)"
    else fail "serve watches new folders" "$(tail -5 "$srv_log.err")"; fi

    # a burst of changes gives few builds
    local before after
    before=$(grep -Ec '^Byggede (det ændrede )?igen' "$srv_log.out")
    for i in 1 2 3 4 5 6 7 8 9 10; do echo "Linje $i." >> "$site/content/guides/g.md"; sleep 0.01; done
    srv_until 5000 srv_page_has "$base/vaerktoejer/g/" "Linje 10." && sleep 0.5
    after=$(grep -Ec '^Byggede (det ændrede )?igen' "$srv_log.out")
    if [ $(( after - before )) -ge 1 ] && [ $(( after - before )) -le 3 ]; then
        pass "serve debounces a burst of 10 writes ($(( after - before )) build(s))"
    else fail "serve debounces a burst: $(( after - before )) builds"; fi

    # usage errors, and a port in use
    local port=${srv_url##*:}
    "$SERVE_BIN" serve "$site" --port "$port" > "$SRV_D/busy.out" 2> "$SRV_D/busy.err" &
    local busy_pid=$!
    SRV_PIDS+=" $busy_pid"
    srv_until 20000 bash -c "! kill -0 $busy_pid 2>/dev/null"
    wait $busy_pid; rc=$?
    SRV_PIDS=${SRV_PIDS/ $busy_pid/}
    if [ $rc = 3 ] && grep -q "cannot listen on 127.0.0.1 port $port" "$SRV_D/busy.err"; then
        pass "serve: a port in use gives exit 3"
    else fail "serve: a port in use: exit $rc" "$(cat "$SRV_D/busy.err")"; fi
    bad=""
    srv_run "$SRV_D/usage1" serve "$site" --port 70000
    [ $rc = 2 ] && grep -q 'from 0 to 65535' "$SRV_D/usage1.err" || bad+="--port 70000: exit $rc; "
    srv_run "$SRV_D/usage2" serve "$site" --bogus
    [ $rc = 2 ] && grep -q 'unknown option "--bogus"' "$SRV_D/usage2.err" || bad+="--bogus: exit $rc; "
    srv_run "$SRV_D/usage3" serve "$site" --bind 999.0.0.1
    [ $rc = 2 ] && grep -q 'cannot use "999.0.0.1"' "$SRV_D/usage3.err" || bad+="--bind 999.0.0.1: exit $rc; "
    srv_run "$SRV_D/usage4" serve "$site" --port 0 -o "$site/content"
    [ $rc = 2 ] && grep -q "inside the site's content/ folder" "$SRV_D/usage4.err" || bad+="-o content: exit $rc; "
    mkdir -p "$SRV_D/nosite"
    srv_run "$SRV_D/usage5" serve "$SRV_D/nosite" --port 0
    [ $rc = 1 ] && grep -q 'site.yaml: error: cannot read the site configuration' "$SRV_D/usage5.err" || bad+="no site.yaml: exit $rc; "
    if [ -z "$bad" ]; then pass "serve usage errors exit 2 (a folder without site.yaml: 1)"
    else fail "serve usage errors" "$bad"; fi

    # ---- stopping -----------------------------------------------------------------------
    srv_sse_start "$srv_url/__formidl/events" "$SRV_D/sse-open"
    srv_stop TERM
    wait "$srv_sse_pid" 2>/dev/null
    if [ "$srv_rc" = 0 ] && [ "$srv_stop_ms" -lt 2000 ]; then
        pass "serve stops on SIGTERM with exit 0 in $srv_stop_ms ms (an event stream open)"
    else fail "serve stops on SIGTERM: exit $srv_rc after $srv_stop_ms ms" "$(tail -20 "$srv_log.err")"; fi
    if [ -z "$(ls -A "$SRV_D/tmp-main")" ] && ! pgrep -f "serve $site --port 0" > /dev/null; then
        pass "serve removes its temporary output and leaves no process behind"
    else fail "serve cleanup" "$(ls -la "$SRV_D/tmp-main"; pgrep -af "serve $site")"; fi
    if ! srv_sanitizer "$srv_log.err"; then
        pass "serve: no sanitizer report"
    else fail "serve: sanitizer report" "$(grep -A20 -E 'ERROR: |runtime error' "$srv_log.err" | head -40)"; fi

    # ---- a site that starts broken, then SIGINT ------------------------------------------
    local site2="$SRV_D/site2"
    cp -r "$ROOT/tests/bad/_base" "$site2"
    sed -i 's/^date: 2020-05-04$/date: 2020-13-04/' "$site2/content/cases/ok.md"
    if srv_start broken "$site2" -o "$SRV_D/broken-public"; then
        read -r code ctype < <(srv_get "$srv_url/test/")
        srv_sse_start "$srv_url/__formidl/events" "$SRV_D/sse-broken"
        srv_sse_wait "$SRV_D/sse-broken" '^data: .*error' 2000
        if [ "$code" = 404 ] && grep -q __formidl "$SRV_D/body" && grep -q '^event: error$' "$SRV_D/sse-broken" \
           && grep -q '^Fejl: bygningen fejlede med [0-9]* fejl (der er endnu intet godt site at vise' "$srv_log.err"; then
            pass "serve starts on a broken site (404 with the error overlay script, event: error)"
        else fail "serve starts on a broken site: $code" "$(cat "$SRV_D/sse-broken" "$srv_log.err")"; fi
        sed -i 's/^date: 2020-13-04$/date: 2020-05-04/' "$site2/content/cases/ok.md"
        if srv_until 5000 srv_page_has "$srv_url/test/praksis/ok/" "Mere tid til borgeren"; then
            pass "serve builds the site once the error is fixed"
        else fail "serve builds the site once the error is fixed" "$(cat "$srv_log.err")"; fi
        # a watched folder that did not exist when the server started
        mkdir -p "$site2/assets/css"; echo 'p { color: red; }' > "$site2/assets/css/ny.css"
        if srv_until 5000 srv_page_has "$srv_url/test/assets/css/ny.css" "red" \
           && echo 'p { color: blue; }' > "$site2/assets/css/ny.css" \
           && srv_until 5000 srv_page_has "$srv_url/test/assets/css/ny.css" "blue"; then
            pass "serve watches a new assets/ folder"
        else fail "serve watches a new assets/ folder" "$(tail -5 "$srv_log.err")"; fi
        srv_stop INT
        if [ "$srv_rc" = 0 ] && [ "$srv_stop_ms" -lt 2000 ] && [ -f "$SRV_D/broken-public/index.html" ] \
           && ! ls -a "$SRV_D" | grep -q staging && ! srv_sanitizer "$srv_log.err"; then
            pass "serve stops on SIGINT with exit 0 and keeps the -o folder"
        else fail "serve stops on SIGINT: exit $srv_rc after $srv_stop_ms ms" "$(ls -a "$SRV_D"; tail -20 "$srv_log.err")"; fi
    else fail "serve starts on a broken site" "$(cat "$srv_log.out" "$srv_log.err" 2>/dev/null | head -30)"; fi
    srv_cleanup
}

# ---- updates: only what an edit affects, and the same bytes as a full build ----
# On a copy of the sample site: after each edit, wait for serve's next
# build line, check which kind of build it was, then build the site afresh
# with the same base URL and compare the two folders byte for byte.
serve_update_tests() {
    local site="$SRV_D/upd-site" pub="$SRV_D/upd-public" fresh="$SRV_D/upd-fresh"
    local n=0 line base kind what
    mkdir -p "$site"
    cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/layouts" "$ROOT/assets" "$site/"
    if ! srv_start upd "$site/" -o "$pub"; then   # (a trailing slash too)
        fail "serve (updates) did not start" "$(cat "$srv_log.err")"; return
    fi
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' "$srv_log.out" | head -n 1)
    n=$(grep -c '^Byggede' "$srv_log.out")
    # upd_check KIND WHAT: after an edit, KIND is "update" or "full"
    upd_check() {
        local want=$1 what=$2 got
        n=$((n + 1))
        if ! srv_until 10000 bash -c "[ \$(grep -c '^Byggede' '$srv_log.out') -ge $n ]"; then
            fail "serve update: $what: no build" "$(tail -5 "$srv_log.out" "$srv_log.err")"; return
        fi
        line=$(grep '^Byggede' "$srv_log.out" | sed -n "${n}p")
        case $line in
            "Byggede det ændrede igen"*) got=update ;;
            *) got=full ;;
        esac
        rm -rf "$fresh"
        run_formidl "$SRV_D/upd-fresh" build "$site" -q --base-url "$base" -o "$fresh"
        if [ "$rc" != 0 ]; then
            fail "serve update: $what: the fresh build failed ($rc)" "$(cat "$SRV_D/upd-fresh.err")"
        elif [ "$got" != "$want" ]; then
            fail "serve update: $what: a $got build, expected $want" "$line"
        elif ! diff -r "$pub" "$fresh" > "$SRV_D/upd.diff" 2>&1; then
            fail "serve update: $what: served folder differs from a full build" "$(head -20 "$SRV_D/upd.diff")"
        else
            pass "serve update: $what ($line), same bytes as a full build"
        fi
    }
    local c="$site/content/cases/esbjerg-borgeren-saetter-dagsordenen.md"
    local g="$site/content/guides/borgerens-egne-maal.md"
    local h="$site/content/cases/holbaek-borgerens-egne-maal.md"
    local pr="$site/content/projects/mere-kerneopgave/index.md"
    local tr="$site/content/tracks/borgerkontakt.md"
    printf '\nEt nyt afsnit om **borgerens** dagsorden med ordet zebrafisk.\n' >> "$c"
    upd_check update "a case's body"
    sed -i 's/^summary: "I et jobcenterteam/summary: "I ET jobcenterteam/' "$c"
    upd_check update "a case's summary"
    sed -i '/^summary:/d' "$g"
    upd_check update "a guide's summary removed (taken from its text)"
    sed -i 's/^title: "Borgeren sætter dagsordenen i jobcentret"/title: "Borgeren sætter selv dagsordenen"/' "$c"
    upd_check update "a case's title (its project, related pages, effects)"
    sed -i 's/^workplace: .*/workplace: "Et andet team"/' "$c"
    upd_check update "a display field changed"
    sed -i '/^workplace: /d' "$c"
    upd_check update "a display field removed"
    printf '\nNy afslutning.\n' >> "$pr"
    upd_check update "a project in a page folder"
    sed -i '/^summary:/d' "$tr"; printf '\nSidste linje i sporet.\n' >> "$tr"
    upd_check update "a track's text and summary"
    printf '\nFælles ændring A.\n' >> "$h"; printf '\nFælles ændring B.\n' >> "$g"
    upd_check update "two pages at once"
    cp "$h" "$site/content/cases/.holbaek.tmp"
    printf '\nGemt som en editor gør.\n' >> "$site/content/cases/.holbaek.tmp"
    mv "$site/content/cases/.holbaek.tmp" "$h"
    upd_check update "saved by renaming a new file over the old"
    printf '\nSe [en side der ikke findes](findes-ikke.md).\n' >> "$h"
    # (a failed build prints no "Byggede" line)
    if srv_until 10000 grep -q 'holbaek-borgerens-egne-maal.md:[0-9]*:[0-9]*: error: link to "findes-ikke.md" does not resolve' "$srv_log.err"; then
        pass "serve update: an error in an edit is reported"
    else fail "serve update: an error in an edit" "$(tail -5 "$srv_log.err")"; fi
    sed -i '$d' "$h"
    upd_check update "the error fixed"
    printf '\n/* en ændring */\n' >> "$site/assets/css/formidl.css"
    upd_check update "a style sheet (copied in place)"
    cp "$site/assets/favicon.svg" "$site/assets/ny.svg"
    upd_check full "an image added under assets/"
    sed -i 's/^tags: \[jobcenter, /tags: [jobcentre, /' "$c"
    upd_check full "a tag changed (lists change)"
    sed -i 's/^title: .*/title: "Styrket borgerkontakt!"/' "$tr"
    upd_check full "a track's title"
    printf -- '---\ntitle: "Helt ny guide"\ndate: 2021-03-01\ntracks: [borgerkontakt]\nsummary: "Ny."\n---\n\nTekst.\n' \
        > "$site/content/guides/helt-ny.md"
    upd_check full "a page added"
    rm "$site/content/guides/helt-ny.md"
    upd_check full "a page removed"
    printf '\nIgen efter en fuld bygning.\n' >> "$c"
    upd_check update "a body edit after full builds"
    srv_stop TERM
    if srv_sanitizer "$srv_log.err"; then
        fail "serve update: sanitizer report" "$(grep -A5 -E 'ERROR|runtime error' "$srv_log.err" | head -30)"
    else pass "serve update: no sanitizer report"; fi
}

if ! command -v curl > /dev/null 2>&1; then
    fail "serve: curl is not installed (make test installs it)"
elif [ -z "${SERVE_BIN:-}" ] && ! grep -q 'cmd_serve' "$ROOT/src/main.c"; then
    echo "serve: skipped (src/main.c does not dispatch \"serve\" yet)"
else
    SERVE_BIN=${SERVE_BIN:-$BIN}
    SRV_D="$OUT/serve"
    SRV_PIDS=""
    rm -rf "$SRV_D"; mkdir -p "$SRV_D"
    serve_tests
    srv_cleanup
    serve_update_tests
    srv_cleanup
    # random edits (seeded), each against a fresh full build
    if python3 "$ROOT/tests/serve_edits.py" "$SERVE_BIN" "$ROOT" "$SRV_D/edits" 16 11 \
        > "$SRV_D/edits.log" 2>&1 && ! srv_sanitizer "$SRV_D/edits/serve.err"; then
        pass "serve: 16 random edits of the sample site, each the same as a full build ($(tail -n 1 "$SRV_D/edits.log"))"
    else fail "serve: random edits" "$(cat "$SRV_D/edits.log"; grep -A8 -E 'ERROR|runtime error' "$SRV_D/edits/serve.err" | head -30)"; fi
fi
