/*
 * feed.c - RSS 2.0 (plain and podcast), Atom 1.0 and sitemaps written with
 * libxml2's xmlTextWriter, plus URL percent-encoding and the rewriting of
 * relative URLs in HTML that feed readers need.
 *
 * Design
 *
 * - Every byte of XML comes from xmlTextWriter, so escaping, namespaces
 *   declarations and nesting are the library's job, not string pasting.
 *   The writer goes to an xmlBuffer through a small wrapper (feed_writer)
 *   that remembers the first failing call; after a failure every further
 *   call is skipped, and closing frees everything, appends nothing to the
 *   caller's buf, adds one diagnostic and returns -1.  On success the
 *   document is appended to the caller's buf.
 *
 * - Output is deterministic: indentation is on with a fixed two-space
 *   string, elements and attributes come in a fixed order, and the only
 *   times written are the dates handed in (no clock is read).
 *
 * - Text is made safe for XML 1.0 before it reaches the writer: characters
 *   XML forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) are
 *   dropped, and a byte that is not valid UTF-8 (the input should be valid,
 *   but a feed must never be broken by one bad byte) becomes U+FFFD.
 *   Text that needs no change is passed through without a copy.
 *
 * - Every URL written (links, guids, enclosures, images, sitemap locs) goes
 *   through url_encode, which is idempotent, so callers may pass URLs with
 *   raw æ ø å or already-encoded ones.
 *
 * - content:encoded and Atom <content type="html"> carry the HTML as
 *   escaped text (&lt;p&gt;...), not CDATA: equivalent for every XML
 *   reader and it cannot be broken by a "]]>" in the content.
 *
 * - Atom needs an <updated> on the feed even when it has no entries.  It
 *   is the newest of last_build and every entry's date and updated; with no
 *   date at all it is the Unix epoch, 1970-01-01T00:00:00+00:00, so a feed
 *   without items is still valid and still deterministic.  Atom also wants
 *   an author for every entry: the feed gets <author><name> (the channel's
 *   author, else its title) so entries without one inherit it.
 *
 * - html_absolute_urls is a linear scanner, not an HTML parser: the input
 *   is cmark-gfm output or the site's own HTML, in which '<' in text is
 *   always escaped, so every '<' followed by a letter opens a real tag.
 *   Comments, <!...>, <?...?> and the contents of raw-text elements
 *   (script, style, textarea, ...) are copied untouched; inside a start tag
 *   only the values of href and src attributes are rewritten; every other
 *   byte is copied as it is.  Resolution follows RFC 3986 section 5.2,
 *   including the removal of "." and ".." segments.
 */
#include "feed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"

/* ------------------------------------------------------------------ */
/* Test hook                                                          */
/* ------------------------------------------------------------------ */

static _Thread_local long feed_fail_countdown = -1;

void feed_test_fail_after(long n)
{
    feed_fail_countdown = n < 0 ? -1 : n;
}

/* ------------------------------------------------------------------ */
/* Text safe for XML 1.0                                              */
/* ------------------------------------------------------------------ */

static int feed_xml_char_ok(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD ||
           (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Text XML 1.0 can carry: s itself when it is already fine, otherwise a
 * cleaned copy in scratch (forbidden characters dropped, invalid UTF-8
 * bytes replaced by U+FFFD).  NULL reads as "". */
static const char *feed_xml_text(const char *s, buf *scratch)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, i = 0, start;

    if (!s)
        return "";
    n = strlen(s);
    /* Fast path: find the first byte that needs attention. */
    for (;;) {
        while (i < n && p[i] >= 0x20 && p[i] < 0x80)
            i++;
        if (i == n)
            return s;
        uint32_t cp;
        size_t k = utf8_decode((const char *)p + i, n - i, &cp);
        if (cp == UINT32_MAX || !feed_xml_char_ok(cp))
            break;
        i += k;
    }
    buf_clear(scratch);
    buf_put(scratch, s, i);
    start = i;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode((const char *)p + i, n - i, &cp);
        if (cp == UINT32_MAX || !feed_xml_char_ok(cp)) {
            buf_put(scratch, s + start, i - start);
            if (cp == UINT32_MAX)
                buf_puts(scratch, "\xEF\xBF\xBD");
            start = i + k;
        }
        i += k;
    }
    buf_put(scratch, s + start, n - start);
    return scratch->data;
}

/* ------------------------------------------------------------------ */
/* The writer wrapper                                                 */
/* ------------------------------------------------------------------ */

