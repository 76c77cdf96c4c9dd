/*
 * check.c - `formidl check`.  See check.h.
 *
 * After a build into a temporary folder, three passes over its HTML:
 *   1. parse every HTML page the build wrote (the sources map names them)
 *      and keep what the checks need: the title, the ids, the references
 *      (links, files, redirects, images without alt, audio) and whether
 *      the page is a redirect or holds a transcript;
 *   2. page by page, in output order, resolve each reference against the
 *      output folder and the ids from pass 1, and trace each finding back
 *      to a source position (see locate());
 *   3. site-wide: pages nothing links to, pages with the same title.
 * Findings are collected in a scratch list, then copied once per (place,
 * level, message) into the caller's list, sorted.
 *
 * Tracing a finding back: the page's source file (content/...md) is split
 * into link "tokens" (Markdown link and image destinations, reference
 * definitions, autolinks and href/src/action attributes of raw HTML) with
 * the position of the link's "[", "![" or "<".  A reference matches a
 * token written exactly so, or with the same "#fragment" when the token
 * is a link to a .md file (the build rewrote its path).  Failing that,
 * the text is searched for the reference (or its file name, for files
 * named in the front matter), then the layouts for the reference without
 * the base path (the layout writes "{{site.base_path}}x/"), then
 * site.yaml; the last resort is the page's source at 1:1.
 */
#define _GNU_SOURCE
#include "check.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "build.h"
#include "config.h"
#include "fsutil.h"

/* ---- what pass 1 keeps of a page ---- */

typedef enum ref_kind {
    REF_LINK,       /* a/area href, form action: a page or a download */
    REF_FILE,       /* img/script/source/... src, link href: a file */
    REF_REDIRECT,   /* <meta http-equiv="refresh" content="0; url=..."> */
    REF_NOALT,      /* an <img> without alt; value is its src */
    REF_AUDIO       /* an <audio>; value is its src */
} ref_kind;

typedef struct ref {
    ref_kind kind;
    const char *what;   /* "image", "script", ... (static) */
    char *value;
} ref;

typedef struct chk_page {
    char *out_path;         /* "praksis/x/index.html" */
    const char *source;     /* the sources map's value (lives in it) */
    char *title;            /* white space collapsed; NULL if none */
    char **ids;             /* sorted after pass 1 */
    size_t nids, ids_cap;
    ref *refs;
    size_t nrefs, refs_cap;
    int redirect;
    int has_transcript;
    int linked;             /* another (non-redirect) page links here */
    const char *title_path; /* where the title is written (pass 2) */
    int title_line, title_col;
} chk_page;

/* A file searched for link text, with its line starts. */
typedef struct text_file {
    char *path;             /* relative to the site: "layouts/base.mustache" */
    buf text;
    size_t *lines;          /* offsets of line starts */
    size_t nlines;
} text_file;

typedef struct token {
    char *target;
    size_t at;              /* offset of the link's "[", "![" or "<" */
} token;

typedef struct checker {
    const check_options *opt;
    config cfg;
    int have_cfg;
    const char *site_dir;
    const char *out_dir;
    chk_page *pages;        /* sorted by out_path */
    size_t npages;
    text_file *layouts;     /* sorted by path */
    size_t nlayouts, layouts_cap;
    text_file site_yaml;
    int have_site_yaml;
    text_file src;          /* the source of the page being checked */
    int have_src;
    token *tokens;          /* ... and its link tokens */
    size_t ntokens, tokens_cap;
    diag found;             /* findings before deduplication */
    buf tmp, tmp2;
} checker;

/* ---- small helpers ---- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into out.  Returns -1 when it holds "%00". */
static int pct_decode(const char *s, size_t n, buf *out)
{
    buf_clear(out);
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n &&
            (h = hexval((unsigned char)s[i + 1])) >= 0 &&
            (l = hexval((unsigned char)s[i + 2])) >= 0) {
            int c = h * 16 + l;
            if (c == 0)
                return -1;
            buf_putc(out, c);
            i += 2;
        } else {
            buf_putc(out, s[i]);
        }
    }
    return 0;
}

static int str_cmp_p(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- text files: read, line starts, positions, search ---- */

static int text_load(text_file *t, const char *site_dir, const char *rel)
{
    memset(t, 0, sizeof *t);
    buf_init(&t->text);
    buf p = BUF_INIT;
    buf_init(&p);
    fs_join(&p, site_dir, rel);
    int rc = fs_read_file(p.data, &t->text);
    buf_free(&p);
    if (rc < 0) {
        buf_free(&t->text);
        return -1;
    }
    t->path = xstrdup(rel);
    size_t cap = 64;
    t->lines = xmalloc(cap * sizeof *t->lines);
    t->lines[t->nlines++] = 0;
    for (size_t i = 0; i < t->text.len; i++)
        if (t->text.data[i] == '\n') {
            if (t->nlines == cap) {
                cap *= 2;
                t->lines = xrealloc(t->lines, cap * sizeof *t->lines);
            }
            t->lines[t->nlines++] = i + 1;
        }
    return 0;
}

static void text_free(text_file *t)
{
    free(t->path);
    buf_free(&t->text);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

/* 1-based line and byte column of an offset. */
static void text_pos(const text_file *t, size_t at, int *line, int *col)
{
    size_t lo = 0, hi = t->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t->lines[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)(at - t->lines[lo]) + 1;
}

/* Characters that continue a path or file name. */
static int name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == '%' || c == '/' || c >= 0x80;
}

/* Offset of the first occurrence of key in t that is not part of a longer
 * name: the byte after it does not continue a path (so "x/" does not
 * match in "x/y/", but does in "{{base}}x/\""); with whole set, the byte
 * before neither, except '/'.  -1 if none. */
static long text_find(const text_file *t, const char *key, int whole)
{
    size_t kn = strlen(key);
    if (!kn)
        return -1;
    const char *s = t->text.data, *end = s + t->text.len;
    for (const char *p = s; p < end;) {
        const char *m = memmem(p, (size_t)(end - p), key, kn);
        if (!m)
            return -1;
        int after = m + kn < end ? (unsigned char)m[kn] : 0;
        int before = m > s ? (unsigned char)m[-1] : 0;
        int ok = !(after && name_char(after));
        if (whole && before && before != '/' && name_char(before))
            ok = 0;
        if (ok)
            return (long)(m - s);
        p = m + 1;
    }
    return -1;
}

/* ---- link tokens of a Markdown source ---- */

static void add_token(checker *ck, const char *s, size_t n, size_t at)
{
    /* Undo backslash escapes and "&amp;" as cmark and libxml2 do. */
    buf t = BUF_INIT;
    buf_init(&t);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i + 1])) {
            buf_putc(&t, s[++i]);
        } else if (s[i] == '&' && n - i >= 5 && !memcmp(s + i, "&amp;", 5)) {
            buf_putc(&t, '&');
            i += 4;
        } else {
            buf_putc(&t, s[i]);
        }
    }
    if (ck->ntokens == ck->tokens_cap) {
        ck->tokens_cap = ck->tokens_cap ? ck->tokens_cap * 2 : 32;
        ck->tokens = xrealloc(ck->tokens, ck->tokens_cap * sizeof *ck->tokens);
    }
    ck->tokens[ck->ntokens++] = (token){buf_detach(&t), at};
}

