/*
 * markdown.c - Markdown to HTML with cmark-gfm.  See markdown.h.
 *
 * Design.  md_render parses with cmark-gfm (extensions table,
 * strikethrough, autolink, tagfilter and tasklist, option FOOTNOTES), makes
 * ONE pass over the AST with a cmark iterator, renders with cmark's own
 * HTML renderer and, only when the page has footnotes, makes one pass over
 * the HTML to translate the back-link label.  Everything else is left to
 * cmark, so the HTML is byte for byte what cmark-gfm emits except for:
 *
 *   - headings: a finished heading node is replaced by
 *         CUSTOM_BLOCK(on_enter "", on_exit "")
 *           CUSTOM_INLINE(on_enter "<hN id=\"...\">", on_exit "</hN>")
 *             ...the heading's original inline children...
 *     The inline children are moved, not re-rendered, so emphasis, code
 *     and links inside a heading still render through cmark.  (The old
 *     heading node is kept, detached, until rendering is done: cmark's
 *     inline literals may point into its content buffer.)  The extra
 *     inline level is needed because cmark's renderer puts a newline after
 *     a custom block's on_enter text; a custom inline adds nothing, and the
 *     empty custom block produces exactly the newlines a heading does.
 *   - links and images whose destination is a relative path to a .md file:
 *     the destination is replaced by the URL the resolver callback returns,
 *     or an error is reported at the link's source position.
 *   - images, when md_options.image is set: on its EXIT event (its
 *     description has been walked like any text, so alt words count and
 *     reach the summary as before) an image node is replaced by a
 *     childless CUSTOM_INLINE whose on_enter is the whole
 *     <img ... decoding="async"> tag, built here: src escaped exactly as
 *     cmark's houdini_escape_href does, with cmark's safe-mode rule for
 *     dangerous URLs (javascript:, vbscript:, file:, data: other than
 *     PNG/GIF/JPEG/WebP give src=""), alt and title HTML-escaped.  A custom
 *     inline is rendered as is in safe mode too (HTML_INLINE would be
 *     dropped).  The image node and its description are freed at once:
 *     nothing moved out of them.  An image inside another image's
 *     description is left alone (the outer one's alt text has its text).
 *   - the footnote back-link label: cmark-gfm 0.29.0.gfm.6 hard-codes
 *     aria-label="Back to content" (the only English text in its HTML
 *     output; the section has no heading and the back-link itself is the
 *     glyph U+21A9); it is replaced by the configured label.
 *
 * During the same walk the module gathers the plain text of each heading
 * (for its id and the table of contents), the plain text of the first
 * top-level paragraph (the summary) and the word count.  Per page it
 * allocates a few scratch buffers, a handful of nodes and strings per
 * heading and one string per rewritten link, and nothing per ordinary
 * node.  (cmark_node_get_literal itself copies a text node's literal into
 * a string cached in the node the first time it is asked; that is cmark's
 * allocation, freed with the tree, and costs about 5 ms per 1000 pages.)
 *
 * Source positions: cmark-gfm records start line/column on every node
 * whether or not CMARK_OPT_SOURCEPOS is given (that option only adds
 * data-sourcepos attributes when rendering), so it is not used at all.
 *
 * Threads: the only global state is the one-time registration of the
 * core extensions, done through call_once.  NOTE that cmark-gfm
 * 0.29.0.gfm.6 itself is not re-entrant: every parse adds the extensions'
 * special inline characters (e.g. '~' for strikethrough) to a global
 * table and removes them when it is done
 * (cmark_manage_extensions_special_characters; see github/cmark-gfm PR
 * #176), so two md_render calls running at the same time in one process
 * can disturb each other's inline parsing.  Build pages in parallel with
 * processes, or serialise md_render.
 */
#include "markdown.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#ifndef __STDC_NO_THREADS__
#include <threads.h>
#endif

#include "danish.h"

#define MD_SUMMARY_MAX_DEFAULT 200
#define MD_BACKREF_LABEL_DEFAULT "Tilbage til indholdet"
#define MD_EMPTY_HEADING_ID "afsnit"

