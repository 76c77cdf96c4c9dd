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

typedef struct md_options {
    int allow_html;                 /* pass raw HTML through */
    size_t summary_max;             /* characters (code points); 0 = 200 */
    const char *footnote_backref_label; /* NULL = "Tilbage til indholdet" */
    md_resolve_fn resolve;          /* NULL: leave .md links alone */
    void *resolve_ctx;
    /* Optional: why target did not resolve ("the page is a draft"), for
     * the error message; NULL or a NULL result means "no such page". */
    md_resolve_fn explain;
} md_options;

typedef struct md_result {
    char *html;
    size_t html_len;
    char *summary;          /* plain text, may be "" */
    md_heading *toc;
    size_t toc_len;
    size_t word_count;
} md_result;

/* Render src (the Markdown body of the file at path, which starts on line
 * first_line of that file, so positions in diagnostics are file lines).
 * Returns 0, or -1 when errors were added to d (result still filled). */
int md_render(const char *path, const char *src, size_t len, int first_line,
              const md_options *opt, md_result *res, diag *d);

void md_result_free(md_result *res);

#endif