static void clear_tokens(checker *ck)
{
    for (size_t i = 0; i < ck->ntokens; i++)
        free(ck->tokens[i].target);
    ck->ntokens = 0;
}

/* The destination after "](" at s[i]: "<...>" or up to white space or an
 * unbalanced ")".  Sets *start and *len; returns 0 or -1. */
static int link_dest(const char *s, size_t n, size_t i, size_t *start,
                     size_t *len)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '\n')
        i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '<') {
        size_t e = i + 1;
        while (e < n && s[e] != '>' && s[e] != '\n')
            e++;
        if (e >= n || s[e] != '>')
            return -1;
        *start = i + 1;
        *len = e - i - 1;
        return 0;
    }
    size_t e = i;
    int depth = 0;
    while (e < n) {
        char c = s[e];
        if (c == '\\' && e + 1 < n) {
            e += 2;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        if (c == '(')
            depth++;
        else if (c == ')' && depth-- == 0)
            break;
        e++;
    }
    *start = i;
    *len = e - i;
    return 0;
}

/* The "[" that opens the link text ending at the "]" at s[close], or
 * close itself when there is none in reach; an image's "!" before it. */
static size_t link_open(const char *s, size_t close)
{
    int depth = 0;
    size_t limit = close > 4000 ? close - 4000 : 0;
    for (size_t i = close; i-- > limit;) {
        if (s[i] == '\n' && i > 0 && s[i - 1] == '\n')
            break;
        if (i > 0 && s[i - 1] == '\\')
            continue;
        if (s[i] == ']') {
            depth++;
        } else if (s[i] == '[') {
            if (depth == 0)
                return i > 0 && s[i - 1] == '!' ? i - 1 : i;
            depth--;
        }
    }
    return close;
}

static int ascii_letter(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Attributes href/src/action/poster/srcset of the raw HTML tag at s[lt]. */
static void tag_tokens(checker *ck, const char *s, size_t n, size_t lt)
{
    size_t i = lt + 1;
    while (i < n && (ascii_letter(s[i]) || (s[i] >= '0' && s[i] <= '9')))
        i++;
    while (i < n && s[i] != '>') {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                         s[i] == '\r' || s[i] == '/'))
            i++;
        size_t an = i;
        while (i < n && s[i] != '=' && s[i] != '>' && s[i] != ' ' &&
               s[i] != '\t' && s[i] != '\n' && s[i] != '/')
            i++;
        size_t alen = i - an;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n || s[i] != '=') {
            if (alen == 0 && i < n && s[i] != '>')
                i++;
            continue;
        }
        i++;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t vs, ve;
        if (i < n && (s[i] == '"' || s[i] == '\'')) {
            char q = s[i];
            vs = ++i;
            while (i < n && s[i] != q)
                i++;
            ve = i;
            if (i < n)
                i++;
        } else {
            vs = i;
            while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
                   s[i] != '>')
                i++;
            ve = i;
        }
        int wanted = (alen == 4 && !strncasecmp(s + an, "href", 4)) ||
                     (alen == 3 && !strncasecmp(s + an, "src", 3)) ||
                     (alen == 6 && !strncasecmp(s + an, "action", 6)) ||
                     (alen == 6 && !strncasecmp(s + an, "poster", 6));
        if (wanted)
            add_token(ck, s + vs, ve - vs, lt);
    }
}

static void tokenise(checker *ck, const text_file *t)
{
    const char *s = t->text.data;
    size_t n = t->text.len;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ']' && i + 1 < n && s[i + 1] == '(') {
            size_t st, len;
            if (link_dest(s, n, i + 2, &st, &len) == 0)
                add_token(ck, s + st, len, link_open(s, i));
        } else if (c == ']' && i + 1 < n && s[i + 1] == ':') {
            /* A reference definition: "[label]: dest" at a line start. */
            size_t open = link_open(s, i);
            size_t ls = open;
            while (ls > 0 && s[ls - 1] != '\n')
                ls--;
            if (open != i && open - ls <= 3) {
                size_t st, len, k = i + 2;
                if (link_dest(s, n, k, &st, &len) == 0)
                    add_token(ck, s + st, len, open);
            }
        } else if (c == '<' && i + 1 < n) {
            size_t e = i + 1;
            while (e < n && (ascii_letter(s[e]) || s[e] == '+' ||
                             s[e] == '-' || s[e] == '.'))
                e++;
            if (e < n && s[e] == ':' && e > i + 1) {
                /* An autolink: <https://...>. */
                size_t f = e;
                while (f < n && s[f] != '>' && s[f] != ' ' && s[f] != '\n')
                    f++;
                if (f < n && s[f] == '>')
                    add_token(ck, s + i + 1, f - i - 1, i);
            } else if (ascii_letter(s[i + 1])) {
                tag_tokens(ck, s, n, i);
            }
        }
    }
}