typedef struct feed_writer {
    xmlBufferPtr xbuf;
    xmlTextWriterPtr w;
    buf text;               /* cleaned text */
    buf scratch;            /* URLs and dates */
    const char *failed_at;  /* the first call that failed; NULL if none */
} feed_writer;

/* Record the result of a libxml2 call; returns 1 when it succeeded.  The
 * test hook turns a success into a failure here. */
static int fw_check(feed_writer *fw, int rc, const char *what)
{
    if (fw->failed_at)
        return 0;
    if (feed_fail_countdown >= 0 && feed_fail_countdown-- == 0)
        rc = -1;
    if (rc < 0) {
        fw->failed_at = what;
        return 0;
    }
    return 1;
}

static void fw_open(feed_writer *fw)
{
    memset(fw, 0, sizeof *fw);
    buf_init(&fw->text);
    buf_init(&fw->scratch);
    xmlInitParser();
    fw->xbuf = xmlBufferCreate();
    if (!fw_check(fw, fw->xbuf ? 0 : -1, "xmlBufferCreate"))
        return;
    fw->w = xmlNewTextWriterMemory(fw->xbuf, 0);
    if (!fw_check(fw, fw->w ? 0 : -1, "xmlNewTextWriterMemory"))
        return;
    if (!fw_check(fw, xmlTextWriterSetIndent(fw->w, 1),
                  "xmlTextWriterSetIndent"))
        return;
    if (!fw_check(fw, xmlTextWriterSetIndentString(fw->w, BAD_CAST "  "),
                  "xmlTextWriterSetIndentString"))
        return;
    fw_check(fw, xmlTextWriterStartDocument(fw->w, "1.0", "UTF-8", NULL),
             "xmlTextWriterStartDocument");
}

/* Finish the document and append it to out; on any failure append
 * nothing, report what failed and return -1.  Frees everything. */
static int fw_close(feed_writer *fw, buf *out, diag *d, const char *what)
{
    int rc = 0;

    if (!fw->failed_at)
        fw_check(fw, xmlTextWriterEndDocument(fw->w),
                 "xmlTextWriterEndDocument");
    if (fw->w)
        xmlFreeTextWriter(fw->w);   /* flushes into xbuf */
    if (!fw->failed_at && fw->xbuf) {
        const xmlChar *content = xmlBufferContent(fw->xbuf);
        int len = xmlBufferLength(fw->xbuf);
        if (content && len > 0)
            buf_put(out, (const char *)content, (size_t)len);
    }
    if (fw->xbuf)
        xmlBufferFree(fw->xbuf);
    if (fw->failed_at) {
        if (d)
            diag_error(d, NULL, 0, 0, "could not write the %s: libxml2's %s "
                       "failed", what, fw->failed_at);
        rc = -1;
    }
    buf_free(&fw->text);
    buf_free(&fw->scratch);
    return rc;
}

static void fw_start(feed_writer *fw, const char *name)
{
    if (!fw->failed_at)
        fw_check(fw, xmlTextWriterStartElement(fw->w, BAD_CAST name),
                 "xmlTextWriterStartElement");
}

static void fw_end(feed_writer *fw)
{
    if (!fw->failed_at)
        fw_check(fw, xmlTextWriterEndElement(fw->w),
                 "xmlTextWriterEndElement");
}

/* An attribute whose value is written as given (constants, namespaces). */
static void fw_attr_raw(feed_writer *fw, const char *name, const char *value)
{
    if (!fw->failed_at)
        fw_check(fw, xmlTextWriterWriteAttribute(fw->w, BAD_CAST name,
                                                 BAD_CAST value),
                 "xmlTextWriterWriteAttribute");
}

static void fw_attr(feed_writer *fw, const char *name, const char *value)
{
    if (!fw->failed_at)
        fw_attr_raw(fw, name, feed_xml_text(value, &fw->text));
}

static void fw_attr_url(feed_writer *fw, const char *name, const char *url)
{
    if (fw->failed_at)
        return;
    buf_clear(&fw->scratch);
    url_encode(url, &fw->scratch);
    fw_attr(fw, name, fw->scratch.data);
}

/* <name>text</name>; NULL text gives an empty element. */
static void fw_elem(feed_writer *fw, const char *name, const char *text)
{
    if (!fw->failed_at)
        fw_check(fw, xmlTextWriterWriteElement(
                         fw->w, BAD_CAST name,
                         BAD_CAST feed_xml_text(text, &fw->text)),
                 "xmlTextWriterWriteElement");
}

