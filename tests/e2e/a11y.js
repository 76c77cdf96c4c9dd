#!/usr/bin/env node
// tests/e2e/a11y.js - the built sample site in Debian's Chromium:
//   - axe-core (WCAG 2.0/2.1 A and AA rules) on a set of pages at 1280 and
//     375 px, with a full-page screenshot of each;
//   - reflow (WCAG 1.4.10): no horizontal scrolling at 320 px;
//   - each page loads with status 200, no failed or remote requests and no
//     script errors;
//   - print: the main menu and the site footer are hidden in print media,
//     the content is not, and the guide page prints to PDF.
//
//   node tests/e2e/a11y.js --site DIR --base /kerneopgave/ --port N --out DIR
//
// DIR must have been built with --base-url http://127.0.0.1:N/kerneopgave/.
// The site is served by serve.js on 127.0.0.1; every other request is
// blocked.  Results go to OUT/e2e-results.txt, one check per "@@ ok NAME" or
// "@@ fail NAME" line followed by its details, for tests/e2e.sh to count;
// screenshots to OUT/screenshots/, axe results to OUT/axe/, the PDF to OUT/.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const serve = require('./serve.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WIDTHS = [1280, 375];
const HEIGHTS = { 1280: 800, 375: 812, 320: 640 };
const REFLOW_WIDTH = 320;
const TIME_LIMIT_MS = 170 * 1000;

// name, path under the base, and what to call a missing page.
const PAGES = [
  { name: 'home', path: '' },
  { name: 'track', path: 'spor/borgerkontakt/' },
  { name: 'term', path: 'emner/tillid/' },
  { name: 'case', path: 'praksis/rebild-dagtilbud/' },
  { name: 'guide', path: 'vaerktoejer/tillidsdialog/' },
  { name: 'project', path: 'projekter/mere-kerneopgave/' },
  { name: 'search', path: 'soeg/', missing: 'axe search page missing' },
  { name: '404', path: '404.html' },
];
const PRINT_PAGE = PAGES.find((p) => p.name === 'guide');

function parseArgs(argv) {
  const o = { site: null, base: '/', port: 0, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--site') o.site = argv[++i];
    else if (a === '--base') o.base = argv[++i];
    else if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.site || !o.out || !Number.isInteger(o.port)) {
    throw new Error('usage: node a11y.js --site DIR --base /path/ --port N --out DIR');
  }
  return o;
}

const results = [];
function check(name, ok, details) {
  results.push({ name, ok: !!ok, details: ok ? '' : (details || '') });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
}

