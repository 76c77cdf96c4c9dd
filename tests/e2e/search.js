#!/usr/bin/env node
// tests/e2e/search.js - the search page in Debian's Chromium.
//
//   node tests/e2e/search.js http://127.0.0.1:PORT/kerneopgave/
//   node tests/e2e/search.js --site DIR [--base /kerneopgave/]   (serves DIR
//        with serve.js; DIR built with --base-url http://127.0.0.1:PORT/...
//        is not needed: links are only read, not followed)
//
// or from another script: require('./search.js').run(url, {browser}) ->
// Promise<{passed, failed, lines}>.
//
// Checks: the script starts (form shown, the no-JS list hidden) without
// errors or remote requests; words fold as the build folds them; typing
// "børn" shows results about children (the Rebild day-care case), then
// typing "aeldre" shows results that say "ældre"; the live region counts
// the results; the track and content-type filters narrow them; "Vis flere"
// and the keyboard work; without JavaScript the page lists the content by
// track.  It prints one "ok NAME" or "FAIL NAME: why" line per check, the
// bytes the index cost per query, and exits 1 if any check failed.
'use strict';

const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const WAIT_MS = 8000;

// What src/search.c's search_fold gives for these words (see
// tests/unit/test_search.c); the page must cut and fold queries the same way.
const FOLDS = [
  ['Børnene i ÆLDREPLEJEN: Åben/Kærlig', ['boernene', 'i', 'aeldreplejen', 'aaben', 'kaerlig']],
  ['Straße crème-brûlée Łódź Þór', ['strasse', 'creme', 'brulee', 'lodz', 'thor']],
  ['A\u030Arhus e\u0301 bl\u00ADød 2016-04-15', ['aarhus', 'e', 'bloed', '2016', '04', '15']],
  ['αβγ ǅ ×', []],
];