static void fw_elem_url(feed_writer *fw, const char *name, const char *url)
{
    if (fw->failed_at)
        return;
    buf_clear(&fw->scratch);
    url_encode(url, &fw->scratch);
    fw_elem(fw, name, fw->scratch.data);
}

enum { FEED_DATE_RFC822, FEED_DATE_ISO, FEED_DATE_W3C };

/* <name>date</name>: RFC 822, ISO 8601, or for sitemaps ISO 8601 when the
 * date has a time of day and YYYY-MM-DD when it has not. */
static void fw_elem_date(feed_writer *fw, const char *name,
                         const datetime *dt, int style)
{
    if (fw->failed_at)
        return;
    buf_clear(&fw->scratch);
    if (style == FEED_DATE_RFC822)
        date_format_rfc822(dt, &fw->scratch);
    else if (style == FEED_DATE_ISO || dt->has_time)
        date_format_iso(dt, &fw->scratch);
    else
        date_format_ymd(dt, &fw->scratch);
    fw_elem(fw, name, fw->scratch.data);
}

/* <name attr="value"/> */
static void fw_empty(feed_writer *fw, const char *name, const char *attr,
                     const char *value, int is_url)
{
    fw_start(fw, name);
    if (is_url)
        fw_attr_url(fw, attr, value);
    else
        fw_attr(fw, attr, value);
    fw_end(fw);
}

static int feed_bad_args(diag *d, const char *what)
{
    if (d)
        diag_error(d, NULL, 0, 0, "could not write the %s: no channel given",
                   what);
    return -1;
}

/* ------------------------------------------------------------------ */
/* RSS 2.0 and podcasts                                               */
/* ------------------------------------------------------------------ */

static void rss_item(feed_writer *fw, const feed_channel *c,
                     const feed_item *it, int podcast)
{
    fw_start(fw, "item");
    fw_elem(fw, "title", it->title);
    if (it->link) {
        fw_elem_url(fw, "link", it->link);
        fw_start(fw, "guid");
        fw_attr_raw(fw, "isPermaLink", "true");
        if (!fw->failed_at) {
            buf_clear(&fw->scratch);
            url_encode(it->link, &fw->scratch);
            fw_check(fw, xmlTextWriterWriteString(
                             fw->w, BAD_CAST feed_xml_text(fw->scratch.data,
                                                           &fw->text)),
                     "xmlTextWriterWriteString");
        }
        fw_end(fw);
    }
    if (it->date)
        fw_elem_date(fw, "pubDate", it->date, FEED_DATE_RFC822);
    if (it->summary)
        fw_elem(fw, "description", it->summary);
    if (it->content_html)
        fw_elem(fw, "content:encoded", it->content_html);
    for (size_t i = 0; i < it->ncategories; i++)
        if (it->categories && it->categories[i])
            fw_elem(fw, "category", it->categories[i]);
    if (it->author)
        fw_elem(fw, "dc:creator", it->author);
    if (it->enclosure_url) {
        char len[32];
        snprintf(len, sizeof len, "%lld",
                 it->enclosure_length > 0 ? it->enclosure_length : 0LL);
        fw_start(fw, "enclosure");
        fw_attr_url(fw, "url", it->enclosure_url);
        fw_attr_raw(fw, "length", len);
        fw_attr(fw, "type", it->enclosure_type ? it->enclosure_type
                                               : "application/octet-stream");
        fw_end(fw);
    }
    if (podcast) {
        const char *author = it->author ? it->author : c->author;
        if (it->duration)
            fw_elem(fw, "itunes:duration", it->duration);
        if (it->summary)
            fw_elem(fw, "itunes:summary", it->summary);
        if (it->image_url)
            fw_empty(fw, "itunes:image", "href", it->image_url, 1);
        fw_elem(fw, "itunes:explicit", "false");
        if (author)
            fw_elem(fw, "itunes:author", author);
    }
    fw_end(fw);
}