function writeResults(file) {
  const lines = [];
  for (const r of results) {
    lines.push(`@@ ${r.ok ? 'ok' : 'fail'} ${r.name}`);
    for (const l of String(r.details).split('\n')) if (l !== '') lines.push(`   ${l}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function formatViolations(violations) {
  const out = [];
  for (const v of violations) {
    out.push(`${v.id} (${v.impact}): ${v.help} [${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}]`);
    for (const n of v.nodes.slice(0, 8)) {
      const why = [...n.any, ...n.all, ...n.none].map((c) => c.message).filter(Boolean)[0];
      out.push(`  ${n.target.join(' ')}${why ? ' - ' + why : ''}`);
    }
    if (v.nodes.length > 8) out.push(`  … and ${v.nodes.length - 8} more`);
  }
  return out.join('\n');
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const outDir = path.resolve(opt.out);
  const shotDir = path.join(outDir, 'screenshots');
  const axeDir = path.join(outDir, 'axe');
  fs.mkdirSync(shotDir, { recursive: true });
  fs.mkdirSync(axeDir, { recursive: true });
  const resultsFile = path.join(outDir, 'e2e-results.txt');

  const watchdog = setTimeout(() => {
    check('browser tests finish within the time limit', false,
      `stopped after ${TIME_LIMIT_MS / 1000} s`);
    writeResults(resultsFile);
    process.exit(1);
  }, TIME_LIMIT_MS);
  watchdog.unref();

  const { server, url: baseUrl, port } = await serve.start({ root: opt.site, base: opt.base, port: opt.port });
  const origin = `http://127.0.0.1:${port}/`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'formidl-e2e-chromium-'));
  let context = null;
  try {
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: HEIGHTS[1280] },
        deviceScaleFactor: 1,
        locale: 'da-DK',
        timezoneId: 'Europe/Copenhagen',
        reducedMotion: 'reduce',
        timeout: 30000,
      });
    } catch (e) {
      check('Chromium starts', false, `${CHROMIUM}: ${e.message.split('\n').slice(0, 8).join('\n')}`);
      return;
    }

    // Only the test server may be reached; everything else is recorded and
    // blocked, so a page that loads something remote fails instead of hanging.
    let current = null; // the page record whose loads are being watched
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin)) return route.continue();
      if (current) current.blocked.add(u);
      return route.abort('blockedbyclient');
    });

    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(20000);
    page.on('pageerror', (err) => { if (current) current.errors.push(`script error: ${err.message}`); });
    page.on('requestfailed', (req) => {
      // ERR_ABORTED: cancelled by the page or by the next navigation; real
      // HTTP errors are caught by the response handler below.
      const why = req.failure() ? req.failure().errorText : '';
      if (current && req.url().startsWith(origin) && why !== 'net::ERR_ABORTED' &&
          !current.errors.some((e) => e.startsWith('HTTP ') && e.endsWith(': ' + req.url()))) {
        current.errors.push(`request failed: ${req.url()} (${why})`);
      }
    });
    page.on('response', (res) => {
      if (current && res.request() !== current.mainRequest && res.status() >= 400 &&
          res.request().resourceType() !== 'document') {
        current.errors.push(`HTTP ${res.status()}: ${res.url()}`);
      }
    });

    async function load(rec, width) {
      await page.setViewportSize({ width, height: HEIGHTS[width] });
      const res = await page.goto(baseUrl + rec.page.path, { waitUntil: 'load' });
      rec.mainRequest = res ? res.request() : null;
      // Let the page's scripts finish their requests (the search index, say).
      await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
      await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true));
      return res;
    }

    for (const p of PAGES) {
      const rec = { page: p, blocked: new Set(), errors: [], mainRequest: null };
      current = rec;
      const label = `${p.name} (/${p.path})`;
      let res;
      try {
        res = await load(rec, WIDTHS[0]);
      } catch (e) {
        check(`load ${label}`, false, e.message);
        continue;
      }
      const status = res ? res.status() : 0;
      if (status !== 200) {
        if (p.missing && status === 404) {
          check(p.missing, false, `${baseUrl}${p.path} answers 404: there is no page to check`);
        } else {
          check(`load ${label}`, false, `${baseUrl}${p.path} answers HTTP ${status}`);
        }
        continue;
      }

      for (const width of WIDTHS) {
        const name = `axe ${label} at ${width} px`;
        try {
          if (width !== WIDTHS[0]) await load(rec, width);
          await page.addScriptTag({ path: AXE });
          const axe = await page.evaluate((tags) => window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
          }).then((r) => ({
            url: r.url,
            testEngine: r.testEngine,
            passed: r.passes.map((x) => x.id),
            inapplicable: r.inapplicable.map((x) => x.id),
            violations: r.violations,
            incomplete: r.incomplete,
          })), AXE_TAGS);
          fs.writeFileSync(path.join(axeDir, `${p.name}-${width}.json`), JSON.stringify(axe, null, 1));
          if (axe.passed.length === 0 && axe.violations.length === 0) {
            check(name, false, 'axe ran no rule on the page');
          } else {
            check(name, axe.violations.length === 0, formatViolations(axe.violations));
          }
        } catch (e) {
          check(name, false, `axe did not run: ${e.message}`);
        }
        try {
          await page.screenshot({ path: path.join(shotDir, `${p.name}-${width}.png`), fullPage: true });
        } catch (e) {
          check(`screenshot ${label} at ${width} px`, false, e.message);
        }
      }

      // WCAG 1.4.10: content reflows at 320 CSS px without horizontal scrolling.
      try {
        await load(rec, REFLOW_WIDTH);
        const r = await page.evaluate(() => {
          const vw = document.documentElement.clientWidth;
          const sw = document.documentElement.scrollWidth;
          const culprits = [];
          if (sw > vw) {
            // Boxes that stick out (the outermost of each), and elements
            // whose own content sticks out of them (a long word, say).
            const out = (el) => el.getBoundingClientRect().right > vw + 0.5;
            const spills = (el) => el.scrollWidth > el.clientWidth + 0.5 &&
              getComputedStyle(el).overflowX === 'visible' && el.getBoundingClientRect().width > 0;
            const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
              (el.classList.length ? '.' + [...el.classList].join('.') : '');
            const text = (el) => {
              const t = (el.textContent || '').replace(/\s+/g, ' ').trim();
              return t ? ` "${t.length > 60 ? t.slice(0, 60) + '…' : t}"` : '';
            };
            for (const el of document.querySelectorAll('body *')) {
              const b = el.getBoundingClientRect();
              if (b.width > 0 && out(el) && !(el.parentElement && el.parentElement !== document.body && out(el.parentElement))) {
                culprits.push(`${describe(el)}${text(el)}: box reaches ${Math.round(b.right)} px (width ${Math.round(b.width)} px)`);
              } else if (!out(el) && spills(el) && ![...el.children].some((c) => spills(c) || out(c))) {
                culprits.push(`${describe(el)}${text(el)}: content is ${el.scrollWidth} px wide in a ${el.clientWidth} px box (an unbreakable word or line?)`);
              }
              if (culprits.length >= 10) break;
            }
          }
          return { vw, sw, culprits };
        });
        check(`reflow ${label} at ${REFLOW_WIDTH} px`, r.sw <= REFLOW_WIDTH,
          `scrollWidth ${r.sw} px > viewport ${REFLOW_WIDTH} px; wider than the viewport:\n` + r.culprits.join('\n'));
      } catch (e) {
        check(`reflow ${label} at ${REFLOW_WIDTH} px`, false, e.message);
      }

      const problems = [...[...rec.blocked].map((u) => `remote request blocked: ${u}`), ...rec.errors];
      check(`load ${label}: HTTP 200, only local requests, none failed, no script errors`,
        problems.length === 0, [...new Set(problems)].join('\n'));
    }
    current = null;

    // Print: the guide page in print media, then to PDF.
    const pr = { page: PRINT_PAGE, blocked: new Set(), errors: [], mainRequest: null };
    current = pr;
    try {
      await load(pr, 1280);
      await page.emulateMedia({ media: 'print' });
      const st = await page.evaluate(() => {
        const state = (el) => {
          if (!el) return null;
          let hiddenBy = null;
          for (let e = el; e; e = e.parentElement) {
            if (getComputedStyle(e).display === 'none') { hiddenBy = e; break; }
          }
          const cs = getComputedStyle(el);
          const describe = (e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '');
          return {
            display: cs.display,
            visibility: cs.visibility,
            hidden: !!hiddenBy || cs.visibility === 'hidden' || cs.visibility === 'collapse',
            hiddenBy: hiddenBy ? describe(hiddenBy) : null,
          };
        };
        const footer = document.querySelector('footer.site-footer') || document.querySelector('body > footer') ||
          document.querySelector('[role="contentinfo"]');
        return {
          nav: state(document.querySelector('nav[aria-label="Hovedmenu"]')),
          footer: state(footer),
          main: state(document.querySelector('main')),
          h1: state(document.querySelector('main h1')),
        };
      });
      const desc = (s) => s ? `computed display: ${s.display}, visibility: ${s.visibility}` +
        (s.hiddenBy ? ` (display: none on ${s.hiddenBy})` : '') : 'element not found';
      check('print: main menu (nav[aria-label="Hovedmenu"]) is hidden in print media',
        st.nav && st.nav.hidden, desc(st.nav));
      check('print: site footer is hidden in print media', st.footer && st.footer.hidden, desc(st.footer));
      check('print: main content and its h1 are shown in print media',
        st.main && !st.main.hidden && st.h1 && !st.h1.hidden, `main: ${desc(st.main)}; h1: ${desc(st.h1)}`);
      const pdfFile = path.join(outDir, `print-${PRINT_PAGE.name}.pdf`);
      const pdf = await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      check(`print: ${PRINT_PAGE.path} prints to PDF (${pages} page${pages === 1 ? '' : 's'}, ${pdfFile})`,
        pdf.subarray(0, 5).toString() === '%PDF-' && pages >= 1, `${pdf.length} bytes, ${pages} pages`);
      await page.emulateMedia({ media: null });
    } catch (e) {
      check('print: guide page', false, e.message);
    }
    current = null;
  } finally {
    if (context) await context.close().catch(() => {});
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
    writeResults(resultsFile);
    clearTimeout(watchdog);
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`a11y.js: ${e.stack || e}`);
  process.exit(1);
});