/* ---- pass 1: parse a page ---- */

static void page_add_ref(chk_page *pg, ref_kind kind, const char *what,
                         const char *value)
{
    if (pg->nrefs == pg->refs_cap) {
        pg->refs_cap = pg->refs_cap ? pg->refs_cap * 2 : 32;
        pg->refs = xrealloc(pg->refs, pg->refs_cap * sizeof *pg->refs);
    }
    pg->refs[pg->nrefs++] = (ref){kind, what, xstrdup(value)};
}

static void page_add_id(chk_page *pg, const char *id)
{
    if (pg->nids == pg->ids_cap) {
        pg->ids_cap = pg->ids_cap ? pg->ids_cap * 2 : 32;
        pg->ids = xrealloc(pg->ids, pg->ids_cap * sizeof *pg->ids);
    }
    pg->ids[pg->nids++] = xstrdup(id);
}

static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static int is(xmlNodePtr n, const char *name)
{
    return !strcasecmp((const char *)n->name, name);
}

static void add_prop_ref(chk_page *pg, xmlNodePtr n, const char *attr,
                         ref_kind kind, const char *what)
{
    char *v = prop(n, attr);
    if (v) {
        page_add_ref(pg, kind, what, v);
        xmlFree(v);
    }
}

/* "url 2x, url2 480w" */
static void add_srcset(chk_page *pg, xmlNodePtr n, const char *what)
{
    char *v = prop(n, "srcset");
    if (!v)
        return;
    buf one = BUF_INIT;
    buf_init(&one);
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n')
            e++;
        if (e > p && e[-1] == ',')
            e--;
        if (e > p) {
            buf_clear(&one);
            buf_put(&one, p, (size_t)(e - p));
            page_add_ref(pg, REF_FILE, what, one.data);
        }
        p = e;
        while (*p && *p != ',')
            p++;
    }
    buf_free(&one);
    xmlFree(v);
}

/* The URL of <meta http-equiv="refresh" content="0; url=X">. */
static void add_refresh(chk_page *pg, xmlNodePtr n)
{
    char *eq = prop(n, "http-equiv");
    int refresh = eq && !strcasecmp(eq, "refresh");
    xmlFree(eq);
    if (!refresh)
        return;
    char *c = prop(n, "content");
    if (!c)
        return;
    const char *p = c;
    while (*p && *p != ';' && *p != ',')
        p++;
    while (*p == ';' || *p == ',' || *p == ' ' || *p == '\t')
        p++;
    if (!strncasecmp(p, "url", 3)) {
        p += 3;
        while (*p == ' ')
            p++;
        if (*p == '=') {
            p++;
            while (*p == ' ')
                p++;
            size_t len = strlen(p);
            if (len && (*p == '"' || *p == '\'') && p[len - 1] == *p) {
                p++;
                len -= 2;
            }
            char *u = xstrndup(p, len);
            page_add_ref(pg, REF_REDIRECT, "redirect", u);
            free(u);
            pg->redirect = 1;
        }
    }
    xmlFree(c);
}

static void collapse_text(const char *s, buf *out)
{
    buf_clear(out);
    int space = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = out->len > 0;
            continue;
        }
        if (space)
            buf_putc(out, ' ');
        space = 0;
        buf_putc(out, *s);
    }
}

static const char *link_what(xmlNodePtr n)
{
    char *rel = prop(n, "rel");
    const char *w = "link";
    if (rel) {
        if (strcasestr(rel, "stylesheet"))
            w = "stylesheet";
        else if (strcasestr(rel, "icon"))
            w = "icon";
        else if (strcasestr(rel, "alternate"))
            w = "feed";
        xmlFree(rel);
    }
    return w;
}

static int inside(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE;
         p = p->parent)
        if (is(p, name))
            return 1;
    return 0;
}

/* The src of an <audio>: its own, else its first <source>'s. */
static char *audio_src(xmlNodePtr n)
{
    char *v = prop(n, "src");
    if (v)
        return v;
    xmlNodePtr c = n->children;
    while (c && c != n) {
        if (c->type == XML_ELEMENT_NODE && is(c, "source") &&
            (v = prop(c, "src")))
            return v;
        if (c->children) {
            c = c->children;
            continue;
        }
        while (c != n && !c->next)
            c = c->parent;
        if (c != n)
            c = c->next;
    }
    return NULL;
}

static void visit(chk_page *pg, xmlNodePtr n, buf *tmp)
{
    char *id = prop(n, "id");
    if (id) {
        page_add_id(pg, id);
        if (!strcmp(id, "transskription"))
            pg->has_transcript = 1;
        xmlFree(id);
    }
    if (is(n, "a") || is(n, "area")) {
        if (is(n, "a")) {
            char *name = prop(n, "name");
            if (name) {
                page_add_id(pg, name);
                xmlFree(name);
            }
        }
        add_prop_ref(pg, n, "href", REF_LINK, "link");
    } else if (is(n, "form")) {
        add_prop_ref(pg, n, "action", REF_LINK, "form");
    } else if (is(n, "link")) {
        add_prop_ref(pg, n, "href", REF_FILE, link_what(n));
    } else if (is(n, "img")) {
        add_prop_ref(pg, n, "src", REF_FILE, "image");
        add_srcset(pg, n, "image");
        if (!xmlHasProp(n, (const xmlChar *)"alt")) {
            char *src = prop(n, "src");
            page_add_ref(pg, REF_NOALT, "image", src ? src : "");
            xmlFree(src);
        }
    } else if (is(n, "script")) {
        add_prop_ref(pg, n, "src", REF_FILE, "script");
    } else if (is(n, "source")) {
        const char *w = inside(n, "audio") ? "audio"
                        : inside(n, "video") ? "video" : "image";
        add_prop_ref(pg, n, "src", REF_FILE, w);
        add_srcset(pg, n, w);
    } else if (is(n, "audio") || is(n, "video")) {
        const char *w = is(n, "audio") ? "audio" : "video";
        add_prop_ref(pg, n, "src", REF_FILE, w);
        add_prop_ref(pg, n, "poster", REF_FILE, "image");
        if (is(n, "audio")) {
            char *src = audio_src(n);
            page_add_ref(pg, REF_AUDIO, "audio", src ? src : "");
            xmlFree(src);
        }
    } else if (is(n, "track")) {
        add_prop_ref(pg, n, "src", REF_FILE, "track");
    } else if (is(n, "iframe") || is(n, "embed")) {
        add_prop_ref(pg, n, "src", REF_FILE, "file");
    } else if (is(n, "meta")) {
        add_refresh(pg, n);
    } else if (is(n, "title") && !pg->title && n->parent &&
               is(n->parent, "head")) {
        xmlChar *t = xmlNodeGetContent(n);
        collapse_text(t ? (const char *)t : "", tmp);
        pg->title = xstrdup(tmp->data);
        xmlFree(t);
    }
}

