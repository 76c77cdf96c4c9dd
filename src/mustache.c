/*
 * mustache.c - the Mustache template engine.  See mustache.h.
 *
 * Design
 * ------
 * A template is compiled once (tpl_set_add) into a tree of nodes and then
 * rendered many times (tpl_render) without being looked at as text again.
 *
 * Compiling runs five linear passes over the source:
 *
 *   1. tokenize: split the source into text and tag tokens, following set
 *      delimiter tags as they come ({{=<% %>=}} changes how the rest of
 *      this template is scanned, and only this template);
 *   2. match: pair every section/inverted/parent/block opening with its
 *      closing tag with a stack, which is where unclosed and mismatched
 *      sections are reported;
 *   3. standalone: decide which tags stand alone on their line, and trim
 *      the neighbouring text tokens so those lines vanish from the output;
 *      this also records the indentation a standalone partial, parent or
 *      block passes on to what it expands (see "Whitespace" below);
 *   4. build: turn the token ranges into a tree of tpl_node, with dotted
 *      names split into segments and static partial names pre-hashed;
 *   5. outdent: remove the "intrinsic indentation" of argument blocks
 *      ({{$b}} directly inside {{<parent}}) from the start of each line of
 *      their content, so the parent can re-indent it where it expands.
 *
 * Text nodes point into the template's own copy of the source (only
 * outdented text is copied), so compiling costs O(n) time and memory for a
 * source of n bytes (the delimiter search is O(n * delimiter length)).
 *
 * Rendering walks the tree.  The context stack is a linked list of frames
 * that live on the C stack (one per section level), and so is the stack of
 * parent-tag argument lists used to resolve blocks; the only heap memory a
 * render touches is the output buffer and, only when standalone partials
 * or blocks indent their content, one small indentation buffer.  Rendering
 * costs O(output + nodes visited + name look-ups); a name look-up walks the
 * context stack and does one map look-up per frame and per dotted segment.
 * Partial names are found in the set's hash table with the hash computed
 * at compile time.
 *
 * Whitespace
 * ----------
 * A non-interpolation tag alone on its line (apart from spaces and tabs)
 * is "standalone": the whole line, newline included, is dropped.  A
 * {{<parent}}...{{/parent}} pair is also standalone when only whitespace
 * precedes the opening tag and only whitespace follows the closing tag on
 * their lines.  The leading whitespace of a standalone partial or parent
 * becomes indentation for every line of the template it expands.  Blocks
 * follow the rules of the spec's inheritance tests (see mustache/spec,
 * whitespace.md): an argument block's opening tag at the end of a line
 * owns that newline, and the leading whitespace of the following line is
 * its intrinsic indentation, removed from each of its lines; a parameter
 * block (one in the parent template) passes its own indentation to an
 * overriding argument: its intrinsic indentation when its opening tag is
 * standalone, else the whitespace before the tag (from the second line
 * on, as the first line already has it literally).
 *
 * Indentation is applied while rendering: the renderer remembers whether
 * the output is at the start of a template line ("pending") and writes the
 * current indentation before the next byte it outputs.  Only newlines of
 * template text set "pending", so interpolated data is never re-indented.
 */
#include "mustache.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Partial/parent expansions allowed on one path (recursion limit). */
#define TPL_MAX_DEPTH 100
/* Sections, parents and blocks nested inside one template. */
#define TPL_MAX_NEST 100

typedef enum tpl_kind {
    TPL_TEXT,
    TPL_VAR,      /* {{name}}: HTML-escaped */
    TPL_RAW,      /* {{{name}}} and {{&name}} */
    TPL_SECTION,  /* {{#name}} */
    TPL_INVERTED, /* {{^name}} */
    TPL_PARTIAL,  /* {{>name}} */
    TPL_PARENT,   /* {{<name}}: kids are its argument blocks */
    TPL_BLOCK     /* {{$name}}: kids are the default (or argument) content */
} tpl_kind;

#define TPL_F_BOL 1        /* TEXT: starts at the beginning of a line */
#define TPL_F_INDENT 2     /* PARTIAL/PARENT: indent every expanded line */
#define TPL_F_DYNAMIC 4    /* PARTIAL/PARENT: {{>*name}}, name is a path */
#define TPL_F_INTRINSIC 8  /* BLOCK: indent every line of an override */
#define TPL_F_CONTINUE 16  /* BLOCK: indent an override from line 2 on */

typedef struct tpl_seg {
    const char *s;
    size_t len;
} tpl_seg;

typedef struct tpl_node tpl_node;
struct tpl_node {
    unsigned char kind, flags;
    int line, col;
    const char *text;   /* TEXT: the bytes; other kinds: the tag's name */
    size_t len;
    tpl_seg *path;      /* looked-up name split at dots; npath 0 is "." */
    size_t npath;
    size_t hash;        /* PARTIAL/PARENT with a static name */
    const char *indent; /* see the flags */
    size_t indent_len;
    tpl_node *kids;
    size_t nkids;
};

typedef struct tpl {
    char *name;
    char *origin;
    char *src;
    size_t src_len;
    tpl_node *kids;
    size_t nkids;
    char **owned; /* outdented copies of text */
    size_t nowned, owned_cap;
} tpl;

typedef struct tpl_entry {
    char *name;
    size_t hash;
    tpl *t; /* NULL: the name failed to compile and is not defined */
} tpl_entry;

struct tpl_set {
    tpl_entry *slots;
    size_t cap, len;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static size_t tpl_hash(const char *s, size_t n)
{
    size_t h = (size_t)14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= (size_t)1099511628211ULL;
    }
    return h;
}