static int rss_write(const feed_channel *c, buf *out, diag *d, int podcast)
{
    const char *what = podcast ? "podcast feed" : "RSS feed";
    feed_writer fw;

    if (!c || !out)
        return feed_bad_args(d, what);
    fw_open(&fw);
    fw_start(&fw, "rss");
    fw_attr_raw(&fw, "version", "2.0");
    fw_attr_raw(&fw, "xmlns:content", NS_CONTENT);
    fw_attr_raw(&fw, "xmlns:dc", NS_DC);
    fw_attr_raw(&fw, "xmlns:atom", NS_ATOM);
    if (podcast)
        fw_attr_raw(&fw, "xmlns:itunes", NS_ITUNES);
    fw_start(&fw, "channel");
    fw_elem(&fw, "title", c->title);
    fw_elem_url(&fw, "link", c->link);
    fw_elem(&fw, "description", c->description);
    if (c->language)
        fw_elem(&fw, "language", c->language);
    if (c->last_build)
        fw_elem_date(&fw, "lastBuildDate", c->last_build, FEED_DATE_RFC822);
    if (c->generator)
        fw_elem(&fw, "generator", c->generator);
    if (c->self_url) {
        fw_start(&fw, "atom:link");
        fw_attr_url(&fw, "href", c->self_url);
        fw_attr_raw(&fw, "rel", "self");
        fw_attr_raw(&fw, "type", "application/rss+xml");
        fw_end(&fw);
    }
    if (podcast) {
        if (c->author)
            fw_elem(&fw, "itunes:author", c->author);
        if (c->description)
            fw_elem(&fw, "itunes:summary", c->description);
        if (c->image_url)
            fw_empty(&fw, "itunes:image", "href", c->image_url, 1);
        if (c->category)
            fw_empty(&fw, "itunes:category", "text", c->category, 0);
        fw_elem(&fw, "itunes:explicit", "false");
        if (c->owner_email) {
            fw_start(&fw, "itunes:owner");
            fw_elem(&fw, "itunes:name", c->author ? c->author : c->title);
            fw_elem(&fw, "itunes:email", c->owner_email);
            fw_end(&fw);
        }
    }
    for (size_t i = 0; i < c->nitems && c->items; i++)
        rss_item(&fw, c, &c->items[i], podcast);
    fw_end(&fw);    /* channel */
    fw_end(&fw);    /* rss */
    return fw_close(&fw, out, d, what);
}

int feed_write_rss(const feed_channel *c, buf *out, diag *d)
{
    return rss_write(c, out, d, 0);
}

int feed_write_podcast(const feed_channel *c, buf *out, diag *d)
{
    return rss_write(c, out, d, 1);
}

/* ------------------------------------------------------------------ */
/* Atom 1.0                                                           */
/* ------------------------------------------------------------------ */

/* The newest of last_build and every entry's date and updated, or the
 * epoch (in UTC) when there is none: the feed-level <updated>. */
static const datetime *atom_feed_updated(const feed_channel *c)
{
    static const datetime epoch = {1970, 1, 1, 0, 0, 0, 0, 1, 0};
    const datetime *best = c->last_build;

    for (size_t i = 0; i < c->nitems && c->items; i++) {
        const datetime *cand[2] = {c->items[i].date, c->items[i].updated};
        for (int k = 0; k < 2; k++)
            if (cand[k] && (!best || cand[k]->epoch > best->epoch))
                best = cand[k];
    }
    return best ? best : &epoch;
}

static void atom_link(feed_writer *fw, const char *rel, const char *type,
                      const char *href)
{
    fw_start(fw, "link");
    fw_attr_raw(fw, "rel", rel);
    if (type)
        fw_attr(fw, "type", type);
    fw_attr_url(fw, "href", href);
    fw_end(fw);
}

static void atom_entry(feed_writer *fw, const feed_item *it,
                       const datetime *feed_updated)
{
    const datetime *upd = it->updated ? it->updated
                          : it->date  ? it->date
                                      : feed_updated;

    fw_start(fw, "entry");
    fw_elem(fw, "title", it->title);
    if (it->link) {
        atom_link(fw, "alternate", "text/html", it->link);
        fw_elem_url(fw, "id", it->link);
    }
    if (it->date)
        fw_elem_date(fw, "published", it->date, FEED_DATE_ISO);
    fw_elem_date(fw, "updated", upd, FEED_DATE_ISO);
    if (it->author) {
        fw_start(fw, "author");
        fw_elem(fw, "name", it->author);
        fw_end(fw);
    }
    for (size_t i = 0; i < it->ncategories; i++)
        if (it->categories && it->categories[i])
            fw_empty(fw, "category", "term", it->categories[i], 0);
    if (it->summary)
        fw_elem(fw, "summary", it->summary);
    if (it->content_html) {
        fw_start(fw, "content");
        fw_attr_raw(fw, "type", "html");
        if (!fw->failed_at)
            fw_check(fw, xmlTextWriterWriteString(
                             fw->w, BAD_CAST feed_xml_text(it->content_html,
                                                           &fw->text)),
                     "xmlTextWriterWriteString");
        fw_end(fw);
    }
    if (it->enclosure_url) {
        char len[32];
        snprintf(len, sizeof len, "%lld",
                 it->enclosure_length > 0 ? it->enclosure_length : 0LL);
        fw_start(fw, "link");
        fw_attr_raw(fw, "rel", "enclosure");
        fw_attr(fw, "type", it->enclosure_type ? it->enclosure_type
                                               : "application/octet-stream");
        fw_attr_raw(fw, "length", len);
        fw_attr_url(fw, "href", it->enclosure_url);
        fw_end(fw);
    }
    fw_end(fw);
}