/* What cmark-gfm 0.29.0.gfm.6 writes in every footnote back-link (checked
 * against its output); the label is replaced, the rest is kept. */
static const char md_backref_needle[] =
    "class=\"footnote-backref\" data-footnote-backref "
    "aria-label=\"Back to content\"";
static const char md_backref_prefix[] =
    "class=\"footnote-backref\" data-footnote-backref aria-label=\"";

static const char *const md_extension_names[] = {
    "table", "strikethrough", "autolink", "tagfilter", "tasklist",
};

/* ---- one-time setup ---- */

static void md_register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

#ifndef __STDC_NO_THREADS__
static once_flag md_once = ONCE_FLAG_INIT;
#endif

/* cmark_gfm_core_extensions_ensure_registered() in this cmark-gfm build is
 * an unguarded check-then-set on a static flag (the library has no locks),
 * so two threads calling it first at the same time could both register
 * the extensions into the global list.  call_once makes it happen exactly
 * once.  Where the C library has no <threads.h> it is called directly,
 * which is safe as long as the first md_render is not raced. */
static void md_init_once(void)
{
#ifndef __STDC_NO_THREADS__
    call_once(&md_once, md_register_extensions);
#else
    md_register_extensions();
#endif
}

/* ---- allocator for the rendered HTML, so md_result_free can free() it ---- */

static void *md_mem_calloc(size_t n, size_t size)
{
    return xcalloc(n, size);
}

static void *md_mem_realloc(void *p, size_t n)
{
    return xrealloc(p, n);
}

/* ---- heading ids: a small open-addressing hash set ---- */

typedef struct md_idslot {
    const char *id;     /* NULL: empty slot; else owned by the TOC entry */
    size_t len;
    size_t hash;
    size_t next;        /* next suffix to try when id is used as a base */
} md_idslot;

typedef struct md_idset {
    md_idslot *slots;
    size_t cap;         /* 0 or a power of two */
    size_t used;
} md_idset;

static size_t md_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return (size_t)h;
}

/* The slot holding s, or the empty slot where it would go.  Requires
 * cap > used (guaranteed by md_ids_add growing at half load). */
static md_idslot *md_ids_find(md_idset *set, const char *s, size_t n,
                              size_t h)
{
    size_t mask = set->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        md_idslot *sl = &set->slots[i];
        if (!sl->id)
            return sl;
        if (sl->hash == h && sl->len == n && memcmp(sl->id, s, n) == 0)
            return sl;
    }
}

static void md_ids_add(md_idset *set, const char *id, size_t n, size_t h)
{
    if ((set->used + 1) * 2 > set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 16;
        md_idset big = {xcalloc(ncap, sizeof(md_idslot)), ncap, set->used};
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i].id)
                *md_ids_find(&big, set->slots[i].id, set->slots[i].len,
                             set->slots[i].hash) = set->slots[i];
        free(set->slots);
        *set = big;
    }
    md_idslot *sl = md_ids_find(set, id, n, h);
    sl->id = id;
    sl->len = n;
    sl->hash = h;
    sl->next = 1;
    set->used++;
}

/* Return a new malloc'ed id made from base that no earlier heading on the
 * page has: base itself, else base-1, base-2, ...  The next suffix to try
 * is remembered in base's slot, so n headings with the same text cost
 * O(n) in total instead of O(n^2); the membership test on each candidate
 * still catches ids taken in other ways ("a", "a-1" written out, "a"). */
static char *md_ids_claim(md_idset *set, const char *base, size_t n,
                          buf *tmp)
{
    if (set->cap == 0) {
        set->cap = 16;
        set->slots = xcalloc(set->cap, sizeof(md_idslot));
    }
    size_t h = md_hash(base, n);
    md_idslot *sl = md_ids_find(set, base, n, h);
    if (!sl->id) {
        char *id = xstrndup(base, n);
        md_ids_add(set, id, n, h);
        return id;
    }
    size_t k = sl->next, ch;
    for (;; k++) {
        buf_clear(tmp);
        buf_put(tmp, base, n);
        buf_printf(tmp, "-%zu", k);
        ch = md_hash(tmp->data, tmp->len);
        if (!md_ids_find(set, tmp->data, tmp->len, ch)->id)
            break;
    }
    sl->next = k + 1;   /* before md_ids_add, which may move the slots */
    char *id = xstrndup(tmp->data, tmp->len);
    md_ids_add(set, id, tmp->len, ch);
    return id;
}

