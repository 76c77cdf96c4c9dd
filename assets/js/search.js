/* search.js - the search page: plain JavaScript, no build step.  Without
 * it the page lists all content by track; this hides that list, shows the
 * form and answers queries from the index the build writes (format:
 * src/search.c), folding words as the build does (case; æ→ae, ø→oe, å→aa;
 * accents).  Query words match as prefixes; all must match. */
(function () {
  'use strict';
  var root = document.querySelector('[data-search-base]');
  if (!root || !window.fetch || !''.normalize) return;
  var base = root.getAttribute('data-search-base');
  var $ = function (sel) { return root.querySelector(sel); };
  var form = $('.search-form'), input = $('input[type="search"]'), status = $('[role="status"]');
  var box = $('.search-results'), list = $('.search-results ol'), more = $('.search-more'), browse = $('.search-browse');
  var PAGE = 10, MAX = 40, FAIL = 'Søgningen kunne ikke gennemføres. Prøv igen.';
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var VAL = {};
  for (var i = 0; i < 64; i++) VAL[B64.charCodeAt(i)] = i;
  /* Letters that do not decompose (and their non-ASCII capitals). */
  var SPECIAL = {};
  'æae øoe åaa ßss ẞss œoe ĳij ðd þth łl đd ħh ıi ŀl ſs ŋn ŧt ĸk'.split(' ').forEach(function (p) {
    var u = p[0].toUpperCase();
    SPECIAL[p[0]] = p.slice(1);
    if (u.length === 1 && u > '~') SPECIAL[u] = p.slice(1);
  });
  var MONTHS = 'januar februar marts april maj juni juli august september oktober november december'.split(' ');

  /* The folded words of s, as src/search.c cuts and folds them. */
  function words(s) {
    var out = [], w = '', prevA = false;
    for (var ch of s) {
      var c = ch.codePointAt(0), f = null;
      if (c < 128) {
        if (/[a-z0-9]/i.test(ch)) f = ch.toLowerCase();
      } else if (SPECIAL[ch]) {
        f = SPECIAL[ch];
      } else if ((c >= 0xC0 && c < 0x250) || (c >= 0x1E00 && c < 0x1F00)) {
        var d = ch.normalize('NFD');
        if (/^[A-Za-z][\u0300-\u036f]+$/.test(d)) f = d[0].toLowerCase();
      } else if ((c >= 0x300 && c < 0x370) || c === 0xAD || c === 0x200C || c === 0x200D || c === 0x2060) {
        f = c === 0x30A && prevA ? 'a' : '';
      }
      if (f !== null) w += f;
      else if (w) out.push(w.slice(0, MAX)), w = '';
      prevA = ch === 'a' || ch === 'A';
    }
    if (w) out.push(w.slice(0, MAX));
    return out;
  }

  var meta, split, shards, types = [], masks = [], cache = {};
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path + '?v=' + meta.hash).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  /* Scores (0 = no match) of every document for one query word. */
  function lookup(q) {
    var node = q[0], sc = new Int16Array(meta.docs);
    while (split[node] && node.length < q.length) node = q.slice(0, node.length + 1);
    function add(s, bonus) {
      for (var i = 0, x = 0, doc = -1; i < s.length; i++) {
        var v = VAL[s.charCodeAt(i)];
        x = x * 32 + (v & 31);
        if (v < 32) {
          doc += Math.floor(x / 8);
          var s1 = (x % 8) + bonus;
          if (s1 > sc[doc]) sc[doc] = s1;
          x = 0;
        }
      }
    }
    if (!split[node] && !shards[node]) return Promise.resolve(sc);
    return get('w/' + node + '.json').then(function (o) {
      if (split[node]) {
        add(o['*'], 1);
        if (o[q]) add(o[q], 3);
      } else {
        for (var k in o) if (k.lastIndexOf(q, 0) === 0) add(o[k], k === q ? 3 : 1);
      }
      return sc;
    });
  }

  function checked(name) {
    return Array.from(root.querySelectorAll('input[name="' + name + '"]:checked'), function (e) { return +e.value; });
  }

  /* Document ids that match query text q and the filters, best first. */
  function query(q, typeSel, trackSel) {
    var ws = words(q).filter(function (w, i, a) { return a.indexOf(w) === i; });
    var tmask = 0, typeOk = {};
    trackSel.forEach(function (t) { tmask |= 1 << t; });
    typeSel.forEach(function (t) { typeOk[t] = 1; });
    function ok(d) {
      return (!typeSel.length || typeOk[types[d]]) && (!tmask || (masks[d] & tmask));
    }
    if (!ws.length) {
      var all = [];
      if (typeSel.length || tmask) for (var d = 0; d < meta.docs; d++) if (ok(d)) all.push(d);
      return Promise.resolve({ words: ws, ids: all });
    }
    return Promise.all(ws.map(lookup)).then(function (scs) {
      var ids = [], total = new Int16Array(meta.docs);
      for (var d = 0; d < meta.docs; d++) {
        var t = 0;
        for (var k = 0; k < scs.length && t >= 0; k++) t = scs[k][d] ? t + scs[k][d] : -1;
        if (t > 0 && ok(d)) { ids.push(d); total[d] = t; }
      }
      ids.sort(function (a, b) { return total[b] - total[a] || a - b; });
      return { words: ws, ids: ids };
    });
  }

  /* [url, title, summary, date, id] of each id. */
  function docs(ids) {
    var per = meta.docs_per_shard;
    return Promise.all(ids.map(function (id) {
      return get('d/' + Math.floor(id / per) + '.json').then(function (a) {
        return a[id % per].concat(id);
      });
    }));
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function longDate(ymd) {
    var m = /^(\d{4})-(\d\d)-(\d\d)/.exec(ymd || '');
    return m ? +m[3] + '. ' + MONTHS[+m[2] - 1] + ' ' + m[1] : '';
  }

  function render(d) {
    var id = d[4], li = el('li', '', 'card'), h = el('h3', '', 'card-title');
    var a = el('a', d[1]), p = el('p', '', 'meta'), type = meta.types[types[id]];
    var ts = meta.tracks.filter(function (t, i) { return masks[id] & (1 << i); });
    if (ts.length) li.className += ' t-' + ts[0].key;
    a.href = d[0];
    h.append(a);
    li.append(h, p);
    if (type) p.append(el('span', type.title, 'kicker'), ' ');
    if (d[3]) {
      var time = el('time', longDate(d[3]));
      time.setAttribute('datetime', d[3]);
      p.append(time);
    }
    if (ts.length) p.append(' · Spor: ' + ts.map(function (t) { return t.title; }).join(', '));
    if (d[2]) li.append(el('p', d[2], 'card-text'));
    return li;
  }

  var seq = 0, found = [], shown = 0, timer;
  function count(n) {
    return n.toLocaleString('da-DK') + (n === 1 ? ' resultat' : ' resultater');
  }

  function showMore(focus) {
    var my = seq, batch = found.slice(shown, shown + PAGE);
    return docs(batch).then(function (ds) {
      if (my !== seq) return;
      var first = null;
      ds.forEach(function (d) {
        var li = render(d);
        first = first || li;
        list.appendChild(li);
      });
      shown += ds.length;
      more.hidden = shown >= found.length;
      if (focus && first) first.querySelector('a').focus();
    });
  }

  function search() {
    clearTimeout(timer);
    var my = ++seq, q = input.value, ty = checked('type'), tr = checked('spor');
    syncUrl(q, ty, tr);
    return query(q, ty, tr).then(function (r) {
      if (my !== seq) return;
      found = r.ids;
      shown = 0;
      list.textContent = '';
      var active = r.words.length || ty.length || tr.length;
      box.hidden = !active;
      more.hidden = true;
      status.textContent = active ? count(found.length) : '';
      return showMore(false);
    }).catch(function () {
      if (my !== seq) return;
      status.textContent = FAIL;
    });
  }

  function syncUrl(q, ty, tr) {
    var p = new URLSearchParams();
    if (q.trim()) p.set('q', q.trim());
    ty.forEach(function (t) { p.append('type', meta.types[t].key); });
    tr.forEach(function (t) { p.append('spor', meta.tracks[t].key); });
    var s = p.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : '') + location.hash);
  }

  function filters(name, items, chosen) {
    var fs = root.querySelector('[data-filter="' + name + '"]');
    if (!fs || items.length < 2) return;
    items.forEach(function (t, i) {
      var label = el('label'), box = el('input');
      box.type = 'checkbox';
      box.name = name === 'tracks' ? 'spor' : 'type';
      box.value = i;
      box.checked = chosen.indexOf(t.key) >= 0;
      label.append(box, ' ' + t.title);
      fs.append(label);
    });
    fs.hidden = false;
  }

  function start(m) {
    meta = m;
    split = {};
    shards = {};
    m.split.forEach(function (p) { split[p] = 1; });
    m.shards.forEach(function (p) { shards[p] = 1; });
    var w = m.attr_width, nt = m.tracks.length;
    for (var d = 0; d < m.docs; d++) {
      var v = 0;
      for (var k = 0; k < w; k++) v = v * 64 + VAL[m.attrs.charCodeAt(d * w + k)];
      masks[d] = v % (1 << nt);
      types[d] = Math.floor(v / (1 << nt));
    }
    var params = new URLSearchParams(location.search);
    filters('tracks', m.tracks, params.getAll('spor'));
    filters('types', m.types, params.getAll('type'));
    input.value = params.get('q') || '';
    form.hidden = false;
    if (browse) browse.hidden = true;
    form.addEventListener('submit', function (e) { e.preventDefault(); search(); });
    form.addEventListener('change', function (e) { if (e.target.type === 'checkbox') search(); });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    more.addEventListener('click', function () {
      showMore(true).catch(function () { status.textContent = FAIL; });
    });
    if (input.value || params.has('spor') || params.has('type')) search();
  }

  window.formidlSearch = { words: words };
  fetch(base + 'meta.json', { cache: 'no-cache' }).then(function (r) {
    if (!r.ok) throw new Error('meta.json: ' + r.status);
    return r.json();
  }).then(start).catch(function () {
    if (status) status.textContent = 'Søgningen kunne ikke indlæses. Her er alt indhold, ordnet efter spor.';
  });
})();
