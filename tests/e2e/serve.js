#!/usr/bin/env node
// tests/e2e/serve.js - a tiny static web server for a built formidl site,
// with no npm packages.  Used by a11y.js, and usable alone:
//
//   node tests/e2e/serve.js DIR [--base /kerneopgave/] [--port 8000]
//
// serves DIR under the base path (the path of the site's base_url) on
// 127.0.0.1 only.  /base/x/ serves x/index.html, /base/x redirects to
// /base/x/ when x is a folder, and anything missing gets DIR/404.html with
// status 404, as a real host configured for the site would.  Build the site
// for it with `formidl build -o DIR --base-url http://127.0.0.1:PORT/base/`.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

// Feeds by name: RSS and Atom with an explicit charset (feed readers
// otherwise read UTF-8 as ASCII).
function contentType(file) {
  const base = path.basename(file);
  if (base === 'feed.xml' || base === 'rss.xml') return 'application/rss+xml; charset=utf-8';
  if (base === 'atom.xml') return 'application/atom+xml; charset=utf-8';
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function normaliseBase(base) {
  base = base || '/';
  if (!base.startsWith('/')) base = '/' + base;
  if (!base.endsWith('/')) base += '/';
  return base;
}

// createServer({root, base}) -> http.Server (not yet listening).
function createServer(opts) {
  const root = fs.realpathSync(opts.root);
  const base = normaliseBase(opts.base);
  const log = opts.log || null;

  function send(req, res, status, headers, body) {
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    if (log) log(`${status} ${req.method} ${req.url}`);
  }

  function sendFile(req, res, status, file) {
    let data;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      send(req, res, 500, { 'content-type': 'text/plain; charset=utf-8' }, 'read error\n');
      return;
    }
    send(req, res, status, {
      'content-type': contentType(file),
      'content-length': data.length,
      'cache-control': 'no-store',
    }, data);
  }

  function notFound(req, res) {
    const page = path.join(root, '404.html');
    if (fs.existsSync(page)) sendFile(req, res, 404, page);
    else send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n');
  }

  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch (e) {
      send(req, res, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'bad request\n');
      return;
    }
    if (pathname.includes('\0')) { notFound(req, res); return; }
    if (pathname + '/' === base) { // /kerneopgave -> /kerneopgave/
      send(req, res, 301, { location: base + url.search }, '');
      return;
    }
    if (!pathname.startsWith(base)) { notFound(req, res); return; }

    // Resolve inside root; anything that would leave it is not found.
    const rel = pathname.slice(base.length);
    const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    if (file !== root && !file.startsWith(root + path.sep)) { notFound(req, res); return; }

    let st;
    try {
      st = fs.statSync(file);
    } catch (e) {
      notFound(req, res);
      return;
    }
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        send(req, res, 301, { location: encodeURI(pathname + '/') + url.search }, '');
        return;
      }
      const index = path.join(file, 'index.html');
      if (fs.existsSync(index)) sendFile(req, res, 200, index);
      else notFound(req, res);
      return;
    }
    if (!st.isFile()) { notFound(req, res); return; }
    sendFile(req, res, 200, file);
  });
}

// start({root, base, port}) -> Promise<{server, url, port}>; url ends in base.
function start(opts) {
  const server = createServer(opts);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port || 0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({ server, port, url: `http://127.0.0.1:${port}${normaliseBase(opts.base)}` });
    });
  });
}

module.exports = { createServer, start, contentType };

if (require.main === module) {
  const args = process.argv.slice(2);
  let root = null;
  let base = '/';
  let port = 8000;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--base') base = args[++i];
    else if (args[i] === '--port') port = Number(args[++i]);
    else if (args[i] === '-h' || args[i] === '--help') root = null, i = args.length;
    else if (root === null) root = args[i];
    else { root = null; break; }
  }
  if (!root || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node serve.js DIR [--base /path/] [--port N]');
    process.exit(2);
  }
  start({ root, base, port, log: (line) => console.log(line) }).then(({ url }) => {
    console.log(`Serving ${path.resolve(root)} at ${url} (Ctrl-C stops)`);
  }, (err) => {
    console.error(`serve.js: ${err.message}`);
    process.exit(1);
  });
}