/* ---- the walk ---- */

typedef struct md_walk {
    const char *path;
    const char *src;
    size_t len;
    int first_line;
    const md_options *opt;
    diag *d;
    int errors;

    buf text;           /* plain text of the heading or summary paragraph */
    int in_heading;
    int in_summary;
    int summary_done;
    char *summary;

    md_heading *toc;
    size_t toc_len, toc_cap;
    md_idset ids;

    size_t words;
    int in_word;
    int has_footnotes;

    cmark_node *graveyard;  /* replaced headings, freed after rendering */

    int in_image;       /* depth of image nodes entered */
    md_image *images;
    size_t nimages, images_cap;
    size_t rendered_images; /* replaced by <img> tags so far */

    buf tmp;            /* scratch: slugs, on_enter text, link targets */
    buf tmp2;           /* scratch: candidate ids, new link destinations */
} md_walk;

static int md_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A word is a run of non-white-space bytes; in_word carries across the
 * inline nodes of one block ("foo*bar*" is one word). */
static void md_count_words(md_walk *w, const char *s)
{
    int in_word = w->in_word;
    size_t words = w->words;
    for (unsigned char c; (c = (unsigned char)*s) != 0; s++) {
        if (c > ' ') {
            words += !in_word;
            in_word = 1;
        } else if (md_is_space(c)) {
            in_word = 0;
        }
    }
    w->in_word = in_word;
    w->words = words;
}

/* Collapse every run of ASCII white space in b to one space and trim both
 * ends, in place. */
static void md_collapse(buf *b)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if (md_is_space(c)) {
            space = 1;
            continue;
        }
        if (space && o > 0)
            b->data[o++] = ' ';
        space = 0;
        b->data[o++] = (char)c;
    }
    if (b->cap) {
        b->len = o;
        b->data[o] = '\0';
    }
}

/* Turn the collected text of the first top-level paragraph into the
 * summary.  When it has more than max code points, keep at most max - 1 of
 * them, ending at the last space inside that limit (or cut hard at a code
 * point boundary when the first word alone is too long), drop trailing
 * spaces and , ; :, and append U+2026, so the summary never exceeds max
 * code points and never ends inside a UTF-8 sequence. */
static char *md_make_summary(buf *b, size_t max)
{
    md_collapse(b);
    const char *s = b->data;
    size_t n = b->len, cps = 0, lim = n;
    for (size_t i = 0; i < n && cps <= max; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (cps == max - 1)
                lim = i;    /* byte offset just after max - 1 code points */
            cps++;
        }
    }
    if (cps <= max)
        return xstrndup(s, n);
    size_t cut = lim;
    if (s[lim] != ' ') {
        size_t i = lim;
        while (i > 0 && s[i - 1] != ' ')
            i--;
        if (i > 0)
            cut = i - 1;
    }
    while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ',' ||
                       s[cut - 1] == ';' || s[cut - 1] == ':'))
        cut--;
    char *out = xmalloc(cut + sizeof "\xE2\x80\xA6");
    memcpy(out, s, cut);
    memcpy(out + cut, "\xE2\x80\xA6", sizeof "\xE2\x80\xA6");
    return out;
}

/* Replace the finished heading h by custom nodes that render as
 * <hN id="...">...</hN> (see the design note at the top) and record it in
 * the TOC.  The iterator is moved onto the new block's exit event, so the
 * walk continues with the node after the heading; the heading's children
 * have already been visited. */
