/*
 * feed.h - RSS 2.0 (with the podcast/iTunes extension), Atom 1.0 and
 * sitemaps, written with libxml2's xmlTextWriter (never by pasting
 * strings), plus the HTML rewriting feeds need.
 *
 * The caller (build.c) decides which feeds exist and fills a feed_channel
 * with its items, newest first; this module only turns that into bytes, so
 * the output depends on nothing but its input (no clock, no environment).
 */
#ifndef FORMIDL_FEED_H
#define FORMIDL_FEED_H

#include <stddef.h>

#include "buf.h"
#include "danish.h"
#include "diag.h"

typedef struct feed_item {
    const char *title;
    const char *link;           /* absolute permalink; also the guid */
    const datetime *date;       /* pubDate */
    const datetime *updated;    /* NULL when never updated (Atom <updated>) */
    const char *summary;        /* plain text → <description> */
    const char *content_html;   /* full HTML with absolute URLs →
                                   <content:encoded>; NULL to leave out */
    const char *const *categories;  /* <category> each (tracks, tags) */
    size_t ncategories;
    const char *author;         /* → <dc:creator>; NULL if none */
    /* Enclosure (lead image in RSS; audio in the podcast feed). */
    const char *enclosure_url;  /* absolute; NULL if none */
    long long enclosure_length; /* bytes */
    const char *enclosure_type; /* MIME type */
    /* Podcast only. */
    const char *duration;       /* itunes:duration, "245" or "4:05" */
    const char *image_url;      /* itunes:image of the episode, or NULL */
} feed_item;

typedef struct feed_channel {
    const char *title;
    const char *link;           /* absolute URL of the HTML page the feed
                                   belongs to */
    const char *self_url;       /* absolute URL of the feed itself */
    const char *description;
    const char *language;       /* "da" */
    const char *generator;      /* "formidl 0.1.0" */
    const datetime *last_build; /* newest item's date (NULL: no items) */
    /* Podcast channel only. */
    const char *author;         /* itunes:author */
    const char *image_url;      /* itunes:image (absolute) */
    const char *category;       /* itunes:category text, e.g. "Government" */
    const char *owner_email;
    const feed_item *items;
    size_t nitems;
} feed_channel;

/* RSS 2.0 with the content, dc and atom namespaces (atom:link rel=self). */
int feed_write_rss(const feed_channel *c, buf *out, diag *d);
/* RSS 2.0 podcast: the above plus the itunes namespace and tags
 * (itunes:author, summary, image, category, explicit false, duration). */
int feed_write_podcast(const feed_channel *c, buf *out, diag *d);
/* Atom 1.0 with the same items. */
int feed_write_atom(const feed_channel *c, buf *out, diag *d);

typedef struct sitemap_entry {
    const char *loc;            /* absolute URL (percent-encoded here) */
    const datetime *lastmod;    /* NULL to leave out */
} sitemap_entry;

/* A <urlset> sitemap. */
int sitemap_write(const sitemap_entry *e, size_t n, buf *out, diag *d);
/* A <sitemapindex> listing the given sitemap URLs. */
int sitemap_write_index(const char *const *locs, size_t n,
                        const datetime *lastmod, buf *out, diag *d);

/* Percent-encode what must be encoded in a URL (non-ASCII bytes, spaces,
 * quotes, <, >, and so on), leaving reserved characters and existing %XX
 * escapes alone.  "https://x.dk/emner/bæredygtighed/" →
 * "https://x.dk/emner/b%C3%A6redygtighed/". */
void url_encode(const char *url, buf *out);

/* Rewrite every href and src attribute in an HTML fragment to an absolute
 * URL: "#x" and "x.jpg" resolve against page_url (an absolute URL ending
 * in '/'), "/a/b" against the origin of page_url; absolute URLs and
 * mailto:/tel: stay.  The rest of the fragment is copied byte for byte. */
void html_absolute_urls(const char *html, size_t len, const char *page_url,
                        buf *out);

/* Testing only: make the n-th (counting from 0) libxml2 call that the next
 * writes in this thread make report failure, so tests can walk every error
 * path (diagnostic, -1, nothing appended, nothing leaked).  -1, the
 * default, turns it off.  The counter is thread-local. */
void feed_test_fail_after(long n);

#endif