/* Parse one page.  Returns 0, or -1 when it is not HTML libxml2 can read. */
static int parse_page(chk_page *pg, const char *html, size_t len, buf *tmp)
{
    if (len > INT_MAX)
        return -1;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, pg->out_path, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET);
    if (!doc)
        return -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr n = root;
    /* Iterative walk: a deep document cannot exhaust the stack. */
    while (n) {
        if (n->type == XML_ELEMENT_NODE)
            visit(pg, n, tmp);
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
    xmlFreeDoc(doc);
    if (pg->nids)
        qsort(pg->ids, pg->nids, sizeof *pg->ids, str_cmp_p);
    return 0;
}

static int page_has_id(const chk_page *pg, const char *id)
{
    return pg->nids && bsearch(&id, pg->ids, pg->nids, sizeof *pg->ids,
                               str_cmp_p) != NULL;
}

static int page_cmp_path(const void *a, const void *b)
{
    return strcmp(((const chk_page *)a)->out_path,
                  ((const chk_page *)b)->out_path);
}

static chk_page *find_page(checker *ck, const char *out_path)
{
    chk_page key;
    key.out_path = (char *)out_path;
    if (!ck->npages)
        return NULL;
    return bsearch(&key, ck->pages, ck->npages, sizeof *ck->pages,
                   page_cmp_path);
}

/* The URL path of an output file: "/base/praksis/x/" for
 * "praksis/x/index.html". */
static void url_of(const checker *ck, const char *out_path, buf *out)
{
    buf_clear(out);
    buf_puts(out, ck->cfg.base_path);
    size_t n = strlen(out_path);
    if (ends_with(out_path, "index.html") &&
        (n == 10 || out_path[n - 11] == '/'))
        buf_put(out, out_path, n - 10);
    else
        buf_puts(out, out_path);
}

/* ---- tracing a finding back to its source ---- */

/* Where a finding about the page is reported when nothing better is
 * known: its source file, or for generated files what made them. */
static const char *origin_path(const checker *ck, const chk_page *pg)
{
    const char *s = pg->source;
    if (!strncmp(s, "content/", 8))
        return s;
    if (!strncmp(s, "layouts/", 8)) {
        /* a list layout the site does not have falls back to "list" */
        for (size_t i = 0; i < ck->nlayouts; i++)
            if (!strcmp(ck->layouts[i].path, s))
                return s;
        return "layouts/list.mustache";
    }
    if (!strcmp(s, "404 page")) {
        buf p = BUF_INIT;
        buf_init(&p);
        fs_join(&p, ck->site_dir, "layouts/404.mustache");
        int has = fs_is_file(p.data);
        buf_free(&p);
        return has ? "layouts/404.mustache" : "layouts/page.mustache";
    }
    return "site.yaml";
}

static int same_decoded(checker *ck, const char *a, const char *b)
{
    if (!strcmp(a, b))
        return 1;
    if (pct_decode(a, strlen(a), &ck->tmp) < 0 ||
        pct_decode(b, strlen(b), &ck->tmp2) < 0)
        return 0;
    return !strcmp(ck->tmp.data, ck->tmp2.data);
}

typedef struct place {
    const char *path;
    int line, col;
} place;

static int place_in(const text_file *t, const char *key, int whole,
                    place *pl)
{
    long at = text_find(t, key, whole);
    if (at < 0)
        return 0;
    pl->path = t->path;
    text_pos(t, (size_t)at, &pl->line, &pl->col);
    return 1;
}

/* Where value (an attribute of the page's HTML) was written.  When it is
 * a link of the Markdown source, *written is the link as written there
 * ("../guides/g.md#trin" for "/base/vaerktoejer/g/#trin"), else value. */
static place locate(checker *ck, const chk_page *pg, const char *value,
                    const char **written)
{
    place pl = {origin_path(ck, pg), 1, 1};
    *written = value;
    if (ck->have_src) {
        /* 1. a link written so */
        for (size_t i = 0; i < ck->ntokens; i++)
            if (same_decoded(ck, ck->tokens[i].target, value)) {
                *written = ck->tokens[i].target;
                pl.path = ck->src.path;
                text_pos(&ck->src, ck->tokens[i].at, &pl.line, &pl.col);
                return pl;
            }
        /* 2. a link to a .md file with the same fragment */
        const char *frag = strchr(value, '#');
        if (frag && frag[1])
            for (size_t i = 0; i < ck->ntokens; i++) {
                const char *t = ck->tokens[i].target;
                const char *tf = strchr(t, '#');
                if (!tf || strcmp(tf, frag))
                    continue;
                size_t pl_len = (size_t)(tf - t);
                if (pl_len >= 3 && !memcmp(tf - 3, ".md", 3)) {
                    *written = t;
                    pl.path = ck->src.path;
                    text_pos(&ck->src, ck->tokens[i].at, &pl.line, &pl.col);
                    return pl;
                }
            }
        /* 3. the text anywhere (front matter), or its file name */
        if (place_in(&ck->src, value, 0, &pl))
            return pl;
        size_t plen = strcspn(value, "?#");
        const char *slash = NULL;
        for (size_t i = 0; i < plen; i++)
            if (value[i] == '/')
                slash = value + i;
        const char *base = slash ? slash + 1 : value;
        size_t blen = plen - (size_t)(base - value);
        if (blen >= 3 && memchr(base, '.', blen)) {
            char *name = xstrndup(base, blen);
            int found = place_in(&ck->src, name, 1, &pl);
            free(name);
            if (found)
                return pl;
        }
    }
    /* 4. a layout: the reference, or its path below the base path */
    const char *bp = ck->cfg.base_path;
    size_t bpl = strlen(bp);
    const char *below = value[0] == '/' && !strncmp(value, bp, bpl) &&
                                strlen(value + bpl) >= 3
                            ? value + bpl : NULL;
    for (size_t i = 0; i < ck->nlayouts; i++)
        if (place_in(&ck->layouts[i], value, 0, &pl))
            return pl;
    for (size_t i = 0; below && i < ck->nlayouts; i++)
        if (place_in(&ck->layouts[i], below, 0, &pl))
            return pl;
    /* 5. site.yaml (the accessibility statement, contact, params) */
    if (ck->have_site_yaml && place_in(&ck->site_yaml, value, 0, &pl))
        return pl;
    pl.path = origin_path(ck, pg);
    pl.line = pl.col = 1;
    return pl;
}