static void md_finish_heading(md_walk *w, cmark_iter *it, cmark_node *h)
{
    int level = cmark_node_get_heading_level(h);
    if (level < 1 || level > 6)
        level = level < 1 ? 1 : 6;

    md_collapse(&w->text);
    buf_clear(&w->tmp);
    if (slugify(w->text.data, &w->tmp) == 0 || w->tmp.len == 0) {
        buf_clear(&w->tmp);
        buf_puts(&w->tmp, MD_EMPTY_HEADING_ID);
    }
    char *id = md_ids_claim(&w->ids, w->tmp.data, w->tmp.len, &w->tmp2);

    if (w->toc_len == w->toc_cap) {
        w->toc_cap = w->toc_cap ? w->toc_cap * 2 : 8;
        w->toc = xrealloc(w->toc, w->toc_cap * sizeof *w->toc);
    }
    md_heading *e = &w->toc[w->toc_len++];
    e->level = level;
    e->id = id;
    e->text = xstrndup(w->text.data, w->text.len);

    char close[8];
    buf_clear(&w->tmp);
    buf_printf(&w->tmp, "<h%d id=\"", level);
    buf_put_html(&w->tmp, id, strlen(id));
    buf_puts(&w->tmp, "\">");
    snprintf(close, sizeof close, "</h%d>", level);

    cmark_node *blk = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node *inl = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(inl, w->tmp.data);
    cmark_node_set_on_exit(inl, close);
    cmark_node_append_child(blk, inl);
    cmark_node *c;
    while ((c = cmark_node_first_child(h)) != NULL)
        cmark_node_append_child(inl, c);
    cmark_node_insert_before(h, blk);
    /* The moved inline nodes may still point into h's content buffer (cmark
     * slices literals out of it without copying), so h must outlive the
     * rendering: park it under w->graveyard, freed after md_render has
     * rendered.  Detach it before cmark_iter_reset, which already looks at
     * blk's next sibling. */
    if (!w->graveyard)
        w->graveyard = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_append_child(w->graveyard, h);
    cmark_iter_reset(it, blk, CMARK_EVENT_EXIT);
}

/* ---- links ---- */

static int md_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Does the URL reference s[0..n) start with a scheme ("http:", "mailto:")? */
static int md_has_scheme(const char *s, size_t n)
{
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
                    (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (c == ':')
            return 1;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
            return 0;
    }
    return 0;
}

/* Normalise the path in b in place: drop empty and "." segments, let ".."
 * remove the segment before it.  Returns -1 when ".." would climb above
 * the start of the path (the site root). */
static int md_normalise(buf *b)
{
    char *s = b->data;
    size_t n = b->len, r = 0, o = 0, root = 0;
    if (n && s[0] == '/')
        r = o = root = 1;
    while (r < n) {
        size_t e = r;
        while (e < n && s[e] != '/')
            e++;
        size_t sl = e - r;
        if (sl == 0 || (sl == 1 && s[r] == '.')) {
            /* skip */
        } else if (sl == 2 && s[r] == '.' && s[r + 1] == '.') {
            if (o == root)
                return -1;
            o--;                        /* the '/' after the last segment */
            while (o > root && s[o - 1] != '/')
                o--;
        } else {
            memmove(s + o, s + r, sl);  /* o <= r: never overwrites ahead */
            o += sl;
            s[o++] = '/';               /* o <= e, and s[n] is the NUL */
        }
        r = e + 1;
    }
    if (o > root)
        o--;
    if (b->cap) {
        s[o] = '\0';
        b->len = o;
    }
    return 0;
}

/* cmark-gfm gives inline nodes on a paragraph's continuation lines a
 * column that ignores the indentation it stripped from that line.  Links
 * always start with '[' (images with "!["), so move the column forward to
 * the first such bracket at or after the reported one on that line.  Only
 * used when reporting an error, so the line search may be linear. */
static int md_source_column(const md_walk *w, int line, int col, int image)
{
    const char *s = w->src;
    size_t n = w->len, i = 0;
    int l = 1;
    if (line < 1 || col < 1)
        return col;
    while (l < line && i < n) {
        char c = s[i++];
        if (c == '\n') {
            l++;
        } else if (c == '\r') {
            if (i < n && s[i] == '\n')
                i++;
            l++;
        }
    }
    if (l != line)
        return col;
    size_t e = i;
    while (e < n && s[e] != '\n' && s[e] != '\r')
        e++;
    for (size_t p = i + (size_t)(col - 1); p < e; p++) {
        if (image ? (s[p] == '!' && p + 1 < e && s[p + 1] == '[')
                  : s[p] == '[')
            return (int)(p - i + 1);
    }
    return col;
}

