#!/bin/sh
# tools/pagefind-compare.sh - formidl's search index against Pagefind's on
# the 10,000-page benchmark site.
#
#   sh tools/pagefind-compare.sh [SITE]
#
# SITE is a built site with a search page.  Default: the 10,000-page
# benchmark site of `make bench` (build/bench-10000/public) when it has the
# search index; otherwise its corpus (generated when missing) is built here
# with content/soeg.md, site.yaml, layouts/ and assets/ of this folder into
# build/pagefind-compare/site, leaving the benchmark folder untouched.  The script installs Pagefind
# from npm (pinned, into build/pagefind-compare/npm), indexes the same
# content pages with it (site header and footer excluded, as formidl
# indexes title, summary and body), then runs each search in Debian's
# Chromium (npm playwright-core) with an empty cache and counts the bytes
# fetched until the first ten results are shown: formidl's search page
# (assets/js/search.js over SITE/soeg/index/) and Pagefind's JavaScript API
# (pagefind.js, its worker and WebAssembly, index chunks and one fragment
# per shown result).  Every request is answered from disk by the browser's
# request routing: no server, no network.  "gzip" is what the files cost
# with Content-Encoding: gzip (Pagefind's own files are already
# compressed).  Prints a table; nothing is compared automatically.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-/kerneopgave/}
WORK=${WORK:-$ROOT/build/pagefind-compare}
PAGEFIND_VERSION=1.6.0
PLAYWRIGHT_VERSION=1.61.1
QUERIES=${QUERIES:-"børn aeldre sam tillid"}

if [ $# -ge 1 ]; then
    SITE=$(cd "$1" && pwd)
elif [ -f "$ROOT/build/bench-10000/public/soeg/index/meta.json" ]; then
    SITE=$ROOT/build/bench-10000/public     # made by `make bench`
else
    corpus=$ROOT/build/bench-10000
    if [ ! -d "$corpus/content/cases" ]; then
        echo "pagefind-compare: generating the 10,000-page corpus" >&2
        mkdir -p "$corpus"
        python3 "$ROOT/../shared/bench/gen_corpus.py" --pages 10000 --out "$corpus" --seed 1 >/dev/null
    fi
    make -C "$ROOT" --no-print-directory formidl >&2
    src=$WORK/site
    rm -rf "$src"
    mkdir -p "$src/content"
    cp "$ROOT/site.yaml" "$src/"
    cp "$ROOT/content/soeg.md" "$src/content/"
    ln -s "$ROOT/layouts" "$src/layouts"
    ln -s "$ROOT/assets" "$src/assets"
    for d in cases guides projects; do ln -s "$corpus/content/$d" "$src/content/$d"; done
    t0=$(date +%s%N)
    SOURCE_DATE_EPOCH=1795000000 "$ROOT/formidl" build "$src" --future -q -o "$src/public"
    t1=$(date +%s%N)
    echo "formidl built the site (all pages and the index) in $(( (t1 - t0) / 1000000 )) ms"
    SITE=$src/public
fi
if [ ! -f "$SITE/soeg/index/meta.json" ]; then
    echo "pagefind-compare: $SITE/soeg/index/meta.json is missing (no search page?)" >&2
    exit 1
fi

mkdir -p "$WORK/npm"
if [ ! -x "$WORK/npm/node_modules/.bin/pagefind" ]; then
    echo "pagefind-compare: npm install pagefind@$PAGEFIND_VERSION" >&2
    (cd "$WORK/npm" && [ -f package.json ] || echo '{"private":true}' > package.json
     npm install --no-audit --no-fund --no-save "pagefind@$PAGEFIND_VERSION") >&2
fi
PW=$ROOT/tests/e2e/node_modules/playwright-core
if [ ! -d "$PW" ]; then
    PW=$WORK/npm/node_modules/playwright-core
    [ -d "$PW" ] || (cd "$WORK/npm" && npm install --no-audit --no-fund --no-save --ignore-scripts \
        "playwright-core@$PLAYWRIGHT_VERSION") >&2
fi

# Pagefind over the content pages only, as formidl's index holds them.
rm -rf "$WORK/pagefind"
t0=$(date +%s%N)
"$WORK/npm/node_modules/.bin/pagefind" --site "$SITE" --output-path "$WORK/pagefind" \
    --glob "{praksis,vaerktoejer,projekter}/*/index.html" \
    --exclude-selectors "header.site-header" --exclude-selectors "footer.site-footer" \
    --exclude-selectors ".skip-link" --quiet > "$WORK/pagefind.log" 2>&1 ||
    { cat "$WORK/pagefind.log" >&2; exit 1; }
t1=$(date +%s%N)
echo "Pagefind $PAGEFIND_VERSION indexed the site in $(( (t1 - t0) / 1000000 )) ms"

SCRIPT=$SITE/assets/js/search.js
[ -f "$SCRIPT" ] || SCRIPT=$ROOT/assets/js/search.js
PW="$PW" node - "$SITE" "$WORK/pagefind" "$BASE" "$SCRIPT" $QUERIES <<'JS'
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require(process.env.PW);
const [site, pfDir, base, script, ...queries] = process.argv.slice(2);
const ORIGIN = 'http://127.0.0.1:9';

function walk(dir) {
  let files = 0, bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { const r = walk(p); files += r.files; bytes += r.bytes; }
    else { files++; bytes += fs.statSync(p).size; }
  }
  return { files, bytes };
}
const ours = walk(path.join(site, 'soeg', 'index'));
const meta = JSON.parse(fs.readFileSync(path.join(site, 'soeg', 'index', 'meta.json'), 'utf8'));
let pfFiles = 0, pfBytes = 0;
for (const e of fs.readdirSync(pfDir)) {
  const p = path.join(pfDir, e);
  if (fs.statSync(p).isDirectory()) { const r = walk(p); pfFiles += r.files; pfBytes += r.bytes; }
  else if (/\.(pf_meta|json)$/.test(e)) { pfFiles++; pfBytes += fs.statSync(p).size; }
}
const n = meta.docs;
const kb = (b) => (b / 1024).toFixed(1) + ' kB';
console.log(`formidl index: ${ours.files} files, ${kb(ours.bytes)} = ${Math.round(ours.bytes / n)} bytes per page (${n} pages)`);
console.log(`Pagefind index: ${pfFiles} files, ${kb(pfBytes)} = ${Math.round(pfBytes / n)} bytes per page ` +
  '(index chunks, fragments, pf_meta, entry; without its scripts and UI)');