static void report(checker *ck, diag_level level, place pl, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

static void report(checker *ck, diag_level level, place pl, const char *fmt,
                   ...)
{
    buf msg = BUF_INIT;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_add(&ck->found, level, pl.path, pl.line, pl.col, "%s", msg.data);
    buf_free(&msg);
}

/* ---- pass 2: references ---- */

typedef enum target_kind {
    T_SKIP,         /* mailto:, data:, empty, ... */
    T_EXTERNAL,     /* http(s) to another host or outside the base path */
    T_OUTSIDE,      /* a path on this host that is not below base_path */
    T_ESCAPES,      /* climbs above the output's root */
    T_MISSING,      /* below the site, no such file */
    T_FOUND
} target_kind;

typedef struct target {
    target_kind kind;
    buf file;           /* T_FOUND: the output file */
    buf url;            /* the URL path, for messages */
    const char *frag;   /* after '#', or NULL */
    int looks_like_file;/* the last segment has an extension (not .html) */
} target;

/* "https://host" prefix of v equal to the site's origin? */
static int same_origin(const checker *ck, const char *v, size_t n)
{
    const char *o = ck->cfg.origin;
    return o && strlen(o) == n && !strncasecmp(o, v, n);
}

static target_kind resolve(checker *ck, const chk_page *pg, const char *raw,
                           target *t)
{
    buf_clear(&t->file);
    buf_clear(&t->url);
    t->frag = NULL;
    t->looks_like_file = 0;
    while (*raw == ' ' || *raw == '\t' || *raw == '\n' || *raw == '\r')
        raw++;
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t' ||
                 raw[n - 1] == '\n' || raw[n - 1] == '\r'))
        n--;
    if (!n)
        return T_SKIP;
    const char *hash = memchr(raw, '#', n);
    if (hash)
        t->frag = hash + 1;
    size_t plen = strcspn(raw, "?#");
    if (plen > n)
        plen = n;
    /* scheme */
    size_t k = 0;
    if (ascii_letter(raw[0])) {
        while (k < plen && (ascii_letter(raw[k]) || (raw[k] >= '0' &&
               raw[k] <= '9') || raw[k] == '+' || raw[k] == '-' ||
               raw[k] == '.'))
            k++;
    }
    const char *path = raw;
    size_t path_len = plen;
    if (k > 0 && k < plen && raw[k] == ':') {
        int web = (k == 4 && !strncasecmp(raw, "http", 4)) ||
                  (k == 5 && !strncasecmp(raw, "https", 5));
        if (!web || strncmp(raw + k + 1, "//", 2))
            return T_SKIP;
        size_t a = k + 3;
        while (a < plen && raw[a] != '/')
            a++;
        if (!same_origin(ck, raw, a))
            return T_EXTERNAL;
        path = raw + a;
        path_len = plen - a;
        if (!path_len) {
            path = "/";
            path_len = 1;
        }
    } else if (plen >= 2 && raw[0] == '/' && raw[1] == '/') {
        size_t a = 2;
        while (a < plen && raw[a] != '/')
            a++;
        const char *o = ck->cfg.origin ? strstr(ck->cfg.origin, "//") : NULL;
        if (!o || strlen(o) != a || strncasecmp(o, raw, a))
            return T_EXTERNAL;
        path = raw + a;
        path_len = plen - a;
        if (!path_len) {
            path = "/";
            path_len = 1;
        }
    }
    /* path relative to the output root, undecoded */
    buf *rel = &ck->tmp2;
    buf_clear(rel);
    const char *bp = ck->cfg.base_path;
    size_t bpl = strlen(bp);
    if (path_len == 0) {
        buf_puts(rel, pg->out_path);        /* "#x" or "?q": this page */
    } else if (path[0] == '/') {
        if (path_len >= bpl && !strncmp(path, bp, bpl))
            buf_put(rel, path + bpl, path_len - bpl);
        else if (path_len == bpl - 1 && !strncmp(path, bp, path_len))
            ;   /* "/base" without its slash: the home page */
        else
            return T_OUTSIDE;
    } else {
        const char *slash = strrchr(pg->out_path, '/');
        if (slash)
            buf_put(rel, pg->out_path, (size_t)(slash - pg->out_path) + 1);
        buf_put(rel, path, path_len);
    }
    int trailing = rel->len == 0 || rel->data[rel->len - 1] == '/';
    buf dec = BUF_INIT;
    buf_init(&dec);
    int bad = pct_decode(rel->data, rel->len, &dec);
    buf norm = BUF_INIT;
    buf_init(&norm);
    if (!bad && fs_normalise(dec.data, &norm) < 0)
        bad = 1;
    buf_free(&dec);
    if (bad) {
        buf_free(&norm);
        return T_ESCAPES;
    }
    buf_puts(&t->url, bp);
    buf_puts(&t->url, norm.data);
    if (trailing && norm.len)
        buf_putc(&t->url, '/');
    const char *last = strrchr(norm.data, '/');
    last = last ? last + 1 : norm.data;
    const char *dot = strrchr(last, '.');
    t->looks_like_file = !trailing && dot && strcmp(dot, ".html") &&
                         strcmp(dot, ".htm");

    buf p = BUF_INIT;
    buf_init(&p);
    target_kind kind = T_MISSING;
    if (norm.len == 0) {
        buf_puts(&t->file, "index.html");
        kind = T_FOUND;
    } else {
        fs_join(&p, ck->out_dir, norm.data);
        if (!trailing && fs_is_file(p.data)) {
            buf_puts(&t->file, norm.data);
            kind = T_FOUND;
        } else {
            buf_puts(&p, "/index.html");
            if (fs_is_file(p.data)) {
                buf_printf(&t->file, "%s/index.html", norm.data);
                kind = T_FOUND;
            }
        }
    }
    buf_free(&p);
    buf_free(&norm);
    return kind;
}