/* Into t: the folder of page_path joined with url[0..plen)
 * percent-decoded, normalised.  Decoding before normalising means "%2e%2e"
 * cannot smuggle a ".." past the normaliser.  Returns -1 when the path
 * contains "%00" (no such file can exist) or climbs above the root. */
static int md_join(const char *page_path, const char *url, size_t plen,
                   buf *t)
{
    buf_clear(t);
    const char *slash = strrchr(page_path, '/');
    if (slash)
        buf_put(t, page_path, (size_t)(slash - page_path) + 1);
    int ok = 1;
    for (size_t i = 0; i < plen; i++) {
        int hi, lo;
        if (url[i] == '%' && i + 2 < plen &&
            (hi = md_hexval((unsigned char)url[i + 1])) >= 0 &&
            (lo = md_hexval((unsigned char)url[i + 2])) >= 0) {
            int c = hi * 16 + lo;
            if (c == 0)
                ok = 0;
            buf_putc(t, c);
            i += 2;
        } else {
            buf_putc(t, url[i]);
        }
    }
    if (ok && md_normalise(t) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* Length of the path part of url: up to the first '?' or '#'. */
static size_t md_path_len(const char *url, const char **frag)
{
    size_t ulen = strlen(url);
    const char *f = memchr(url, '#', ulen);
    size_t end = f ? (size_t)(f - url) : ulen;
    const char *q = memchr(url, '?', end);
    if (frag)
        *frag = f;
    return q ? (size_t)(q - url) : end;
}

int md_local_path(const char *page_path, const char *src, buf *out)
{
    buf_clear(out);
    if (!src || !*src || src[0] == '/' || src[0] == '#' || src[0] == '?')
        return 1;
    size_t plen = md_path_len(src, NULL);
    if (md_has_scheme(src, plen))
        return 1;
    if (md_join(page_path ? page_path : "", src, plen, out) != 0) {
        buf_clear(out);
        return -1;
    }
    return 0;
}

/* Rewrite the destination of a link or image if it is a relative path to
 * a .md file: percent-decode the path part (query and fragment removed),
 * join it with the folder of the page, normalise, and ask the resolver.
 * On success the destination becomes the URL plus the original
 * "#fragment"; otherwise an error is added at the link.  Returns 0 when
 * the destination is not such a link, 1 when it was rewritten, -1 when an
 * error was reported. */
static int md_rewrite_link(md_walk *w, cmark_node *n)
{
    const char *url = cmark_node_get_url(n);
    if (!w->opt->resolve || !url)
        return 0;
    const char *frag;
    size_t plen = md_path_len(url, &frag);
    if (plen < 3 || memcmp(url + plen - 3, ".md", 3) != 0)
        return 0;
    if (url[0] == '/' || url[0] == '#' || md_has_scheme(url, plen))
        return 0;

    buf *t = &w->tmp;
    int ok = md_join(w->path, url, plen, t) == 0;
    const char *target = ok ? w->opt->resolve(w->opt->resolve_ctx, t->data)
                            : NULL;
    if (target) {
        buf_clear(&w->tmp2);
        buf_puts(&w->tmp2, target);
        if (frag)
            buf_puts(&w->tmp2, frag);
        cmark_node_set_url(n, w->tmp2.data);
        return 1;
    }
    w->errors++;
    if (w->d) {
        int line = cmark_node_get_start_line(n);
        int col = md_source_column(
            w, line, cmark_node_get_start_column(n),
            cmark_node_get_type(n) == CMARK_NODE_IMAGE);
        const char *why = ok && w->opt->explain
                              ? w->opt->explain(w->opt->resolve_ctx, t->data)
                              : NULL;
        diag_error(w->d, w->path, w->first_line + line - 1, col,
                   "link to \"%s\" does not resolve: %s", url,
                   why ? why : "no such page");
    }
    return -1;
}

/* ---- images ---- */

#define MD_DECORATIVE_TITLE "dekorativ"

/* Does s start with the lower-case ASCII prefix p, in any case? */
static int md_prefix_ci(const char *s, const char *p)
{
    for (; *p; s++, p++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != *p)
            return 0;
    }
    return 1;
}

/* cmark-gfm's _scan_dangerous_url (scanners.re): URLs it renders as ""
 * unless CMARK_OPT_UNSAFE. */
static int md_dangerous_url(const char *u)
{
    if (md_prefix_ci(u, "data:image/png") ||
        md_prefix_ci(u, "data:image/gif") ||
        md_prefix_ci(u, "data:image/jpeg") ||
        md_prefix_ci(u, "data:image/webp"))
        return 0;
    return md_prefix_ci(u, "javascript:") || md_prefix_ci(u, "vbscript:") ||
           md_prefix_ci(u, "file:") || md_prefix_ci(u, "data:");
}

/* cmark's houdini_escape_href: '&' and '\'' become entities; control
 * characters, space, " < > [ \ ] ^ ` { | } DEL and every byte >= 0x80 are
 * percent-encoded; everything else (including an existing "%xx") is kept.
 * (A unit test compares this with cmark for every byte.) */
static void md_put_href(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&') {
            buf_puts(b, "&amp;");
        } else if (c == '\'') {
            buf_puts(b, "&#x27;");
        } else if (c <= 0x20 || c >= 0x7F || strchr("\"<>[\\]^`{|}", c)) {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        } else {
            buf_putc(b, c);
        }
    }
}

