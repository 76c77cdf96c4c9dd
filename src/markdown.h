/*
 * markdown.h - Markdown to HTML with cmark-gfm.
 *
 * Extensions: table, strikethrough, autolink, tagfilter, tasklist, plus
 * footnotes.  Raw HTML is replaced by a comment unless allow_html is set.
 * On top of plain cmark-gfm this module:
 *   - gives every heading an id from its text (Danish-aware slug, unique
 *     within the page: "resultater", "resultater-1", ...) and returns the
 *     headings as table-of-contents data;
 *   - rewrites relative links to other .md files (and to page folders'
 *     index.md) to their published URLs through a resolver callback; a
 *     link whose target is unknown is an error at its source position;
 *   - when an image callback is given, checks every image (alt text
 *     present, local file exists), and renders it as
 *         <img src="..." alt="..." [title="..."] [width="W" height="H"]
 *              [loading="lazy"] decoding="async">
 *     with the size the callback reports; without the callback images
 *     are left exactly as cmark-gfm renders them.  Either way the images
 *     are returned in md_result (e.g. the first one for Open Graph);
 *   - replaces the English text cmark-gfm emits (the footnote back-link
 *     label "Back to content") by the configured label;
 *   - extracts a plain-text summary: the first paragraph, cut at a word
 *     boundary with "…" when longer than summary_max characters.
 */
#ifndef FORMIDL_MARKDOWN_H
#define FORMIDL_MARKDOWN_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct md_heading {
    int level;      /* 1..6 */
    char *id;       /* unique within the page */
    char *text;     /* plain text */
} md_heading;

/* Resolve a link to a Markdown file.  target is the link destination with
 * the fragment removed, already joined with the page's folder and
 * normalised (e.g. "content/guides/dialogmoede.md"); return the published
 * URL (a string that lives at least until md_render returns) or NULL when
 * there is no such page. */
typedef const char *(*md_resolve_fn)(void *ctx, const char *target);

/* An image in the page, in document order.  Images written inside another
 * image's description ("![a ![b](b.png)](a.png)") only add to its alt
 * text and are not listed. */
typedef struct md_image {
    char *src;      /* the destination as written (not percent-decoded) */
    char *alt;      /* plain text, white space collapsed; "" if decorative */
    int width;      /* pixels; 0 when not known */
    int height;
    int decorative; /* written ![...](src "dekorativ") */
} md_image;

/* Look up an image.  ctx is md_options.resolve_ctx; src is the image's
 * destination as written in the Markdown (cmark has undone backslash
 * escapes and entities, but not percent escapes; md_local_path below
 * turns it into a site path).  Return
 *    0  src is a local file that exists: set *width and *height when its
 *       size is known (they start at 0; left 0 or negative = unknown);
 *    1  src is not a local file (http:, data:, ...): no size;
 *   -1  src is a local path but there is no such file (an error). */
typedef int (*md_image_fn)(void *ctx, const char *src, int *width,
                           int *height);

typedef struct md_options {
    int allow_html;                 /* pass raw HTML through */
    size_t summary_max;             /* characters (code points); 0 = 200 */
    const char *footnote_backref_label; /* NULL = "Tilbage til indholdet" */
    md_resolve_fn resolve;          /* NULL: leave .md links alone */
    void *resolve_ctx;
    /* Optional: why target did not resolve ("the page is a draft"), for
     * the error message; NULL or a NULL result means "no such page". */
    md_resolve_fn explain;
    /* Optional: see md_image_fn.  When set, every image must have alt
     * text (or be marked decorative with the title "dekorativ":
     * ![](x.png "dekorativ") gives alt="" and no title), a local image
     * must exist, and images are rendered with width, height,
     * loading="lazy" and decoding="async" (see the top of this file).
     * NULL: images are rendered by cmark-gfm unchanged and not checked. */
    md_image_fn image;
    /* Ids the page's layout uses itself ("fakta-titel", ...), NULL-ended:
     * a heading never gets one of them ("Fakta titel" → "fakta-titel-1"). */
    const char *const *reserved_ids;
    /* The first N images of the page load eagerly (no loading attribute;
     * the first image is usually in view when the page opens), every
     * later one gets loading="lazy".  0 means 1: every image except the
     * first is lazy.  Negative: every image is lazy.  Only used with
     * image. */
    int lazy_images_after;
} md_options;

typedef struct md_result {
    char *html;
    size_t html_len;
    char *summary;          /* plain text, may be "" */
    md_heading *toc;
    size_t toc_len;
    size_t word_count;
    md_image *images;       /* every image, in document order */
    size_t nimages;
} md_result;

/* Render src (the Markdown body of the file at path, which starts on line
 * first_line of that file, so positions in diagnostics are file lines).
 * Returns 0, or -1 when errors were added to d (result still filled). */
int md_render(const char *path, const char *src, size_t len, int first_line,
              const md_options *opt, md_result *res, diag *d);

void md_result_free(md_result *res);

/* For image callbacks: the site path of the local file that src (an image
 * or link destination as written in the page at page_path) refers to.
 * The query and fragment are dropped, percent escapes decoded, and the
 * path is joined with the page's folder and normalised, as for links to
 * .md files: in "content/cases/foo/index.md", "billede.jpg" is
 * "content/cases/foo/billede.jpg".  Returns 0 with the path in out;
 * 1 (out empty) when src is not relative to the page: empty, starting with
 * "/", "#" or "?", or with a scheme (http:, data:, mailto:); -1 (out
 * empty) when it cannot name a file: it climbs above the site root or
 * contains "%00". */
int md_local_path(const char *page_path, const char *src, buf *out);

#endif
