#!/usr/bin/python3
"""check_feeds.py - check every RSS and Atom feed of a built site.

Usage: /usr/bin/python3 tests/check_feeds.py OUTPUT_DIR BASE_URL

Every *.xml under OUTPUT_DIR whose root element is <rss> or <feed> is a
feed (sitemap*.xml is skipped).  Each one is parsed with feedparser (Debian's
python3-feedparser, which is installed for /usr/bin/python3 only) and must:

  - parse without bozo;
  - have language "da" and an atom:link rel="self" that points at the feed
    file itself;
  - give every entry a title, link, id/guid and a published date;
  - (RSS) write every pubDate and lastBuildDate as RFC 822 with English
    day and month names, the right day name and a numeric zone (+0100), which
    is checked on the raw XML because feedparser quietly drops dates it
    cannot read; (Atom) write RFC 3339 dates;
  - list entries newest first, with no guid twice;
  - link entries and enclosures to URLs under BASE_URL that exist in
    OUTPUT_DIR (a URL ending in '/' means its index.html; the path is
    percent-decoded);
  - agree with the page: when the linked HTML page has a
    <time class="dt-published" datetime="..."> (the first one is the page's
    main date), the entry's published date must be the same moment (or the
    same day, when the page gives only a date).  Pages without such an
    element are not compared.

Prints "ok FEED: N items" or "FAIL FEED: reasons" per feed and finally
"N passed, N failed" (counting feeds); exits 1 on any failure, and also when
there is no feed at all or no /feed.xml, which every site must have.
"""

import calendar
import datetime
import email.utils
import html.parser
import os
import re
import sys
import urllib.parse

RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
    r"(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$")
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
MAX_REASONS = 8


class Failure(Exception):
    pass


# ---- URLs and files ------------------------------------------------------

def url_to_file(url, base, outdir):
    """The file under outdir that url names; raises Failure otherwise."""
    if not url:
        raise Failure("empty URL")
    if not url.startswith(base):
        raise Failure("%s is not under %s" % (url, base))
    rest = url[len(base):].split("#", 1)[0].split("?", 1)[0]
    try:
        path = urllib.parse.unquote(rest, errors="strict")
    except UnicodeDecodeError:
        raise Failure("%s: percent-encoding is not UTF-8" % url)
    if path == "" or path.endswith("/"):
        path += "index.html"
    root = os.path.realpath(outdir)
    full = os.path.realpath(os.path.join(root, path))
    if full != root and not full.startswith(root + os.sep):
        raise Failure("%s leaves the output folder" % url)
    if os.path.isdir(full):
        raise Failure("%s is a folder (a page link must end in '/')" % url)
    if not os.path.isfile(full):
        raise Failure("%s: no such file %s" % (url, os.path.relpath(full,
                                                                     root)))
    return full


# ---- dates ---------------------------------------------------------------

def check_rfc822(raw):
    """None when raw is a correct RFC 822 date, else the reason."""
    m = RFC822.match(raw.strip())
    if not m:
        return "date %r is not RFC 822 with English names and a numeric " \
               "zone" % raw
    day, d, mon, y = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
    try:
        real = datetime.date(y, MONTHS.index(mon) + 1, d)
    except ValueError:
        return "date %r does not exist" % raw
    if DAYS[real.weekday()] != day:
        return "date %r: %s is a %s" % (raw, real.isoformat(),
                                        DAYS[real.weekday()])
    return None


def parse_any_date(raw):
    """An aware datetime from an RFC 822 or RFC 3339 string, or None."""
    raw = raw.strip()
    try:
        if RFC822.match(raw):
            return email.utils.parsedate_to_datetime(raw)
        return datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None


class TimeFinder(html.parser.HTMLParser):
    """Finds the first <time class="... dt-published ..." datetime=...>."""

    class Found(Exception):
        pass

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.value = None

    def handle_starttag(self, tag, attrs):
        if tag != "time":
            return
        a = dict(attrs)
        if "dt-published" in (a.get("class") or "").split() and \
                a.get("datetime"):
            self.value = a["datetime"]
            raise TimeFinder.Found()


_page_dates = {}


def page_date(path):
    """The page's dt-published datetime attribute, or None."""
    if path not in _page_dates:
        finder = TimeFinder()
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        try:
            finder.feed(text)
            finder.close()
        except TimeFinder.Found:
            pass
        _page_dates[path] = finder.value
    return _page_dates[path]


def same_date(entry_raw, page_raw):
    """None when the entry date and the page date agree, else the reason."""
    entry = parse_any_date(entry_raw)
    if entry is None:
        return "unreadable date %r" % entry_raw
    page_raw = page_raw.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", page_raw):
        if entry.date().isoformat() != page_raw:
            return "published %r but the page says %s" % (entry_raw,
                                                          page_raw)
        return None
    try:
        page = datetime.datetime.fromisoformat(page_raw.replace("Z",
                                                                "+00:00"))
    except ValueError:
        return "the page's datetime %r is unreadable" % page_raw
    if page.tzinfo is None:
        ok = entry.replace(tzinfo=None) == page
    else:
        ok = entry == page
    if not ok:
        return "published %r but the page says %s" % (entry_raw, page_raw)
    return None


# ---- one feed ------------------------------------------------------------