static int tpl_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int tpl_is_blank(char c) { return c == ' ' || c == '\t'; }

/* First occurrence of pat[0..m) in s[from..n), or n when there is none. */
static size_t tpl_find(const char *s, size_t n, size_t from, const char *pat,
                       size_t m)
{
    while (from + m <= n) {
        const char *p = memchr(s + from, pat[0], n - from - m + 1);
        if (!p)
            return n;
        size_t at = (size_t)(p - s);
        if (memcmp(p, pat, m) == 0)
            return at;
        from = at + 1;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Compiling: tokens                                                    */

typedef enum tpl_tok_kind {
    TOK_TEXT,
    TOK_VAR,
    TOK_RAW,
    TOK_SECTION,
    TOK_INVERTED,
    TOK_CLOSE,
    TOK_PARTIAL,
    TOK_PARENT,
    TOK_BLOCK,
    TOK_COMMENT,
    TOK_DELIM
} tpl_tok_kind;

typedef struct tpl_tok {
    tpl_tok_kind kind;
    size_t start, end;  /* extent in the source (TEXT: after trimming) */
    const char *name;   /* tag content, trimmed, without a leading '*' */
    size_t name_len;
    int dynamic;        /* name had a leading '*' */
    int line, col;
    size_t match;       /* index of the matching open/close tag */
    int arg;            /* BLOCK (or its CLOSE) directly inside a PARENT */
    unsigned char flags;        /* node flags decided by the standalone pass */
    const char *indent;
    size_t indent_len;
} tpl_tok;

typedef struct tpl_cc {
    tpl *t;
    const char *src;
    size_t n;
    diag *d;
    tpl_tok *toks;
    size_t ntoks, cap;
    int eof_line, eof_col;
} tpl_cc;

static tpl_tok *tpl_tok_push(tpl_cc *c, tpl_tok_kind kind, size_t start,
                             size_t end)
{
    if (c->ntoks == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->toks = xrealloc(c->toks, c->cap * sizeof *c->toks);
    }
    tpl_tok *k = &c->toks[c->ntoks++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->start = start;
    k->end = end;
    return k;
}

static void tpl_error(tpl_cc *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void tpl_error(tpl_cc *c, int line, int col, const char *fmt, ...)
{
    buf msg = BUF_INIT;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_error(c->d, c->t->origin, line, col, "%s", msg.data);
    buf_free(&msg);
}

/* How a tag is quoted in a message: its source text, shortened. */
#define TPL_QUOTE_MAX 40
#define TPL_TAG_ARGS(c, k)                                                  \
    (int)((k)->end - (k)->start > TPL_QUOTE_MAX ? TPL_QUOTE_MAX            \
                                                : (k)->end - (k)->start),  \
        (c)->src + (k)->start,                                             \
        (k)->end - (k)->start > TPL_QUOTE_MAX ? "..." : ""

/* Check the content of a tag that names something: not empty, without
 * whitespace or NUL bytes.  Reports and returns -1 otherwise. */
static int tpl_check_name(tpl_cc *c, const tpl_tok *k)
{
    if (k->name_len == 0) {
        tpl_error(c, k->line, k->col, "empty tag \"%.*s%s\"",
                  TPL_TAG_ARGS(c, k));
        return -1;
    }
    for (size_t i = 0; i < k->name_len; i++) {
        if (k->name[i] == '\0') {
            tpl_error(c, k->line, k->col, "invalid NUL byte in a tag name");
            return -1;
        }
        if (tpl_is_space(k->name[i])) {
            tpl_error(c, k->line, k->col,
                      "invalid name \"%.*s\" in tag \"%.*s%s\": names "
                      "cannot contain whitespace",
                      (int)k->name_len, k->name, TPL_TAG_ARGS(c, k));
            return -1;
        }
    }
    return 0;
}

/* Parse the content of a set delimiter tag ("<% %>") into the two new
 * delimiters, which point into the source.  Returns -1 when it is not two
 * whitespace-separated delimiters without '='. */
static int tpl_parse_delims(const char *s, size_t n, const char **ot,
                            size_t *ol, const char **ct, size_t *cl)
{
    size_t i = 0;
    while (i < n && tpl_is_space(s[i]))
        i++;
    size_t a = i;
    while (i < n && !tpl_is_space(s[i]))
        i++;
    size_t alen = i - a;
    while (i < n && tpl_is_space(s[i]))
        i++;
    size_t b = i;
    while (i < n && !tpl_is_space(s[i]))
        i++;
    size_t blen = i - b;
    while (i < n && tpl_is_space(s[i]))
        i++;
    if (alen == 0 || blen == 0 || i != n || memchr(s + a, '=', alen) ||
        memchr(s + b, '=', blen))
        return -1;
    *ot = s + a;
    *ol = alen;
    *ct = s + b;
    *cl = blen;
    return 0;
}

/* Pass 1: split the source into tokens.  Returns -1 after reporting an
 * unclosed tag, an empty or malformed name or a bad delimiter change. */
static int tpl_tokenize(tpl_cc *c)
{
    const char *s = c->src;
    size_t n = c->n;
    const char *ot = "{{", *ct = "}}";
    size_t ol = 2, cl = 2;
    size_t pos = 0, lstart = 0;
    int line = 1;

    while (pos < n) {
        size_t q = tpl_find(s, n, pos, ot, ol);
        if (q > pos) {
            tpl_tok *k = tpl_tok_push(c, TOK_TEXT, pos, q);
            k->line = line;
            k->col = (int)(pos - lstart + 1);
        }
        for (const char *nl; (nl = memchr(s + pos, '\n', q - pos));) {
            line++;
            pos = (size_t)(nl - s) + 1;
            lstart = pos;
        }
        if (q == n)
            break;

        int tline = line, tcol = (int)(q - lstart + 1);
        size_t p = q + ol;      /* first byte after the opening delimiter */
        char sig = p < n ? s[p] : '\0';
        tpl_tok_kind kind;
        size_t cstart = p, cend, end;

        if (sig == '{' || sig == '=') {
            /* {{{name}}} and {{=<% %>=}}: the content ends with '}' or
             * '=' just before the closing delimiter. */
            char last = sig == '{' ? '}' : '=';
            kind = sig == '{' ? TOK_RAW : TOK_DELIM;
            cstart = p + 1;
            size_t e = tpl_find(s, n, cstart, ct, cl);
            if (e < n && !(e > cstart && s[e - 1] == last) && s[e] == last &&
                e + 1 + cl <= n && memcmp(s + e + 1, ct, cl) == 0)
                e++; /* "}}}": the closing delimiter starts one later */
            if (e == n || !(e > cstart && s[e - 1] == last)) {
                if (sig == '{')
                    tpl_error(c, tline, tcol,
                              "unclosed tag (missing \"}%.*s\" after "
                              "\"%.*s{\")",
                              (int)cl, ct, (int)ol, ot);
                else
                    tpl_error(c, tline, tcol,
                              "invalid delimiter change: missing \"=%.*s\" "
                              "after \"%.*s=\"",
                              (int)cl, ct, (int)ol, ot);
                return -1;
            }
            cend = e - 1;
            end = e + cl;
        } else {
            switch (sig) {
            case '#': kind = TOK_SECTION; break;
            case '^': kind = TOK_INVERTED; break;
            case '/': kind = TOK_CLOSE; break;
            case '>': kind = TOK_PARTIAL; break;
            case '<': kind = TOK_PARENT; break;
            case '$': kind = TOK_BLOCK; break;
            case '!': kind = TOK_COMMENT; break;
            case '&': kind = TOK_RAW; break;
            default: kind = TOK_VAR; break;
            }
            if (kind != TOK_VAR)
                cstart = p + 1;
            size_t e = tpl_find(s, n, cstart < n ? cstart : n, ct, cl);
            if (e == n) {
                tpl_error(c, tline, tcol,
                          "unclosed tag (missing \"%.*s\" after \"%.*s\")",
                          (int)cl, ct, (int)ol, ot);
                return -1;
            }
            cend = e;
            end = e + cl;
        }

        tpl_tok *k = tpl_tok_push(c, kind, q, end);
        k->line = tline;
        k->col = tcol;
        while (cstart < cend && tpl_is_space(s[cstart]))
            cstart++;
        while (cend > cstart && tpl_is_space(s[cend - 1]))
            cend--;
        k->name = s + cstart;
        k->name_len = cend - cstart;

        if (kind == TOK_DELIM) {
            if (tpl_parse_delims(k->name, k->name_len, &ot, &ol, &ct, &cl)) {
                tpl_error(c, tline, tcol,
                          "invalid delimiter change \"%.*s%s\": expected two "
                          "delimiters separated by whitespace, without '='",
                          TPL_TAG_ARGS(c, k));
                return -1;
            }
        } else if (kind != TOK_COMMENT) {
            if ((kind == TOK_PARTIAL || kind == TOK_PARENT ||
                 kind == TOK_CLOSE) &&
                k->name_len > 0 && k->name[0] == '*') {
                k->dynamic = 1;
                k->name++;
                k->name_len--;
                while (k->name_len > 0 && tpl_is_space(k->name[0])) {
                    k->name++;
                    k->name_len--;
                }
            }
            if (tpl_check_name(c, k))
                return -1;
        }

        for (const char *nl; (nl = memchr(s + q, '\n', end - q));) {
            line++;
            q = (size_t)(nl - s) + 1;
            lstart = q;
        }
        pos = end;
    }
    c->eof_line = line;
    c->eof_col = (int)(n - lstart + 1);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Compiling: matching sections                                         */

static int tpl_is_open(tpl_tok_kind k)
{
    return k == TOK_SECTION || k == TOK_INVERTED || k == TOK_PARENT ||
           k == TOK_BLOCK;
}

static const char *tpl_open_word(tpl_tok_kind k)
{
    switch (k) {
    case TOK_INVERTED: return "inverted section";
    case TOK_PARENT: return "parent";
    case TOK_BLOCK: return "block";
    default: return "section";
    }
}

/* Pass 2: pair openings and closings (toks[i].match), mark argument
 * blocks, and report unclosed, mismatched and stray closing tags. */
static int tpl_match(tpl_cc *c)
{
    size_t stack[TPL_MAX_NEST];
    size_t depth = 0;
    for (size_t i = 0; i < c->ntoks; i++) {
        tpl_tok *k = &c->toks[i];
        if (tpl_is_open(k->kind)) {
            if (depth == TPL_MAX_NEST) {
                tpl_error(c, k->line, k->col,
                          "sections nested more than %d levels deep",
                          TPL_MAX_NEST);
                return -1;
            }
            if (k->kind == TOK_BLOCK && depth > 0 &&
                c->toks[stack[depth - 1]].kind == TOK_PARENT)
                k->arg = 1;
            stack[depth++] = i;
        } else if (k->kind == TOK_CLOSE) {
            if (depth == 0) {
                tpl_error(c, k->line, k->col,
                          "unexpected \"%.*s%s\": no section is open",
                          TPL_TAG_ARGS(c, k));
                return -1;
            }
            tpl_tok *o = &c->toks[stack[depth - 1]];
            if (o->dynamic != k->dynamic || o->name_len != k->name_len ||
                memcmp(o->name, k->name, k->name_len) != 0) {
                tpl_error(c, k->line, k->col,
                          "\"%.*s%s\" does not close %s \"%s%.*s\" (opened "
                          "at line %d)",
                          TPL_TAG_ARGS(c, k), tpl_open_word(o->kind),
                          o->dynamic ? "*" : "", (int)o->name_len, o->name,
                          o->line);
                return -1;
            }
            depth--;
            o->match = i;
            k->match = stack[depth];
            k->arg = o->arg;
        }
    }
    if (depth > 0) {
        const tpl_tok *o = &c->toks[stack[depth - 1]];
        tpl_error(c, c->eof_line, c->eof_col,
                  "unclosed %s \"%s%.*s\" (opened at line %d)",
                  tpl_open_word(o->kind), o->dynamic ? "*" : "",
                  (int)o->name_len, o->name, o->line);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Compiling: standalone lines                                          */

/* Start of the run of blanks that ends at pos. */
static size_t tpl_blanks_before(const char *s, size_t pos)
{
    while (pos > 0 && tpl_is_blank(s[pos - 1]))
        pos--;
    return pos;
}

/* Is only whitespace between the line start and the tag at pos?  Sets *ls
 * to where that whitespace begins. */
static int tpl_left_clear(const tpl_cc *c, size_t pos, size_t *ls)
{
    size_t b = tpl_blanks_before(c->src, pos);
    *ls = b;
    return b == 0 || c->src[b - 1] == '\n';
}

/* Is only whitespace between pos and the end of its line?  Sets *le to
 * the start of the next line (past "\n" or "\r\n") or to the end. */
static int tpl_right_clear(const tpl_cc *c, size_t pos, size_t *le)
{
    const char *s = c->src;
    while (pos < c->n && tpl_is_blank(s[pos]))
        pos++;
    if (pos == c->n) {
        *le = pos;
        return 1;
    }
    if (s[pos] == '\n') {
        *le = pos + 1;
        return 1;
    }
    if (s[pos] == '\r' && pos + 1 < c->n && s[pos + 1] == '\n') {
        *le = pos + 2;
        return 1;
    }
    return 0;
}

/* Drop the text before token i from position ls on. */
static void tpl_trim_before(tpl_cc *c, size_t i, size_t ls)
{
    if (i > 0 && c->toks[i - 1].kind == TOK_TEXT && c->toks[i - 1].end > ls)
        c->toks[i - 1].end = ls;
}

/* Drop the text after token i up to position le. */
static void tpl_trim_after(tpl_cc *c, size_t i, size_t le)
{
    if (i + 1 < c->ntoks && c->toks[i + 1].kind == TOK_TEXT &&
        c->toks[i + 1].start < le)
        c->toks[i + 1].start = le;
}

/* Pass 3: apply the standalone rules (see the top of the file) by
 * trimming text tokens, and record the indentation that standalone
 * partials, parents and blocks hand on. */
static void tpl_standalone(tpl_cc *c)
{
    const char *s = c->src;
    for (size_t i = 0; i < c->ntoks; i++) {
        tpl_tok *k = &c->toks[i];
        if (k->kind == TOK_TEXT || k->kind == TOK_VAR || k->kind == TOK_RAW)
            continue;
        size_t ls, le;
        int left = tpl_left_clear(c, k->start, &ls);
        int right = tpl_right_clear(c, k->end, &le);
        int alone = left && right;
        if (alone) {
            tpl_trim_before(c, i, ls);
            tpl_trim_after(c, i, le);
        }
        switch (k->kind) {
        case TOK_PARTIAL:
            if (alone) {
                k->flags |= TPL_F_INDENT;
                k->indent = s + ls;
                k->indent_len = k->start - ls;
            }
            break;
        case TOK_PARENT: {
            const tpl_tok *close = &c->toks[k->match];
            size_t cle;
            if (left && tpl_right_clear(c, close->end, &cle)) {
                /* standalone pair: its lines' outer whitespace goes */
                tpl_trim_before(c, i, ls);
                tpl_trim_after(c, k->match, cle);
                alone = 1;
            }
            if (alone) {
                k->flags |= TPL_F_INDENT;
                k->indent = s + ls;
                k->indent_len = k->start - ls;
            }
            break;
        }
        case TOK_BLOCK:
            if (right) {
                /* The newline after the opening tag belongs to the tag;
                 * the next line's leading blanks are the block's
                 * intrinsic indentation. */
                size_t e = le;
                while (e < c->n && tpl_is_blank(s[e]))
                    e++;
                if (k->arg || alone) {
                    tpl_trim_after(c, i, le);
                    k->indent = s + le;
                    k->indent_len = e - le;
                    k->flags |= TPL_F_INTRINSIC;
                }
            }
            if (!k->arg && left && !alone) {
                k->flags |= TPL_F_CONTINUE;
                k->indent = s + ls;
                k->indent_len = k->start - ls;
            }
            break;
        case TOK_CLOSE:
            if (k->arg) {
                /* The closing tag of an argument block: blanks before it
                 * on its own line are not content. */
                size_t b = tpl_blanks_before(s, k->start);
                if (b > 0 && s[b - 1] == '\n' &&
                    b - 1 >= c->toks[k->match].end)
                    tpl_trim_before(c, i, b);
            }
            break;
        default:
            break;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Compiling: the tree                                                  */

typedef struct tpl_vec {
    tpl_node *v;
    size_t len, cap;
} tpl_vec;

static tpl_node *tpl_vec_push(tpl_vec *vec)
{
    if (vec->len == vec->cap) {
        vec->cap = vec->cap ? vec->cap * 2 : 8;
        vec->v = xrealloc(vec->v, vec->cap * sizeof *vec->v);
    }
    tpl_node *nd = &vec->v[vec->len++];
    memset(nd, 0, sizeof *nd);
    return nd;
}

/* Split a name at its dots ("." alone is the implicit iterator: no
 * segments). */
static void tpl_set_path(tpl_node *nd, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return;
    size_t nseg = 1;
    for (size_t i = 0; i < len; i++)
        nseg += name[i] == '.';
    nd->path = xmalloc(nseg * sizeof *nd->path);
    size_t a = 0, k = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || name[i] == '.') {
            nd->path[k].s = name + a;
            nd->path[k].len = i - a;
            k++;
            a = i + 1;
        }
    }
    nd->npath = nseg;
}

static void tpl_build(tpl_cc *c, size_t from, size_t to, tpl_node **out,
                      size_t *nout);

/* Fill the fields every tag node has from its token. */
static void tpl_node_from_tag(tpl_node *nd, const tpl_tok *k,
                              unsigned char kind)
{
    nd->kind = kind;
    nd->line = k->line;
    nd->col = k->col;
    nd->text = k->name;
    nd->len = k->name_len;
    nd->flags = k->flags;
    nd->indent = k->indent;
    nd->indent_len = k->indent_len;
}

/* Pass 4: build the node list for tokens [from, to). */
static void tpl_build(tpl_cc *c, size_t from, size_t to, tpl_node **out,
                      size_t *nout)
{
    tpl_vec vec = {0};
    for (size_t i = from; i < to; i++) {
        const tpl_tok *k = &c->toks[i];
        tpl_node *nd;
        switch (k->kind) {
        case TOK_TEXT:
            if (k->start >= k->end)
                break;
            nd = tpl_vec_push(&vec);
            nd->kind = TPL_TEXT;
            nd->line = k->line; /* where the text began before trimming */
            nd->col = k->col;
            nd->text = c->src + k->start;
            nd->len = k->end - k->start;
            if (k->start == 0 || c->src[k->start - 1] == '\n')
                nd->flags = TPL_F_BOL;
            break;
        case TOK_VAR:
        case TOK_RAW:
            nd = tpl_vec_push(&vec);
            tpl_node_from_tag(nd, k,
                              k->kind == TOK_VAR ? TPL_VAR : TPL_RAW);
            tpl_set_path(nd, k->name, k->name_len);
            break;
        case TOK_SECTION:
        case TOK_INVERTED:
            nd = tpl_vec_push(&vec);
            tpl_node_from_tag(nd, k,
                              k->kind == TOK_SECTION ? TPL_SECTION
                                                     : TPL_INVERTED);
            tpl_set_path(nd, k->name, k->name_len);
            tpl_build(c, i + 1, k->match, &nd->kids, &nd->nkids);
            i = k->match;
            break;
        case TOK_PARTIAL:
        case TOK_PARENT:
            nd = tpl_vec_push(&vec);
            tpl_node_from_tag(nd, k,
                              k->kind == TOK_PARTIAL ? TPL_PARTIAL
                                                     : TPL_PARENT);
            if (k->dynamic) {
                nd->flags |= TPL_F_DYNAMIC;
                tpl_set_path(nd, k->name, k->name_len);
            } else {
                nd->hash = tpl_hash(k->name, k->name_len);
            }
            if (k->kind == TOK_PARENT) {
                /* Keep only the argument blocks; text and other tags
                 * inside a parent tag are ignored. */
                tpl_vec args = {0};
                for (size_t j = i + 1; j < k->match; j++) {
                    const tpl_tok *a = &c->toks[j];
                    if (a->kind == TOK_BLOCK) {
                        tpl_node *b = tpl_vec_push(&args);
                        tpl_node_from_tag(b, a, TPL_BLOCK);
                        tpl_build(c, j + 1, a->match, &b->kids, &b->nkids);
                    }
                    if (tpl_is_open(a->kind))
                        j = a->match;
                }
                nd->kids = args.v; /* nd is in vec, untouched above */
                nd->nkids = args.len;
                i = k->match;
            }
            break;
        case TOK_BLOCK:
            nd = tpl_vec_push(&vec);
            tpl_node_from_tag(nd, k, TPL_BLOCK);
            tpl_build(c, i + 1, k->match, &nd->kids, &nd->nkids);
            i = k->match;
            break;
        default: /* comments, delimiter changes; closings are skipped */
            break;
        }
    }
    *out = vec.v;
    *nout = vec.len;
}

/* ------------------------------------------------------------------ */
/* Compiling: outdenting argument blocks                                */

typedef struct tpl_strip {
    const char *s;
    size_t len;
} tpl_strip;

/* How many leading bytes of a line to drop: each enclosing argument
 * block's intrinsic indentation in turn, outermost first, where the line
 * still starts with it. */
static size_t tpl_strip_len(const char *p, size_t n, const tpl_strip *st,
                            size_t ns)
{
    size_t k = 0;
    for (size_t i = 0; i < ns; i++)
        if (st[i].len <= n - k && memcmp(p + k, st[i].s, st[i].len) == 0)
            k += st[i].len;
    return k;
}

static void tpl_strip_indent(tpl_node *nd, const tpl_strip *st, size_t ns)
{
    size_t k = tpl_strip_len(nd->indent, nd->indent_len, st, ns);
    nd->indent += k;
    nd->indent_len -= k;
}

/* Remove the indentation from the start of each line of a text node that
 * starts a line; the result is copied (owned by t) only when it changes. */
static void tpl_strip_text(tpl *t, tpl_node *nd, const tpl_strip *st,
                           size_t ns)
{
    const char *s = nd->text;
    size_t n = nd->len, drop = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        if (i > 0 || (nd->flags & TPL_F_BOL))
            drop += tpl_strip_len(s + i, e - i, st, ns);
        i = e;
    }
    if (drop == 0)
        return;
    char *copy = xmalloc(n - drop + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        size_t k = (i > 0 || (nd->flags & TPL_F_BOL))
                       ? tpl_strip_len(s + i, e - i, st, ns)
                       : 0;
        memcpy(copy + o, s + i + k, e - i - k);
        o += e - i - k;
        i = e;
    }
    copy[o] = '\0';
    if (t->nowned == t->owned_cap) {
        t->owned_cap = t->owned_cap ? t->owned_cap * 2 : 4;
        t->owned = xrealloc(t->owned, t->owned_cap * sizeof *t->owned);
    }
    t->owned[t->nowned++] = copy;
    nd->text = copy;
    nd->len = o;
}

/* Pass 5: walk the tree top-down with the intrinsic indentations of the
 * enclosing argument blocks (st[0..ns), outermost first) and remove them
 * from every line start inside those blocks, including from the
 * indentation recorded by nested partials, parents and blocks. */
static void tpl_outdent(tpl *t, tpl_node *kids, size_t n, tpl_strip *st,
                        size_t ns)
{
    for (size_t i = 0; i < n; i++) {
        tpl_node *nd = &kids[i];
        switch (nd->kind) {
        case TPL_TEXT:
            if (ns)
                tpl_strip_text(t, nd, st, ns);
            break;
        case TPL_SECTION:
        case TPL_INVERTED:
            tpl_outdent(t, nd->kids, nd->nkids, st, ns);
            break;
        case TPL_PARTIAL:
            if (ns)
                tpl_strip_indent(nd, st, ns);
            break;
        case TPL_BLOCK:
            if (ns)
                tpl_strip_indent(nd, st, ns);
            tpl_outdent(t, nd->kids, nd->nkids, st, ns);
            break;
        case TPL_PARENT:
            if (ns)
                tpl_strip_indent(nd, st, ns);
            for (size_t j = 0; j < nd->nkids; j++) {
                tpl_node *a = &nd->kids[j];
                size_t m = ns;
                if (ns)
                    tpl_strip_indent(a, st, ns);
                if (a->indent_len > 0 && m < TPL_MAX_NEST) {
                    st[m].s = a->indent;
                    st[m].len = a->indent_len;
                    m++;
                }
                tpl_outdent(t, a->kids, a->nkids, st, m);
            }
            break;
        default:
            break;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Templates and sets                                                   */

static void tpl_nodes_free(tpl_node *kids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(kids[i].path);
        tpl_nodes_free(kids[i].kids, kids[i].nkids);
    }
    free(kids);
}

static void tpl_free(tpl *t)
{
    if (!t)
        return;
    tpl_nodes_free(t->kids, t->nkids);
    for (size_t i = 0; i < t->nowned; i++)
        free(t->owned[i]);
    free(t->owned);
    free(t->name);
    free(t->origin);
    free(t->src);
    free(t);
}

/* Compile src into a new template, or report and return NULL. */
static tpl *tpl_compile(const char *name, const char *src, size_t len,
                        const char *origin, diag *d)
{
    tpl *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    t->origin = xstrdup(origin ? origin : name);
    t->src = xstrndup(src ? src : "", src ? len : 0);
    t->src_len = src ? len : 0;

    tpl_cc c = {0};
    c.t = t;
    c.src = t->src;
    c.n = t->src_len;
    c.d = d;
    int rc = tpl_tokenize(&c);
    if (rc == 0)
        rc = tpl_match(&c);
    if (rc == 0) {
        tpl_standalone(&c);
        tpl_build(&c, 0, c.ntoks, &t->kids, &t->nkids);
        tpl_strip st[TPL_MAX_NEST];
        tpl_outdent(t, t->kids, t->nkids, st, 0);
    }
    free(c.toks);
    if (rc) {
        tpl_free(t);
        return NULL;
    }
    return t;
}

tpl_set *tpl_set_new(void)
{
    tpl_set *set = xcalloc(1, sizeof *set);
    set->cap = 16;
    set->slots = xcalloc(set->cap, sizeof *set->slots);
    return set;
}

void tpl_set_free(tpl_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->cap; i++) {
        free(set->slots[i].name);
        tpl_free(set->slots[i].t);
    }
    free(set->slots);
    free(set);
}

/* The slot holding name, or the empty slot where it would go (linear
 * probing; the table is never more than half full). */
static tpl_entry *tpl_set_slot(const tpl_set *set, const char *name,
                               size_t len, size_t h)
{
    size_t mask = set->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        tpl_entry *e = &set->slots[i];
        if (!e->name || (e->hash == h && strlen(e->name) == len &&
                         memcmp(e->name, name, len) == 0))
            return e;
    }
}

static const tpl *tpl_set_find(const tpl_set *set, const char *name,
                               size_t len, size_t h)
{
    return tpl_set_slot(set, name, len, h)->t;
}

static void tpl_set_grow(tpl_set *set)
{
    tpl_entry *old = set->slots;
    size_t oldcap = set->cap;
    set->cap *= 2;
    set->slots = xcalloc(set->cap, sizeof *set->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].name)
            *tpl_set_slot(set, old[i].name, strlen(old[i].name),
                          old[i].hash) = old[i];
    free(old);
}

int tpl_set_add(tpl_set *set, const char *name, const char *src, size_t len,
                const char *origin, diag *d)
{
    tpl *t = tpl_compile(name, src, len, origin, d);
    size_t nlen = strlen(name), h = tpl_hash(name, nlen);
    tpl_entry *e = tpl_set_slot(set, name, nlen, h);
    if (e->name) {
        tpl_free(e->t);
        e->t = t;
    } else if (t) {
        e->name = xstrdup(name);
        e->hash = h;
        e->t = t;
        if (++set->len * 2 > set->cap)
            tpl_set_grow(set);
    }
    return t ? 0 : -1;
}

int tpl_set_has(const tpl_set *set, const char *name)
{
    size_t len = strlen(name);
    return tpl_set_find(set, name, len, tpl_hash(name, len)) != NULL;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                            */

/* One frame of the context stack; frames live on the C stack. */
typedef struct tpl_ctx {
    const value *v;
    const struct tpl_ctx *up;
} tpl_ctx;

/* The arguments of one parent tag being expanded: the PARENT node (its
 * kids are the argument blocks) and the template it is in. */
typedef struct tpl_args {
    const tpl_node *parent;
    const tpl *owner;
    const struct tpl_args *up; /* the enclosing (outer) expansion */
} tpl_args;

typedef struct tpl_rs {
    const tpl_set *set;
    buf *out;
    diag *d;
    int strict;
    int depth;   /* partial and parent expansions on the current path */
    int pending; /* at the start of a template line: indent before output */
    buf indent;  /* current indentation */
} tpl_rs;

static int tpl_render_list(tpl_rs *rs, const tpl *t, const tpl_node *kids,
                           size_t n, const tpl_ctx *ctx,
                           const tpl_args *args);


/* One step of a dotted name after the first: a key of a map, or (an
 * extension to the spec, as in mustache.js) a zero-based index into a
 * list, so "{{#page.tracks.0}}" asks whether a list has any items. */
static const value *tpl_member(const value *v, const char *name, size_t len)
{
    if (v->kind == VALUE_LIST && len > 0 && len < 10) {
        size_t idx = 0;
        for (size_t i = 0; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return NULL;
            idx = idx * 10 + (size_t)(name[i] - '0');
        }
        return idx < v->as.list.len ? v->as.list.items[idx] : NULL;
    }
    return value_map_getn(v, name, len);
}

/* Resolve a name: the first segment against the context stack (the first
 * map that has it), the rest against the previous result only.  NULL when
 * anything is missing. */
static const value *tpl_lookup(const tpl_ctx *ctx, const tpl_node *nd)
{
    if (nd->npath == 0)
        return ctx ? ctx->v : NULL;
    const value *v = NULL;
    for (const tpl_ctx *f = ctx; f; f = f->up) {
        if (f->v && f->v->kind == VALUE_MAP) {
            v = value_map_getn(f->v, nd->path[0].s, nd->path[0].len);
            if (v)
                break;
        }
    }
    for (size_t i = 1; v && i < nd->npath; i++)
        v = tpl_member(v, nd->path[i].s, nd->path[i].len);
    return v;
}

/* Write template text, indenting each line that starts a template line. */
static void tpl_emit_text(tpl_rs *rs, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (rs->indent.len == 0) {
        buf_put(rs->out, s, n);
        rs->pending = s[n - 1] == '\n';
        return;
    }
    while (n > 0) {
        if (rs->pending) {
            buf_put(rs->out, rs->indent.data, rs->indent.len);
            rs->pending = 0;
        }
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) + 1 : n;
        buf_put(rs->out, s, k);
        rs->pending = nl != NULL;
        s += k;
        n -= k;
    }
}

/* Write an interpolated value: data is never re-indented inside. */
static void tpl_emit_value(tpl_rs *rs, const value *v, int escape)
{
    if (!v || v->kind == VALUE_NULL || v->kind == VALUE_LIST ||
        v->kind == VALUE_MAP)
        return;
    if (v->kind == VALUE_STRING && v->as.str.len == 0)
        return;
    if (rs->pending && rs->indent.len)
        buf_put(rs->out, rs->indent.data, rs->indent.len);
    rs->pending = 0;
    if (v->kind == VALUE_STRING) {
        if (escape)
            buf_put_html(rs->out, v->as.str.s, v->as.str.len);
        else
            buf_put(rs->out, v->as.str.s, v->as.str.len);
    } else {
        value_to_text(v, rs->out); /* numbers, booleans: nothing to escape */
    }
}

static void tpl_indent_push(tpl_rs *rs, const char *s, size_t n, int bol)
{
    buf_put(&rs->indent, s, n);
    if (bol)
        rs->pending = 1;
}

static void tpl_indent_pop(tpl_rs *rs, size_t len)
{
    rs->indent.len = len;
    if (rs->indent.cap)
        rs->indent.data[len] = '\0';
}

/* Expand a partial or parent tag nd (in template t): find the template,
 * check the depth, apply the tag's indentation and render it.  args is
 * the argument stack the expansion sees (with nd pushed for a parent). */
static int tpl_expand(tpl_rs *rs, const tpl *t, const tpl_node *nd,
                      const tpl_ctx *ctx, const tpl_args *args)
{
    const char *name = nd->text;
    size_t len = nd->len, h = nd->hash;
    buf tmp = BUF_INIT;
    buf_init(&tmp);
    if (nd->flags & TPL_F_DYNAMIC) {
        /* {{>*path}}: the name is the value at path, resolved once. */
        const value *v = tpl_lookup(ctx, nd);
        if (!v || v->kind == VALUE_LIST || v->kind == VALUE_MAP ||
            v->kind == VALUE_NULL)
            return 0;
        if (v->kind == VALUE_STRING) {
            name = v->as.str.s;
            len = v->as.str.len;
        } else {
            value_to_text(v, &tmp);
            name = tmp.data;
            len = tmp.len;
        }
        h = tpl_hash(name, len);
    }
    const char *what = nd->kind == TPL_PARENT ? "parent template" : "partial";
    const tpl *p = tpl_set_find(rs->set, name, len, h);
    int rc = 0;
    if (!p) {
        if (rs->strict) {
            diag_error(rs->d, t->origin, nd->line, nd->col,
                       "%s \"%.*s\" not found", what, (int)len, name);
            rc = -1;
        }
    } else if (rs->depth >= TPL_MAX_DEPTH) {
        diag_error(rs->d, t->origin, nd->line, nd->col,
                   "%s \"%.*s\" nested more than %d levels deep (endless "
                   "recursion?)",
                   what, (int)len, name, TPL_MAX_DEPTH);
        rc = -1;
    } else {
        size_t saved = rs->indent.len;
        if (nd->flags & TPL_F_INDENT)
            tpl_indent_push(rs, nd->indent, nd->indent_len, 1);
        rs->depth++;
        rc = tpl_render_list(rs, p, p->kids, p->nkids, ctx, args);
        rs->depth--;
        tpl_indent_pop(rs, saved);
    }
    buf_free(&tmp);
    return rc;
}

/* Render a block: the argument that overrides it, if any, else its own
 * content.  Among the enclosing parent expansions the outermost argument
 * of that name wins.  It renders in the current context, but blocks inside
 * it are parameters of the template that wrote the argument, so only the
 * expansions outside that one (from->up) can override them; this also
 * means an argument can never resolve to itself, so overriding always
 * terminates. */
static int tpl_render_block(tpl_rs *rs, const tpl *t, const tpl_node *nd,
                            const tpl_ctx *ctx, const tpl_args *args)
{
    const tpl_node *arg = NULL;
    const tpl_args *from = NULL;
    for (const tpl_args *a = args; a; a = a->up) {
        for (size_t i = 0; i < a->parent->nkids; i++) {
            const tpl_node *b = &a->parent->kids[i];
            if (b->len == nd->len && memcmp(b->text, nd->text, nd->len) == 0) {
                arg = b;
                from = a;
                break;
            }
        }
    }
    if (!arg)
        return tpl_render_list(rs, t, nd->kids, nd->nkids, ctx, args);
    size_t saved = rs->indent.len;
    if (nd->flags & TPL_F_INTRINSIC)
        tpl_indent_push(rs, nd->indent, nd->indent_len, 1);
    else if (nd->flags & TPL_F_CONTINUE)
        tpl_indent_push(rs, nd->indent, nd->indent_len, 0);
    int rc = tpl_render_list(rs, from->owner, arg->kids, arg->nkids, ctx,
                             from->up);
    tpl_indent_pop(rs, saved);
    return rc;
}

static int tpl_render_list(tpl_rs *rs, const tpl *t, const tpl_node *kids,
                           size_t n, const tpl_ctx *ctx,
                           const tpl_args *args)
{
    for (size_t i = 0; i < n; i++) {
        const tpl_node *nd = &kids[i];
        switch (nd->kind) {
        case TPL_TEXT:
            tpl_emit_text(rs, nd->text, nd->len);
            break;
        case TPL_VAR:
        case TPL_RAW:
            tpl_emit_value(rs, tpl_lookup(ctx, nd), nd->kind == TPL_VAR);
            break;
        case TPL_SECTION: {
            const value *v = tpl_lookup(ctx, nd);
            if (!value_truthy(v))
                break;
            if (v->kind == VALUE_LIST) {
                for (size_t j = 0; j < v->as.list.len; j++) {
                    tpl_ctx f = {v->as.list.items[j], ctx};
                    if (tpl_render_list(rs, t, nd->kids, nd->nkids, &f, args))
                        return -1;
                }
            } else {
                tpl_ctx f = {v, ctx};
                if (tpl_render_list(rs, t, nd->kids, nd->nkids, &f, args))
                    return -1;
            }
            break;
        }
        case TPL_INVERTED:
            if (!value_truthy(tpl_lookup(ctx, nd)) &&
                tpl_render_list(rs, t, nd->kids, nd->nkids, ctx, args))
                return -1;
            break;
        case TPL_PARTIAL:
            if (tpl_expand(rs, t, nd, ctx, args))
                return -1;
            break;
        case TPL_PARENT: {
            tpl_args a = {nd, t, args};
            if (tpl_expand(rs, t, nd, ctx, &a))
                return -1;
            break;
        }
        case TPL_BLOCK:
            if (tpl_render_block(rs, t, nd, ctx, args))
                return -1;
            break;
        default:
            break;
        }
    }
    return 0;
}

int tpl_render(const tpl_set *set, const char *name, const value *ctx,
               buf *out, int strict, diag *d)
{
    size_t len = strlen(name);
    const tpl *t = tpl_set_find(set, name, len, tpl_hash(name, len));
    if (!t) {
        diag_error(d, NULL, 0, 0, "template \"%s\" not found", name);
        return -1;
    }
    tpl_rs rs = {0};
    rs.set = set;
    rs.out = out;
    rs.d = d;
    rs.strict = strict;
    rs.pending = 1;
    buf_init(&rs.indent);
    tpl_ctx root = {ctx, NULL};
    int rc = tpl_render_list(&rs, t, t->kids, t->nkids, ctx ? &root : NULL,
                             NULL);
    buf_free(&rs.indent);
    return rc;
}