static void check_ref(checker *ck, chk_page *pg, const ref *r, target *t)
{
    const char *w;      /* the reference as written in the source */
    place pl;
    if (r->kind == REF_NOALT) {
        pl = locate(ck, pg, r->value, &w);
        report(ck, DIAG_ERROR, pl, "image \"%s\" has no alt text: say what "
               "it shows in alt=\"...\", or write alt=\"\" if it is only "
               "decoration (WCAG 1.1.1)", w);
        return;
    }
    if (r->kind == REF_AUDIO) {
        if (pg->has_transcript)
            return;
        pl = locate(ck, pg, r->value, &w);
        report(ck, DIAG_ERROR, pl, "audio \"%s\" has no transcript on the "
               "page (an element with id=\"transskription\"; WCAG 1.2.1)", w);
        return;
    }
    target_kind kind = resolve(ck, pg, r->value, t);
    if (kind == T_SKIP || (kind == T_EXTERNAL && !ck->opt->external))
        return;
    const char *lead = r->kind == REF_REDIRECT ? "redirect to"
                       : r->kind == REF_LINK && !strcmp(r->what, "form")
                           ? "form action"
                       : r->kind == REF_LINK ? "link to" : r->what;
    if (kind != T_FOUND) {
        pl = locate(ck, pg, r->value, &w);
        if (kind == T_EXTERNAL)
            report(ck, DIAG_WARNING, pl, "external %s \"%s\" (not checked)",
                   r->kind == REF_LINK || r->kind == REF_REDIRECT
                       ? "link" : r->what, w);
        else if (kind == T_OUTSIDE)
            report(ck, DIAG_ERROR, pl, "%s \"%s\" does not resolve: it is "
                   "outside the site (not below its base path %s)", lead, w,
                   ck->cfg.base_path);
        else if (kind == T_ESCAPES)
            report(ck, DIAG_ERROR, pl, "%s \"%s\" does not resolve: it "
                   "leaves the site", lead, w);
        else if (r->kind == REF_LINK && t->looks_like_file)
            report(ck, DIAG_ERROR, pl, "download \"%s\" is missing: no file "
                   "%s in the output", w, t->url.data);
        else
            report(ck, DIAG_ERROR, pl, "%s \"%s\" does not resolve: no %s %s "
                   "in the output", lead, w,
                   r->kind == REF_LINK || r->kind == REF_REDIRECT ? "page"
                                                                  : "file",
                   t->url.data);
        return;
    }
    chk_page *to = find_page(ck, t->file.data);
    if (to && to != pg && !pg->redirect)
        to->linked = 1;
    if (!to || !t->frag || !*t->frag)
        return;
    buf frag = BUF_INIT, u = BUF_INIT;
    buf_init(&frag);
    buf_init(&u);
    int ok = pct_decode(t->frag, strlen(t->frag), &frag) == 0 &&
             (page_has_id(to, frag.data) || !strcmp(frag.data, "top"));
    if (!ok) {
        pl = locate(ck, pg, r->value, &w);
        if (to == pg) {
            buf_puts(&u, "the page");
        } else {
            url_of(ck, to->out_path, &u);
        }
        report(ck, DIAG_ERROR, pl, "%s \"%s\" does not resolve: no element "
               "with id \"%s\" on %s", lead, w, frag.data, u.data);
    }
    buf_free(&frag);
    buf_free(&u);
}

/* Where the front matter says "title:" (value column), else 0. */
static int title_pos(const text_file *t, int *line, int *col)
{
    const char *s = t->text.data;
    if (strncmp(s, "---", 3))
        return 0;
    for (size_t l = 1; l < t->nlines; l++) {
        const char *ln = s + t->lines[l];
        if (!strncmp(ln, "---", 3))
            return 0;
        if (!strncmp(ln, "title:", 6)) {
            size_t c = 6;
            while (ln[c] == ' ' || ln[c] == '\t')
                c++;
            *line = (int)l + 1;
            *col = (int)c + 1;
            return 1;
        }
    }
    return 0;
}

static void check_page(checker *ck, chk_page *pg)
{
    ck->have_src = 0;
    clear_tokens(ck);
    if (!strncmp(pg->source, "content/", 8) && ends_with(pg->source, ".md") &&
        text_load(&ck->src, ck->site_dir, pg->source) == 0) {
        ck->have_src = 1;
        tokenise(ck, &ck->src);
    }
    pg->title_path = origin_path(ck, pg);
    pg->title_line = pg->title_col = 1;
    if (ck->have_src)
        title_pos(&ck->src, &pg->title_line, &pg->title_col);
    target t;
    memset(&t, 0, sizeof t);
    buf_init(&t.file);
    buf_init(&t.url);
    for (size_t i = 0; i < pg->nrefs; i++)
        check_ref(ck, pg, &pg->refs[i], &t);
    buf_free(&t.file);
    buf_free(&t.url);
    if (ck->have_src)
        text_free(&ck->src);
    ck->have_src = 0;
}

/* ---- pass 3: orphans and titles ---- */