int feed_write_atom(const feed_channel *c, buf *out, diag *d)
{
    feed_writer fw;
    const datetime *updated;

    if (!c || !out)
        return feed_bad_args(d, "Atom feed");
    updated = atom_feed_updated(c);
    fw_open(&fw);
    fw_start(&fw, "feed");
    fw_attr_raw(&fw, "xmlns", NS_ATOM);
    if (c->language)
        fw_attr(&fw, "xml:lang", c->language);
    fw_elem(&fw, "title", c->title);
    if (c->description)
        fw_elem(&fw, "subtitle", c->description);
    if (c->link)
        atom_link(&fw, "alternate", "text/html", c->link);
    if (c->self_url)
        atom_link(&fw, "self", "application/atom+xml", c->self_url);
    fw_elem_url(&fw, "id", c->self_url ? c->self_url : c->link);
    fw_elem_date(&fw, "updated", updated, FEED_DATE_ISO);
    fw_start(&fw, "author");
    fw_elem(&fw, "name", c->author ? c->author : c->title);
    fw_end(&fw);
    if (c->generator)
        fw_elem(&fw, "generator", c->generator);
    for (size_t i = 0; i < c->nitems && c->items; i++)
        atom_entry(&fw, &c->items[i], updated);
    fw_end(&fw);
    return fw_close(&fw, out, d, "Atom feed");
}

/* ------------------------------------------------------------------ */
/* Sitemaps                                                           */
/* ------------------------------------------------------------------ */

int sitemap_write(const sitemap_entry *e, size_t n, buf *out, diag *d)
{
    feed_writer fw;

    if (!out || (n && !e))
        return feed_bad_args(d, "sitemap");
    fw_open(&fw);
    fw_start(&fw, "urlset");
    fw_attr_raw(&fw, "xmlns", NS_SITEMAP);
    for (size_t i = 0; i < n; i++) {
        fw_start(&fw, "url");
        fw_elem_url(&fw, "loc", e[i].loc);
        if (e[i].lastmod)
            fw_elem_date(&fw, "lastmod", e[i].lastmod, FEED_DATE_W3C);
        fw_end(&fw);
    }
    fw_end(&fw);
    return fw_close(&fw, out, d, "sitemap");
}

int sitemap_write_index(const char *const *locs, size_t n,
                        const datetime *lastmod, buf *out, diag *d)
{
    feed_writer fw;

    if (!out || (n && !locs))
        return feed_bad_args(d, "sitemap index");
    fw_open(&fw);
    fw_start(&fw, "sitemapindex");
    fw_attr_raw(&fw, "xmlns", NS_SITEMAP);
    for (size_t i = 0; i < n; i++) {
        fw_start(&fw, "sitemap");
        fw_elem_url(&fw, "loc", locs[i]);
        if (lastmod)
            fw_elem_date(&fw, "lastmod", lastmod, FEED_DATE_W3C);
        fw_end(&fw);
    }
    fw_end(&fw);
    return fw_close(&fw, out, d, "sitemap index");
}

/* ------------------------------------------------------------------ */
/* url_encode                                                         */
/* ------------------------------------------------------------------ */

static int url_is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
           (c >= 'a' && c <= 'f');
}

/* Bytes that may not appear as they are in a URL: controls, space,
 * non-ASCII and " < > \ ^ ` { | }.  A '%' is kept only when it starts a
 * %XX escape; a stray '%' becomes %25. */