async function run(base, opts = {}) {
  if (!base.endsWith('/')) base += '/';
  const lines = [];
  let passed = 0;
  let failed = 0;
  const check = (name, ok, why) => {
    if (ok) { passed++; lines.push(`ok ${name}`); } else { failed++; lines.push(`FAIL ${name}: ${why || ''}`); }
    console.log(lines[lines.length - 1]);
    return ok;
  };
  const info = (s) => { lines.push(`# ${s}`); console.log(`# ${s}`); };

  const browser = opts.browser || await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const ctx = await browser.newContext({ locale: 'da-DK' });
    await ctx.route('**/*', (route) => {
      const u = new URL(route.request().url());
      return u.hostname === '127.0.0.1' ? route.continue() : route.abort();
    });
    const page = await ctx.newPage();
    const errors = [];
    const remote = [];
    let bytes = 0;
    let files = 0;
    page.on('pageerror', (e) => errors.push(String(e)));
    const others = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() < 400) return;
      if (/\/soeg\/|search\.js/.test(r.url())) errors.push(`${r.status()} ${r.url()}`);
      else others.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => {
      if (new URL(r.url()).hostname !== '127.0.0.1') remote.push(r.url());
      else errors.push(`request failed: ${r.url()}`);
    });
    let pending = [];
    page.on('response', (r) => {
      if (!r.url().includes('/soeg/index/')) return;
      files++;
      pending.push(r.body().then((b) => { bytes += b.length; }, () => null));
    });
    const counted = async () => { await Promise.all(pending); pending = []; };

    const resp = await page.goto(base + 'soeg/', { waitUntil: 'load' });
    check('search page loads', resp && resp.status() === 200, `status ${resp && resp.status()}`);
    const started = await page.waitForSelector('form.search-form:not([hidden])', { timeout: WAIT_MS })
      .then(() => true, () => false);
    check('script starts: form shown', started, await page.locator('[role="status"]').textContent().catch(() => ''));
    if (!started) return { passed, failed, lines };
    check('no-JS list hidden when the script runs', await page.locator('.search-browse').isHidden());
    check('search field labelled "Søg"', await page.getByLabel('Søg', { exact: true }).count() === 1);
    check('live region', await page.locator('[aria-live="polite"]').count() === 1);

    const folds = await page.evaluate((cases) => cases.map(([s]) => window.formidlSearch.words(s)), FOLDS);
    FOLDS.forEach(([s, want], i) => check(`fold "${s}"`, JSON.stringify(folds[i]) === JSON.stringify(want),
      `got ${JSON.stringify(folds[i])}, want ${JSON.stringify(want)}`));

    const input = page.locator('input[type="search"]');
    const results = () => page.$$eval('.search-results li', (lis) => lis.map((li) => ({
      title: li.querySelector('h3').textContent,
      href: li.querySelector('a').getAttribute('href'),
      summary: (li.querySelector('p:not(.meta)') || {}).textContent,
      text: li.textContent,
    })));
    // Type like a person, then wait until a result satisfies want.
    async function typeAndWait(q, want) {
      await input.fill('');
      await input.pressSequentially(q, { delay: 40 });
      const ok = await page.waitForFunction((w) => {
        const lis = [...document.querySelectorAll('.search-results li')];
        const st = document.querySelector('[role="status"]').textContent;
        return /resultat/.test(st) && lis.some((li) =>
          new RegExp(w, 'i').test(li.textContent + ' ' + li.querySelector('a').getAttribute('href')));
      }, want, { timeout: WAIT_MS }).then(() => true, () => false);
      return ok;
    }

    // "børn"
    await counted();
    info(`on load: ${files} index file (meta.json), ${bytes} bytes`);
    bytes = 0; files = 0;
    let ok = await typeAndWait('børn', 'børn');
    let rs = await results();
    check('"børn" finds pages about children', ok, `results: ${JSON.stringify(rs.map((r) => r.title))}`);
    check('"børn" finds the Rebild day-care case',
      rs.some((r) => /Mere tid med børnene/.test(r.title) || /rebild-dagtilbud/.test(r.href)),
      JSON.stringify(rs.map((r) => r.title)));
    const status = await page.locator('[role="status"]').textContent();
    const n = Number((status.match(/^([\d.]+) resultat/) || [])[1]?.replace(/\./g, ''));
    check('live region counts the results', n > 0 && (n > 10 ? rs.length === 10 : rs.length === n),
      `status "${status}", ${rs.length} shown`);
    check('results have title link, summary and track',
      rs.every((r) => r.title && r.href) && rs.some((r) => r.summary) &&
      rs.some((r) => /Spor: (Styrket borgerkontakt|Frisættende ledelse og styring)/.test(r.text)),
      JSON.stringify(rs.slice(0, 2)));
    await counted();
    info(`"børn": ${files} more index files, ${bytes} bytes`);
    // axe-core (WCAG 2.0/2.1 A and AA) on the page with results and filters.
    let axePath = null;
    try { axePath = require.resolve('axe-core/axe.min.js'); } catch (e) { info('axe-core not installed: no axe check'); }
    if (axePath) {
      await page.addScriptTag({ path: axePath });
      const v = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }).then((r) => r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)));
      check('axe: no WCAG 2.1 A/AA violations with results shown', v.length === 0, v.join('; '));
    }
    check('query URL kept in the address', new URL(page.url()).searchParams.get('q') === 'børn', page.url());

    // "aeldre" must match "ældre"
    await counted();
    bytes = 0; files = 0;
    ok = await typeAndWait('aeldre', 'ældre|viborg-hjemmepleje');
    rs = await results();
    check('"aeldre" finds pages that say "ældre"', ok, `results: ${JSON.stringify(rs.map((r) => r.title))}`);
    await counted();
    info(`"aeldre": ${files} more index files, ${bytes} bytes`);

    // Prefix and several words: "hjemmepl dok" (AND).
    ok = await typeAndWait('hjemmepl dok', 'hjemmepleje');
    check('prefixes and two words (AND)', ok, JSON.stringify((await results()).map((r) => r.title)));

    // Nothing found.
    await input.fill('');
    await input.pressSequentially('xyzzyq', { delay: 20 });
    ok = await page.waitForFunction(() => /^0 resultater/.test(document.querySelector('[role="status"]').textContent),
      null, { timeout: WAIT_MS }).then(() => true, () => false);
    check('no results announced as "0 resultater"', ok,
      await page.locator('[role="status"]').textContent());

    // Filters: a track, then a content type.
    await typeAndWait('tid', 'tid');
    const tracks = page.locator('fieldset[data-filter="tracks"] input[type="checkbox"]');
    const types = page.locator('fieldset[data-filter="types"] input[type="checkbox"]');
    check('track filter has labelled checkboxes in a fieldset with a legend',
      await tracks.count() >= 2 && await page.locator('fieldset[data-filter="tracks"] legend').textContent() === 'Spor');
    check('type filter has labelled checkboxes in a fieldset with a legend',
      await types.count() >= 2 && await page.locator('fieldset[data-filter="types"] legend').textContent() === 'Indholdstype');
    if (await tracks.count() && await types.count()) {
      const before = await page.locator('[role="status"]').textContent();
      const trackName = (await tracks.first().locator('xpath=..').textContent()).trim();
      await tracks.first().check();
      ok = await page.waitForFunction((b) => document.querySelector('[role="status"]').textContent !== b,
        before, { timeout: WAIT_MS }).then(() => true, () => false);
      rs = await results();
      check(`track filter "${trackName}" narrows the results`,
        ok && rs.length > 0 && rs.every((r) => r.text.includes(trackName)),
        `${before} -> ${await page.locator('[role="status"]').textContent()}`);
      const typeName = (await types.first().locator('xpath=..').textContent()).trim();
      const before2 = await page.locator('[role="status"]').textContent();
      await types.first().check();
      await page.waitForFunction((b) => document.querySelector('[role="status"]').textContent !== b,
        before2, { timeout: WAIT_MS }).catch(() => null);
      rs = await results();
      check(`type filter "${typeName}" narrows the results`,
        rs.every((r) => r.text.includes(typeName) && r.text.includes(trackName)),
        JSON.stringify(rs.map((r) => r.text.slice(0, 120))));
      await tracks.first().uncheck();
      await types.first().uncheck();
    }

    // Keyboard: Enter searches at once; "Vis flere" moves focus to the
    // first new result.
    await input.fill('');
    await input.focus();
    await page.keyboard.type('i');
    await page.keyboard.press('Enter');
    ok = await page.waitForFunction(() => /resultat/.test(document.querySelector('[role="status"]').textContent),
      null, { timeout: WAIT_MS }).then(() => true, () => false);
    const more = page.locator('.search-more');
    if (ok && await more.isVisible()) {
      await more.focus();
      await page.keyboard.press('Enter');
      const moved = await page.waitForFunction(() => {
        const a = document.activeElement;
        const lis = document.querySelectorAll('.search-results li');
        return a && a.tagName === 'A' && lis.length > 10 && lis[10].contains(a);
      }, null, { timeout: WAIT_MS }).then(() => true, () => false);
      check('"Vis flere resultater" by keyboard shows more and focuses the first new result', moved);
    } else {
      info('fewer than 11 results for "i": "Vis flere" not tested');
    }

    check('no script errors, search requests all succeed', errors.length === 0, errors.join('; '));
    if (others.length) info(`other failed requests (not the search's): ${[...new Set(others)].join(' ')}`);
    check('no remote requests', remote.length === 0, remote.join(' '));
    await ctx.close();

    // Without JavaScript: all content by track.
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    await nojs.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1'
      ? route.continue() : route.abort()));
    const p2 = await nojs.newPage();
    await p2.goto(base + 'soeg/');
    check('without JavaScript the search form stays hidden', await p2.locator('form.search-form').isHidden());
    const groups = await p2.$$eval('.search-browse section', (ss) => ss.map((s) => ({
      heading: (s.querySelector('h2') || {}).textContent,
      links: s.querySelectorAll('li a').length,
    })));
    check('without JavaScript the page lists the content grouped by track',
      groups.length >= 2 && groups.every((g) => g.heading && g.links > 0),
      JSON.stringify(groups));
    await nojs.close();
  } catch (e) {
    check('search test ran', false, e && e.stack || String(e));
  } finally {
    if (!opts.browser) await browser.close();
  }
  return { passed, failed, lines };
}

module.exports = { run };

if (require.main === module) {
  (async () => {
    const argv = process.argv.slice(2);
    let url = argv[0];
    let server = null;
    if (argv[0] === '--site') {
      const serve = require('./serve.js');
      const base = argv[2] === '--base' ? argv[3] : '/';
      const s = await serve.start({ root: path.resolve(argv[1]), base, port: 0 });
      server = s.server;
      url = s.url;
    }
    if (!url || !/^https?:\/\//.test(url)) {
      console.error('usage: node search.js URL | --site DIR [--base /path/]');
      process.exit(2);
    }
    const r = await run(url);
    if (server) server.close();
    console.log(`${r.passed} passed, ${r.failed} failed`);
    process.exit(r.failed ? 1 : 0);
  })();
}