static int is_exempt(const chk_page *pg)
{
    return pg->redirect || !strcmp(pg->out_path, "index.html") ||
           !strcmp(pg->out_path, "404.html");
}

static void check_orphans(checker *ck)
{
    buf u = BUF_INIT;
    buf_init(&u);
    for (size_t i = 0; i < ck->npages; i++) {
        const chk_page *pg = &ck->pages[i];
        if (pg->linked || is_exempt(pg))
            continue;
        url_of(ck, pg->out_path, &u);
        place pl = {origin_path(ck, pg), 1, 1};
        report(ck, DIAG_WARNING, pl, "no other page links to %s (an orphan "
               "page: readers can only find it through search or the "
               "sitemap)", u.data);
    }
    buf_free(&u);
}

static int title_cmp(const void *a, const void *b)
{
    const chk_page *x = *(const chk_page *const *)a;
    const chk_page *y = *(const chk_page *const *)b;
    int c = strcmp(x->title, y->title);
    return c ? c : strcmp(x->out_path, y->out_path);
}

static void check_titles(checker *ck)
{
    chk_page **v = xmalloc((ck->npages ? ck->npages : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < ck->npages; i++)
        if (ck->pages[i].title && *ck->pages[i].title &&
            !is_exempt(&ck->pages[i]))
            v[n++] = &ck->pages[i];
    qsort(v, n, sizeof *v, title_cmp);
    buf u = BUF_INIT;
    buf_init(&u);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && !strcmp(v[j]->title, v[i]->title))
            j++;
        for (size_t k = i; j - i > 1 && k < j; k++) {
            const chk_page *other = v[k == i ? i + 1 : i];
            url_of(ck, other->out_path, &u);
            place pl = {v[k]->title_path, v[k]->title_line, v[k]->title_col};
            if (j - i > 2)
                report(ck, DIAG_WARNING, pl, "the title \"%s\" is also used "
                       "by %s and %zu more pages", v[k]->title, u.data,
                       j - i - 2);
            else
                report(ck, DIAG_WARNING, pl, "the title \"%s\" is also used "
                       "by %s", v[k]->title, u.data);
        }
        i = j;
    }
    buf_free(&u);
    free(v);
}

/* ---- set-up ---- */

static void load_layouts(checker *ck, const char *rel)
{
    buf dir = BUF_INIT;
    buf_init(&dir);
    fs_join(&dir, ck->site_dir, rel);
    size_t n;
    char **names = fs_list_dir(dir.data, &n);
    buf_free(&dir);
    if (!names)
        return;
    buf sub = BUF_INIT, full = BUF_INIT;
    buf_init(&sub);
    buf_init(&full);
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] == '.')
            continue;
        fs_join(&sub, rel, names[i]);
        fs_join(&full, ck->site_dir, sub.data);
        if (fs_is_dir(full.data)) {
            char *s = xstrdup(sub.data);
            load_layouts(ck, s);
            free(s);
        } else if (ends_with(names[i], ".mustache")) {
            if (ck->nlayouts == ck->layouts_cap) {
                ck->layouts_cap = ck->layouts_cap ? ck->layouts_cap * 2 : 16;
                ck->layouts = xrealloc(ck->layouts, ck->layouts_cap *
                                                        sizeof *ck->layouts);
            }
            if (text_load(&ck->layouts[ck->nlayouts], ck->site_dir,
                          sub.data) == 0)
                ck->nlayouts++;
        }
    }
    buf_free(&sub);
    buf_free(&full);
    fs_free_list(names, n);
}

static void checker_free(checker *ck)
{
    for (size_t i = 0; i < ck->npages; i++) {
        chk_page *pg = &ck->pages[i];
        free(pg->out_path);
        free(pg->title);
        for (size_t k = 0; k < pg->nids; k++)
            free(pg->ids[k]);
        free(pg->ids);
        for (size_t k = 0; k < pg->nrefs; k++)
            free(pg->refs[k].value);
        free(pg->refs);
    }
    free(ck->pages);
    for (size_t i = 0; i < ck->nlayouts; i++)
        text_free(&ck->layouts[i]);
    free(ck->layouts);
    if (ck->have_site_yaml)
        text_free(&ck->site_yaml);
    clear_tokens(ck);
    free(ck->tokens);
    if (ck->have_cfg)
        config_free(&ck->cfg);
    diag_free(&ck->found);
    buf_free(&ck->tmp);
    buf_free(&ck->tmp2);
}

/* Pass 1 over every HTML file of the build. */
static int read_pages(checker *ck, const value *sources, diag *d)
{
    size_t n = sources->as.map.len;
    ck->pages = xcalloc(n ? n : 1, sizeof *ck->pages);
    buf path = BUF_INIT, html = BUF_INIT;
    buf_init(&path);
    buf_init(&html);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *out = sources->as.map.keys[i];
        const value *src = sources->as.map.vals[i];
        if (!ends_with(out, ".html") || src->kind != VALUE_STRING)
            continue;
        chk_page *pg = &ck->pages[ck->npages++];
        pg->out_path = xstrdup(out);
        pg->source = src->as.str.s;
        fs_join(&path, ck->out_dir, out);
        if (fs_read_file(path.data, &html) < 0) {
            diag_error(d, NULL, 0, 0, "cannot read %s: %s", path.data,
                       strerror(errno));
            rc = -1;
            continue;
        }
        if (parse_page(pg, html.data, html.len, &ck->tmp) < 0)
            diag_error(d, pg->source, 1, 1, "the HTML of /%s cannot be "
                       "parsed", out);
    }
    buf_free(&path);
    buf_free(&html);
    qsort(ck->pages, ck->npages, sizeof *ck->pages, page_cmp_path);
    return rc;
}

/* ---- deduplication, sorting, JSON ---- */

typedef struct sort_item {
    const diag_entry *e;
    size_t order;
} sort_item;