void url_encode(const char *url, buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)url;
    size_t start = 0, i;

    if (!url)
        return;
    for (i = 0; p[i]; i++) {
        unsigned c = p[i];
        int enc;
        switch (c) {
        case ' ': case '"': case '<': case '>': case '\\': case '^':
        case '`': case '{': case '|': case '}':
            enc = 1;
            break;
        case '%':
            enc = !(url_is_hex(p[i + 1]) && url_is_hex(p[i + 2]));
            break;
        default:
            enc = c < 0x20 || c >= 0x7F;
            break;
        }
        if (!enc)
            continue;
        buf_put(out, url + start, i - start);
        buf_putc(out, '%');
        buf_putc(out, hex[c >> 4]);
        buf_putc(out, hex[c & 15]);
        start = i + 1;
    }
    buf_put(out, url + start, i - start);
}

/* ------------------------------------------------------------------ */
/* Resolving URLs (RFC 3986 section 5.2)                              */
/* ------------------------------------------------------------------ */

/* The parts of an absolute base URL, as offsets into it. */
typedef struct url_base {
    const char *s;
    size_t scheme_end;  /* the ':' after the scheme */
    size_t path_start;  /* end of "scheme://authority" */
    size_t query_start; /* '?' or end of path */
    size_t frag_start;  /* '#' or end */
} url_base;

static int url_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the scheme of s[0..n) (up to, not including, ':'), or 0 when
 * s does not start with one. */
static size_t url_scheme_len(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || !url_is_alpha((unsigned char)s[0]))
        return 0;
    for (i = 1; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == ':')
            return i;
        if (!url_is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' &&
            c != '-' && c != '.')
            return 0;
    }
    return 0;
}

/* Split an absolute URL with an authority ("https://host/...").  Returns 0
 * when base is not one. */
static int url_base_parse(const char *s, url_base *b)
{
    size_t n = strlen(s), i;

    b->s = s;
    b->scheme_end = url_scheme_len(s, n);
    if (!b->scheme_end || strncmp(s + b->scheme_end, "://", 3) != 0)
        return 0;
    i = b->scheme_end + 3;
    while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
        i++;
    b->path_start = i;
    while (i < n && s[i] != '?' && s[i] != '#')
        i++;
    b->query_start = i;
    while (i < n && s[i] != '#')
        i++;
    b->frag_start = i;
    return 1;
}

/* Append path p[0..n) to out with "." and ".." segments removed (RFC 3986
 * 5.2.4).  Works on a copy because two of the steps rewrite the input. */
static void url_remove_dots(const char *p, size_t n, buf *out)
{
    char *in = xstrndup(p, n);
    size_t i = 0, base = out->len;

    while (i < n) {
        const char *r = in + i;
        size_t left = n - i;
        if (left >= 3 && memcmp(r, "../", 3) == 0) {
            i += 3;
        } else if (left >= 2 && memcmp(r, "./", 2) == 0) {
            i += 2;
        } else if (left >= 3 && memcmp(r, "/./", 3) == 0) {
            i += 2;                         /* "/./x" -> "/x" */
        } else if (left == 2 && memcmp(r, "/.", 2) == 0) {
            in[i + 1] = '/';                /* "/." -> "/" */
            i += 1;
        } else if ((left >= 4 && memcmp(r, "/../", 4) == 0) ||
                   (left == 3 && memcmp(r, "/..", 3) == 0)) {
            if (left == 3) {
                in[i + 2] = '/';            /* "/.." -> "/" */
                i += 2;
            } else {
                i += 3;                     /* "/../x" -> "/x" */
            }
            /* Drop the last segment written, and its '/'. */
            while (out->len > base && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len > base)
                out->len--;
            out->data[out->len] = '\0';
        } else if ((left == 1 && r[0] == '.') ||
                   (left == 2 && memcmp(r, "..", 2) == 0)) {
            i = n;
        } else {
            size_t k = r[0] == '/' ? 1 : 0;
            while (k < left && r[k] != '/')
                k++;
            buf_put(out, r, k);
            i += k;
        }
    }
    free(in);
}

/* Append the absolute form of reference ref[0..n) resolved against base.
 * A reference with a scheme is appended unchanged. */