const OURS_PAGE = `<!DOCTYPE html><html lang="da"><meta charset="utf-8"><title>Søg</title>
<div class="search" data-search-base="${base}soeg/index/">
<form class="search-form" role="search" hidden><label for="q">Søg</label><input id="q" type="search">
<fieldset data-filter="tracks" hidden><legend>Spor</legend></fieldset>
<fieldset data-filter="types" hidden><legend>Indholdstype</legend></fieldset></form>
<p role="status" aria-live="polite"></p>
<section class="search-results" hidden><ol></ol><button type="button" class="search-more" hidden>Vis flere</button></section>
</div><script src="${base}__formidl__/search.js" defer></script>`;
const PF_PAGE = `<!DOCTYPE html><html lang="da"><meta charset="utf-8"><title>Pagefind</title>
<script type="module">
window.pfRun = async (q) => {
  const pf = await import('${base}pagefind/pagefind.js');
  const r = await pf.search(q);
  const d = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  return { count: r.results.length, titles: d.map((x) => x.meta.title) };
};
</script>`;

function fileFor(p) {
  if (p === base + '__formidl__/search.js') return script;
  if (p.startsWith(base + 'pagefind/')) return path.join(pfDir, p.slice(base.length + 9));
  if (p.startsWith(base)) {
    const f = path.join(site, decodeURIComponent(p.slice(base.length)));
    return f.endsWith('/') ? f + 'index.html' : f;
  }
  return null;
}
const TYPES = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };

async function measure(browser, pageUrl, html, act) {
  const ctx = await browser.newContext();
  const got = [];
  await ctx.route('**/*', async (route) => {
    const u = new URL(route.request().url());
    if (u.origin !== ORIGIN) return route.abort();
    if (u.pathname === new URL(pageUrl).pathname) return route.fulfill({ body: html, contentType: TYPES['.html'] });
    const f = fileFor(u.pathname);
    if (!f || !fs.existsSync(f)) return route.fulfill({ status: 404, body: '' });
    const body = fs.readFileSync(f);
    got.push({ path: u.pathname, raw: body.length, gz: Math.min(body.length, zlib.gzipSync(body, { level: 6 }).length) });
    return route.fulfill({ body, contentType: TYPES[path.extname(f)] || 'application/octet-stream' });
  });
  const page = await ctx.newPage();
  await page.goto(pageUrl);
  const result = await act(page);
  await ctx.close();
  return { got, result };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const sum = (a, f) => a.filter(f).reduce((s, x) => ({ n: s.n + 1, raw: s.raw + x.raw, gz: s.gz + x.gz }), { n: 0, raw: 0, gz: 0 });
  const fmt = (s) => `${String(s.n).padStart(3)} files ${kb(s.raw).padStart(9)} (gzip ${kb(s.gz).padStart(8)})`;
  console.log('\nOne search with an empty cache, until the first 10 results are shown:');
  for (const q of queries) {
    const a = await measure(browser, ORIGIN + base + 'soeg/', OURS_PAGE, async (page) => {
      await page.waitForSelector('form:not([hidden])');
      await page.fill('#q', q);
      await page.waitForFunction(() => /resultat/.test(document.querySelector('[role=status]').textContent) &&
        document.querySelectorAll('.search-results li').length ===
          Math.min(10, Number(document.querySelector('[role=status]').textContent.replace(/\D/g, ''))), null, { timeout: 20000 });
      return page.$eval('[role=status]', (e) => e.textContent);
    });
    const b = await measure(browser, ORIGIN + base + '__pagefind__/', PF_PAGE, async (page) => {
      await page.waitForFunction(() => window.pfRun);
      return page.evaluate((q) => window.pfRun(q), q);
    });
    const isScript = (x) => /\.(js|pagefind)$/.test(x.path);
    console.log(`\n"${q}"`);
    console.log(`  formidl : index ${fmt(sum(a.got, (x) => !isScript(x)))} + script ${fmt(sum(a.got, isScript))}; ${a.result}`);
    console.log(`  Pagefind: index ${fmt(sum(b.got, (x) => !isScript(x)))} + script ${fmt(sum(b.got, isScript))}; ${b.result.count} resultater`);
    if (process.env.VERBOSE) {
      for (const x of a.got) console.log(`    formidl  ${x.path} ${x.raw}`);
      for (const x of b.got) console.log(`    pagefind ${x.path} ${x.raw}`);
    }
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
JS