/* The plain text of an image's description, as cmark renders it into alt:
 * literals of text, code and raw HTML, a space for each line break. */
static void md_plain_text(cmark_node *n, buf *out)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE: {
            const char *lit = cmark_node_get_literal(c);
            if (lit)
                buf_puts(out, lit);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            buf_putc(out, ' ');
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* Report an error at image n: the message is "image" + what + src + why
 * (src in quotes). */
static void md_image_error(md_walk *w, cmark_node *n, const char *what,
                           const char *src, const char *why)
{
    w->errors++;
    if (!w->d)
        return;
    int line = cmark_node_get_start_line(n);
    int col = md_source_column(w, line, cmark_node_get_start_column(n), 1);
    diag_error(w->d, w->path, w->first_line + line - 1, col,
               "image%s \"%s\"%s", what, src, why);
}

/* The outermost image n has been walked (its EXIT event): rewrite a .md
 * destination, record the image, and with an image callback check it and
 * replace it by its <img> tag (see the design note at the top). */
static void md_finish_image(md_walk *w, cmark_iter *it, cmark_node *n)
{
    const char *u = cmark_node_get_url(n);
    char *src = xstrdup(u ? u : "");    /* as written, before rewriting */
    int rewritten = md_rewrite_link(w, n);
    const char *title = cmark_node_get_title(n);
    int decorative = title && strcmp(title, MD_DECORATIVE_TITLE) == 0;

    buf_clear(&w->tmp);
    md_plain_text(n, &w->tmp);
    md_collapse(&w->tmp);

    int iw = 0, ih = 0;
    if (w->opt->image) {
        if (w->tmp.len == 0 && !decorative) {
            buf_clear(&w->tmp2);
            buf_printf(&w->tmp2,
                       " has no alt text: write ![what the picture shows](%s)",
                       src);
            md_image_error(w, n, "", src, w->tmp2.data);
        }
        if (rewritten == 0) {
            int r = w->opt->image(w->opt->resolve_ctx, src, &iw, &ih);
            if (r < 0)
                md_image_error(w, n, " file", src, " not found");
            if (r != 0 || iw <= 0 || ih <= 0)
                iw = ih = 0;
        }

        int eager = w->opt->lazy_images_after == 0
                        ? 1
                        : w->opt->lazy_images_after < 0
                              ? 0
                              : w->opt->lazy_images_after;
        const char *url = cmark_node_get_url(n);
        buf *tag = &w->tmp2;
        buf_clear(tag);
        buf_puts(tag, "<img src=\"");
        if (url && (w->opt->allow_html || !md_dangerous_url(url)))
            md_put_href(tag, url);
        buf_puts(tag, "\" alt=\"");
        if (!decorative)
            buf_put_html(tag, w->tmp.data, w->tmp.len);
        buf_putc(tag, '"');
        if (title && *title && !decorative) {
            buf_puts(tag, " title=\"");
            buf_put_html(tag, title, strlen(title));
            buf_putc(tag, '"');
        }
        if (iw > 0)
            buf_printf(tag, " width=\"%d\" height=\"%d\"", iw, ih);
        if (w->rendered_images >= (size_t)eager)
            buf_puts(tag, " loading=\"lazy\"");
        buf_puts(tag, " decoding=\"async\">");
        w->rendered_images++;

        cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
        cmark_node_set_on_enter(c, tag->data);
        cmark_node_set_on_exit(c, "");
        cmark_node_insert_before(n, c);
        cmark_node_free(n);     /* unlinks it first */
        cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
    }

    if (w->nimages == w->images_cap) {
        w->images_cap = w->images_cap ? w->images_cap * 2 : 4;
        w->images = xrealloc(w->images, w->images_cap * sizeof *w->images);
    }
    md_image *im = &w->images[w->nimages++];
    im->src = src;
    im->alt = decorative ? xstrdup("") : xstrndup(w->tmp.data, w->tmp.len);
    im->width = iw;
    im->height = ih;
    im->decorative = decorative;
}

/* The single pass over the AST: collects heading and summary text, counts
 * words, rewrites links and replaces headings.  Leaf nodes (text, code,
 * breaks, code blocks, HTML) only get an ENTER event from the iterator.
 * A word ends at white space and at every block boundary, so "foo*bar*"
 * is one word while two table cells are two. */
static void md_walk_tree(md_walk *w, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int enter = ev == CMARK_EVENT_ENTER;
        int collect = w->in_heading || w->in_summary;

        if ((t & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_INLINE) {
            w->in_word = 0;
            switch (t) {
            case CMARK_NODE_HEADING:
                if (enter) {
                    w->in_heading = 1;
                    buf_clear(&w->text);
                } else {
                    w->in_heading = 0;
                    md_finish_heading(w, it, n);
                }
                break;
            case CMARK_NODE_PARAGRAPH:
                if (enter && !w->summary_done &&
                    cmark_node_get_type(cmark_node_parent(n)) ==
                        CMARK_NODE_DOCUMENT) {
                    w->in_summary = 1;
                    buf_clear(&w->text);
                } else if (!enter && w->in_summary) {
                    size_t max = w->opt->summary_max
                                     ? w->opt->summary_max
                                     : MD_SUMMARY_MAX_DEFAULT;
                    w->summary = md_make_summary(&w->text, max);
                    w->in_summary = 0;
                    w->summary_done = 1;
                }
                break;
            case CMARK_NODE_CODE_BLOCK:
                md_count_words(w, cmark_node_get_literal(n));
                w->in_word = 0;
                break;
            case CMARK_NODE_FOOTNOTE_DEFINITION:
                w->has_footnotes = 1;
                break;
            default:
                break;
            }
            continue;
        }

        switch (t) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            if (!lit)
                break;
            md_count_words(w, lit);
            if (collect)
                buf_puts(&w->text, lit);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            w->in_word = 0;
            if (collect)
                buf_putc(&w->text, ' ');
            break;
        case CMARK_NODE_LINK:
            if (enter)
                md_rewrite_link(w, n);
            break;
        case CMARK_NODE_IMAGE:
            /* Images are handled on exit, when their description has been
             * walked; one inside another's description only has its
             * destination checked. */
            if (enter) {
                w->in_image++;
            } else if (--w->in_image > 0) {
                md_rewrite_link(w, n);
            } else {
                md_finish_image(w, it, n);
            }
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* Copy html to out with every footnote back-link label replaced by the
 * attribute-escaped label.  Only called for pages with footnotes. */
static void md_translate_backrefs(const char *html, size_t len,
                                  const char *label, buf *out)
{
    const size_t nlen = sizeof md_backref_needle - 1;
    size_t start = 0, i = 0;
    while (i + nlen <= len) {
        const char *p = memchr(html + i, 'c', len - i - nlen + 1);
        if (!p)
            break;
        i = (size_t)(p - html);
        if (memcmp(p, md_backref_needle, nlen) != 0) {
            i++;
            continue;
        }
        buf_put(out, html + start, i - start);
        buf_puts(out, md_backref_prefix);
        buf_put_html(out, label, strlen(label));
        buf_putc(out, '"');
        i += nlen;
        start = i;
    }
    buf_put(out, html + start, len - start);
}

int md_render(const char *path, const char *src, size_t len, int first_line,
              const md_options *opt, md_result *res, diag *d)
{
    static const md_options md_default_options;
    md_walk w;

    memset(res, 0, sizeof *res);
    if (!opt)
        opt = &md_default_options;
    if (!src) {
        src = "";
        len = 0;
    }
    md_init_once();

    memset(&w, 0, sizeof w);
    w.path = path ? path : "";
    w.src = src;
    w.len = len;
    w.first_line = first_line;
    w.opt = opt;
    w.d = d;
    buf_init(&w.text);
    buf_init(&w.tmp);
    buf_init(&w.tmp2);
    /* Ids the layout takes are taken before the first heading.  They are
     * the caller's strings: the set only points at them. */
    for (size_t i = 0; opt->reserved_ids && opt->reserved_ids[i]; i++) {
        const char *id = opt->reserved_ids[i];
        size_t n = strlen(id);
        if (w.ids.cap == 0) {
            w.ids.cap = 16;
            w.ids.slots = xcalloc(w.ids.cap, sizeof(md_idslot));
        }
        size_t h = md_hash(id, n);
        if (!md_ids_find(&w.ids, id, n, h)->id)
            md_ids_add(&w.ids, id, n, h);
    }

    int parse_opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8;
    int render_opts = CMARK_OPT_FOOTNOTES;
    if (opt->allow_html)
        render_opts |= CMARK_OPT_UNSAFE;

    cmark_parser *parser = cmark_parser_new(parse_opts);
    for (size_t i = 0;
         i < sizeof md_extension_names / sizeof md_extension_names[0]; i++) {
        cmark_syntax_extension *ext =
            cmark_find_syntax_extension(md_extension_names[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, src, len);
    cmark_node *doc = cmark_parser_finish(parser);

    char *html = NULL;
    if (doc) {
        md_walk_tree(&w, doc);
        cmark_mem mem = {md_mem_calloc, md_mem_realloc, free};
        html = cmark_render_html_with_mem(
            doc, render_opts, cmark_parser_get_syntax_extensions(parser),
            &mem);
        cmark_node_free(doc);
        if (w.graveyard)
            cmark_node_free(w.graveyard);
    }
    cmark_parser_free(parser);
    if (!html)
        html = xstrdup("");

    size_t hlen = strlen(html);
    if (w.has_footnotes) {
        const char *label = opt->footnote_backref_label
                                ? opt->footnote_backref_label
                                : MD_BACKREF_LABEL_DEFAULT;
        buf out;
        buf_init(&out);
        buf_grow(&out, hlen + 64);
        md_translate_backrefs(html, hlen, label, &out);
        free(html);
        hlen = out.len;
        html = buf_detach(&out);
    }

    res->html = html;
    res->html_len = hlen;
    res->summary = w.summary ? w.summary : xstrdup("");
    res->toc = w.toc;
    res->toc_len = w.toc_len;
    res->word_count = w.words;
    res->images = w.images;
    res->nimages = w.nimages;

    free(w.ids.slots);
    buf_free(&w.text);
    buf_free(&w.tmp);
    buf_free(&w.tmp2);
    return w.errors ? -1 : 0;
}

void md_result_free(md_result *res)
{
    if (!res)
        return;
    free(res->html);
    free(res->summary);
    for (size_t i = 0; i < res->toc_len; i++) {
        free(res->toc[i].id);
        free(res->toc[i].text);
    }
    free(res->toc);
    for (size_t i = 0; i < res->nimages; i++) {
        free(res->images[i].src);
        free(res->images[i].alt);
    }
    free(res->images);
    memset(res, 0, sizeof *res);
}