static void url_resolve(const url_base *b, const char *ref, size_t n,
                        buf *out)
{
    size_t path_end = 0, query_end;
    const char *s = b->s;

    if (url_scheme_len(ref, n)) {
        buf_put(out, ref, n);
        return;
    }
    if (n >= 2 && ref[0] == '/' && ref[1] == '/') {
        buf_put(out, s, b->scheme_end + 1);     /* "https:" */
        buf_put(out, ref, n);
        return;
    }
    while (path_end < n && ref[path_end] != '?' && ref[path_end] != '#')
        path_end++;
    query_end = path_end;
    while (query_end < n && ref[query_end] != '#')
        query_end++;

    buf_put(out, s, b->path_start);             /* scheme://authority */
    if (path_end == 0) {
        /* "", "?q" or "#f": the base's path, and its query unless the
         * reference has one. */
        buf_put(out, s + b->path_start, b->query_start - b->path_start);
        if (query_end == 0)
            buf_put(out, s + b->query_start, b->frag_start - b->query_start);
    } else if (ref[0] == '/') {
        url_remove_dots(ref, path_end, out);
    } else {
        /* Merge: the base path up to its last '/', then the reference. */
        buf merged = BUF_INIT;
        size_t dir = b->query_start;
        buf_init(&merged);
        while (dir > b->path_start && s[dir - 1] != '/')
            dir--;
        if (dir == b->path_start)
            buf_putc(&merged, '/');
        else
            buf_put(&merged, s + b->path_start, dir - b->path_start);
        buf_put(&merged, ref, path_end);
        url_remove_dots(merged.data, merged.len, out);
        buf_free(&merged);
    }
    buf_put(out, ref + path_end, n - path_end); /* ?query#fragment */
}

/* ------------------------------------------------------------------ */
/* html_absolute_urls                                                 */
/* ------------------------------------------------------------------ */

static int html_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int html_name_is(const char *s, size_t n, const char *lower)
{
    size_t k = strlen(lower);
    if (n != k)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != lower[i])
            return 0;
    }
    return 1;
}

/* Elements whose contents are text up to their end tag, never tags. */
static int html_is_raw_text(const char *name, size_t n)
{
    static const char *const raw[] = {"script", "style", "textarea",
                                      "title", "xmp", "iframe", "noembed",
                                      "noframes"};
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        if (html_name_is(name, n, raw[i]))
            return 1;
    return 0;
}

/* Position of the first occurrence of needle (ASCII, lower case) in
 * h[from..n), compared case-insensitively; n when there is none. */
static size_t html_find_ci(const char *h, size_t from, size_t n,
                           const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++)
        if (html_name_is(h + i, k, needle))
            return i;
    return n;
}

static size_t html_find(const char *h, size_t from, size_t n,
                        const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0)
            return i;
    return n;
}

/* The base URL's text as it must appear inside an HTML attribute value:
 * & < > " ' escaped with entities that contain no '#', '/' or '?', so the
 * escaped string still splits into the same URL parts. */
static void html_escape_base(const char *s, buf *out)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '"': buf_puts(out, "&quot;"); break;
        case '\'': buf_puts(out, "&apos;"); break;
        default: buf_putc(out, *s); break;
        }
    }
}

/* Write an attribute value v[0..n), made absolute.  Leading and trailing
 * whitespace (which browsers strip from URLs) is dropped. */
static void html_put_url(const url_base *b, const char *v, size_t n,
                         buf *out)
{
    while (n && html_is_space((unsigned char)v[0])) {
        v++;
        n--;
    }
    while (n && html_is_space((unsigned char)v[n - 1]))
        n--;
    url_resolve(b, v, n, out);
}

/* Copy the start tag at h[i] ('<' then a letter) to out with its href and
 * src values made absolute.  Returns the position after the tag; sets
 * *raw when the element's contents are raw text (script, style, ...). */