static int item_cmp(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    int c = strcmp(x->e->path ? x->e->path : "", y->e->path ? y->e->path
                                                            : "");
    if (c)
        return c;
    if (x->e->line != y->e->line)
        return x->e->line < y->e->line ? -1 : 1;
    if (x->e->col != y->e->col)
        return x->e->col < y->e->col ? -1 : 1;
    if (x->e->level != y->e->level)
        return x->e->level == DIAG_ERROR ? -1 : 1;
    c = strcmp(x->e->message, y->e->message);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Copy src's entries into dst sorted, each (place, level, message) once. */
static void dedupe_into(diag *src, diag *dst)
{
    sort_item *v = xcalloc(src->len ? src->len : 1, sizeof *v);
    for (size_t i = 0; i < src->len; i++)
        v[i] = (sort_item){&src->entries[i], i};
    qsort(v, src->len, sizeof *v, item_cmp);
    for (size_t i = 0; i < src->len; i++) {
        const diag_entry *e = v[i].e;
        if (i > 0) {
            const diag_entry *p = v[i - 1].e;
            if (p->level == e->level && p->line == e->line &&
                p->col == e->col && !strcmp(p->message, e->message) &&
                !strcmp(p->path ? p->path : "", e->path ? e->path : "") &&
                (p->path == NULL) == (e->path == NULL))
                continue;
        }
        diag_add(dst, e->level, e->path, e->line, e->col, "%s", e->message);
    }
    free(v);
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

void check_print_json(const diag *d, FILE *out)
{
    fputs("[", out);
    for (size_t i = 0; i < d->len; i++) {
        const diag_entry *e = &d->entries[i];
        fputs(i ? ",\n  {" : "\n  {", out);
        fputs("\"path\": ", out);
        if (e->path) {
            buf p = BUF_INIT;
            buf_init(&p);
            if (d->prefix && e->path[0] != '/')
                buf_puts(&p, d->prefix);
            buf_puts(&p, e->path);
            json_string(out, p.data);
            buf_free(&p);
        } else {
            fputs("null", out);
        }
        fprintf(out, ", \"line\": %d, \"col\": %d, \"level\": \"%s\", "
                "\"message\": ", e->line, e->col,
                e->level == DIAG_ERROR ? "error" : "warning");
        json_string(out, e->message);
        fputs("}", out);
    }
    fputs(d->len ? "\n]\n" : "]\n", out);
}

/* ---- the command ---- */

int check_run(const check_options *opt, diag *d, check_result *res)
{
    memset(res, 0, sizeof *res);
    checker ck;
    memset(&ck, 0, sizeof ck);
    ck.opt = opt;
    ck.site_dir = opt->build.site_dir;
    diag_init(&ck.found);
    buf_init(&ck.tmp);
    buf_init(&ck.tmp2);

    const char *tmpdir = getenv("TMPDIR");
    buf tmp = BUF_INIT, out = BUF_INIT;
    buf_init(&tmp);
    buf_init(&out);
    buf_printf(&tmp, "%s/formidl-check-XXXXXX",
               tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(tmp.data)) {
        diag_error(d, NULL, 0, 0, "cannot make a temporary folder %s: %s",
                   tmp.data, strerror(errno));
        buf_free(&tmp);
        buf_free(&out);
        checker_free(&ck);
        return 3;
    }
    fs_join(&out, tmp.data, "public");
    ck.out_dir = out.data;

    build_options bo = opt->build;
    bo.out_dir = out.data;
    bo.quiet = 1;
    bo.verbose = 0;
    build_result br;
    memset(&br, 0, sizeof br);
    br.want_sources = 1;
    int status = build_run(&bo, &ck.found, &br);
    if (status == 0 && br.sources) {
        res->built = 1;
        res->pages = br.pages;
        diag scratch;
        diag_init(&scratch);
        ck.have_cfg = config_load(&ck.cfg, ck.site_dir, opt->build.base_url,
                                  &scratch) == 0;
        diag_free(&scratch);
        if (!ck.have_cfg) {
            config_free(&ck.cfg);
            diag_error(&ck.found, "site.yaml", 0, 0,
                       "site.yaml changed while checking");
            status = 3;
        } else {
            ck.have_site_yaml = text_load(&ck.site_yaml, ck.site_dir,
                                          "site.yaml") == 0;
            load_layouts(&ck, "layouts");
            xmlInitParser();
            if (read_pages(&ck, br.sources, &ck.found) < 0)
                status = 3;
            for (size_t i = 0; i < ck.npages; i++)
                check_page(&ck, &ck.pages[i]);
            check_orphans(&ck);
            check_titles(&ck);
        }
    }
    value_free(br.sources);
    if (fs_remove_tree(tmp.data) < 0)
        diag_warning(&ck.found, NULL, 0, 0, "cannot remove the temporary "
                     "folder %s: %s", tmp.data, strerror(errno));
    buf_free(&tmp);
    buf_free(&out);
    dedupe_into(&ck.found, d);
    checker_free(&ck);
    if (status == 0 && d->errors)
        status = 1;
    return status;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int cmd_check(const check_options *opt)
{
    diag d;
    diag_init(&d);
    const char *site = opt->build.site_dir;
    if (strcmp(site, ".") && strcmp(site, "./")) {
        buf prefix = BUF_INIT;
        buf_init(&prefix);
        buf_puts(&prefix, site);
        if (prefix.data[prefix.len - 1] != '/')
            buf_putc(&prefix, '/');
        diag_set_prefix(&d, prefix.data);
        buf_free(&prefix);
    }
    check_result res;
    int status = check_run(opt, &d, &res);
    if (opt->format == CHECK_JSON)
        check_print_json(&d, stdout);
    else
        diag_print(&d, stdout, 1);
    fflush(stdout);
    if (res.built)
        fprintf(stderr, "Tjekkede %zu %s: %zu fejl, %zu %s\n", res.pages,
                plural(res.pages, "side", "sider"), d.errors, d.warnings,
                plural(d.warnings, "advarsel", "advarsler"));
    else
        fprintf(stderr, "Sitet kunne ikke bygges, så HTML og links er ikke "
                "tjekket: %zu fejl, %zu %s\n", d.errors, d.warnings,
                plural(d.warnings, "advarsel", "advarsler"));
    diag_free(&d);
    return status;
}