def check_feed(feedparser, path, outdir, base):
    """(number of entries, list of reasons it fails)."""
    reasons = []
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8", errors="replace")
    d = feedparser.parse(raw)
    if d.bozo:
        reasons.append("feedparser: %s" % d.get("bozo_exception"))
    is_atom = d.get("version", "").startswith("atom")
    feed = d.feed

    if feed.get("language") != "da":
        reasons.append("language is %r, not 'da'" % feed.get("language"))

    selfs = [l.get("href") for l in feed.get("links", [])
             if l.get("rel") == "self"]
    if not selfs:
        reasons.append("no atom:link rel=\"self\"")
    for href in selfs:
        try:
            target = url_to_file(href, base, outdir)
            if target != os.path.realpath(path):
                reasons.append("self link %s names %s, not this feed" %
                               (href, os.path.relpath(target, outdir)))
        except Failure as e:
            reasons.append("self link: %s" % e)

    if feed.get("link"):
        try:
            url_to_file(feed.link, base, outdir)
        except Failure as e:
            reasons.append("channel link: %s" % e)

    # Raw dates: feedparser hides the ones it cannot read.
    if is_atom:
        for tag in ("published", "updated"):
            for s in re.findall(r"<%s>([^<]*)</%s>" % (tag, tag), text):
                if not RFC3339.match(s.strip()):
                    reasons.append("%s %r is not RFC 3339" % (tag, s))
    else:
        dates = re.findall(r"<pubDate>([^<]*)</pubDate>", text)
        for s in dates + re.findall(r"<lastBuildDate>([^<]*)</lastBuildDate>",
                                    text):
            why = check_rfc822(s)
            if why:
                reasons.append(why)
        if len(dates) != len(d.entries):
            reasons.append("%d items but %d pubDate elements" %
                           (len(d.entries), len(dates)))

    seen_ids = set()
    previous = None
    for i, e in enumerate(d.entries):
        label = "item %d (%s)" % (i + 1, e.get("link") or e.get("title"))
        for key in ("title", "link", "id"):
            if not e.get(key):
                reasons.append("%s has no %s" % (label, key))
        if e.get("id"):
            if e.id in seen_ids:
                reasons.append("%s: guid %s appears twice" % (label, e.id))
            seen_ids.add(e.id)
        when = e.get("published_parsed")
        if not when:
            reasons.append("%s has no readable published date" % label)
        else:
            t = calendar.timegm(when)
            if previous is not None and t > previous:
                reasons.append("%s is newer than the item before it "
                               "(items must be newest first)" % label)
            previous = t

        page = None
        if e.get("link"):
            try:
                page = url_to_file(e.link, base, outdir)
            except Failure as err:
                reasons.append("%s: link %s" % (label, err))
        for enc in e.get("enclosures", []):
            try:
                url_to_file(enc.get("href"), base, outdir)
            except Failure as err:
                reasons.append("%s: enclosure %s" % (label, err))

        if page and page.endswith((".html", ".htm")) and e.get("published"):
            pd = page_date(page)
            if pd:
                why = same_date(e.published, pd)
                if why:
                    reasons.append("%s: %s" % (label, why))
    return len(d.entries), reasons


# ---- main ----------------------------------------------------------------

def find_feeds(outdir):
    feeds = []
    for dirpath, dirnames, filenames in os.walk(outdir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".xml") or name.startswith("sitemap"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                head = f.read(4096)
            m = re.search(rb"<(rss|feed|urlset|sitemapindex)[\s>/]", head)
            if m and m.group(1) in (b"rss", b"feed"):
                feeds.append(path)
    return feeds


def main(argv):
    if len(argv) != 3:
        print("usage: /usr/bin/python3 tests/check_feeds.py OUTPUT_DIR "
              "BASE_URL", file=sys.stderr)
        return 2
    outdir, base = argv[1], argv[2]
    if not base.endswith("/"):
        base += "/"

    try:
        import feedparser
    except ImportError:
        print("FAIL feedparser is missing for %s (apt-get install "
              "python3-feedparser)" % sys.executable)
        print("0 passed, 1 failed")
        return 1
    if not os.path.isdir(outdir):
        print("FAIL %s is not a folder" % outdir)
        print("0 passed, 1 failed")
        return 1

    passed = failed = 0
    feeds = find_feeds(outdir)
    if not feeds:
        print("FAIL no RSS or Atom feed under %s (a site must have at least "
              "/feed.xml)" % outdir)
        print("0 passed, 1 failed")
        return 1
    if not os.path.isfile(os.path.join(outdir, "feed.xml")):
        print("FAIL feed.xml: missing (every site has /feed.xml)")
        failed += 1

    for path in feeds:
        rel = os.path.relpath(path, outdir).replace(os.sep, "/")
        try:
            n, reasons = check_feed(feedparser, path, outdir, base)
        except Exception as e:  # a checker must report, never crash
            n, reasons = 0, ["checker error: %s: %s" % (type(e).__name__, e)]
        if reasons:
            failed += 1
            more = len(reasons) - MAX_REASONS
            msg = "; ".join(reasons[:MAX_REASONS])
            if more > 0:
                msg += "; and %d more" % more
            print("FAIL %s: %s" % (rel, msg))
        else:
            passed += 1
            print("ok %s: %d item%s" % (rel, n, "" if n == 1 else "s"))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