static size_t html_start_tag(const char *h, size_t i, size_t n,
                             const url_base *b, buf *out, int *raw)
{
    size_t start = i, name_start, name_end;

    i++;                                        /* '<' */
    name_start = i;
    while (i < n && !html_is_space((unsigned char)h[i]) && h[i] != '/' &&
           h[i] != '>')
        i++;
    name_end = i;
    *raw = html_is_raw_text(h + name_start, name_end - name_start);
    buf_put(out, h + start, i - start);

    for (;;) {
        size_t an, ae;
        while (i < n && (html_is_space((unsigned char)h[i]) || h[i] == '/'))
            buf_putc(out, h[i++]);
        if (i >= n)
            return n;
        if (h[i] == '>') {
            if (h[i - 1] == '/')
                *raw = 0;                       /* <script/> */
            buf_putc(out, '>');
            return i + 1;
        }
        /* Attribute name (a leading '=' belongs to the name). */
        an = i++;
        while (i < n && !html_is_space((unsigned char)h[i]) && h[i] != '/' &&
               h[i] != '>' && h[i] != '=')
            i++;
        ae = i;
        buf_put(out, h + an, ae - an);
        while (i < n && html_is_space((unsigned char)h[i]))
            buf_putc(out, h[i++]);
        if (i >= n || h[i] != '=')
            continue;                           /* no value */
        buf_putc(out, h[i++]);
        while (i < n && html_is_space((unsigned char)h[i]))
            buf_putc(out, h[i++]);
        if (i >= n)
            return n;

        int is_url = html_name_is(h + an, ae - an, "href") ||
                     html_name_is(h + an, ae - an, "src");
        size_t vs, ve;
        char q = h[i];
        if (q == '"' || q == '\'') {
            const char *close = memchr(h + i + 1, q, n - i - 1);
            if (!close) {                       /* unterminated: copy */
                buf_put(out, h + i, n - i);
                return n;
            }
            vs = i + 1;
            ve = (size_t)(close - h);
            buf_putc(out, q);
            if (is_url)
                html_put_url(b, h + vs, ve - vs, out);
            else
                buf_put(out, h + vs, ve - vs);
            buf_putc(out, q);
            i = ve + 1;
        } else {
            vs = i;
            while (i < n && !html_is_space((unsigned char)h[i]) &&
                   h[i] != '>')
                i++;
            ve = i;
            if (is_url)
                html_put_url(b, h + vs, ve - vs, out);
            else
                buf_put(out, h + vs, ve - vs);
        }
    }
}

void html_absolute_urls(const char *html, size_t len, const char *page_url,
                        buf *out)
{
    url_base b;
    buf base = BUF_INIT;
    size_t i = 0;

    if (!html)
        return;
    buf_init(&base);
    if (page_url)
        html_escape_base(page_url, &base);
    if (!page_url || !url_base_parse(base.data, &b)) {
        buf_put(out, html, len);                /* nothing to resolve against */
        buf_free(&base);
        return;
    }
    /* A fragment of the page URL never takes part in resolution. */
    base.data[b.frag_start] = '\0';

    while (i < len) {
        const char *lt = memchr(html + i, '<', len - i);
        size_t t = lt ? (size_t)(lt - html) : len, e;
        buf_put(out, html + i, t - i);
        i = t;
        if (i >= len)
            break;
        char c1 = i + 1 < len ? html[i + 1] : '\0';
        if (url_is_alpha((unsigned char)c1)) {
            int raw;
            i = html_start_tag(html, i, len, &b, out, &raw);
            if (raw && i < len) {
                /* Copy the contents up to the matching end tag. */
                size_t ns = t + 1, ne = ns;
                buf close = BUF_INIT;
                buf_init(&close);
                while (ne < len && !html_is_space((unsigned char)html[ne]) &&
                       html[ne] != '/' && html[ne] != '>')
                    ne++;
                buf_puts(&close, "</");
                for (size_t k = ns; k < ne; k++) {
                    int c = (unsigned char)html[k];
                    buf_putc(&close, c >= 'A' && c <= 'Z' ? c + 32 : c);
                }
                e = html_find_ci(html, i, len, close.data);
                buf_free(&close);
                buf_put(out, html + i, e - i);
                i = e;
            }
            continue;
        }
        if (len - i >= 4 && memcmp(html + i, "<!--", 4) == 0) {
            /* Comment; "<!-->" and "<!--->" end at once. */
            if (i + 4 < len && html[i + 4] == '>')
                e = i + 5;
            else if (i + 5 < len && html[i + 4] == '-' && html[i + 5] == '>')
                e = i + 6;
            else {
                e = html_find(html, i + 4, len, "-->");
                e = e < len ? e + 3 : len;
            }
        } else if (len - i >= 9 && memcmp(html + i, "<![CDATA[", 9) == 0) {
            e = html_find(html, i + 9, len, "]]>");
            e = e < len ? e + 3 : len;
        } else if (c1 == '!' || c1 == '?' || c1 == '/') {
            /* Doctype, processing instruction, end tag: up to '>'. */
            const char *gt = memchr(html + i, '>', len - i);
            e = gt ? (size_t)(gt - html) + 1 : len;
        } else {
            e = i + 1;                          /* a lone '<' is text */
        }
        buf_put(out, html + i, e - i);
        i = e;
    }
    buf_free(&base);
}
