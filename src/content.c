/*
 * content.c - content/ into pages: scan, split front matter, validate,
 * assign URLs, filter drafts and future pages, render Markdown.
 *
 * Validation is table-driven: each known field has a type, the sections it
 * belongs to and whether it is required.  Every problem is reported with
 * the position of the offending value and checking goes on, so one build
 * lists every error in the content.  Unknown fields are kept (layouts can
 * use them); one that is a small edit away from a known field gets a "did
 * you mean" warning.
 */
#define _GNU_SOURCE
#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"
#include "imagesize.h"
#include "mime.h"
#include "par.h"
#include "yamltree.h"

/* ---- the front-matter schema ---- */

typedef enum field_type {
    FT_STRING, FT_DATE, FT_BOOL, FT_NUMBER, FT_STRING_LIST, FT_IMAGE,
    FT_AUDIO, FT_PERIOD, FT_EFFECTS, FT_DOWNLOADS, FT_PHASES, FT_STATUS,
    FT_ANY
} field_type;

enum { IN_ALL = 0, IN_CASES = 1, IN_GUIDES = 2, IN_PROJECTS = 4 };

typedef struct field_spec {
    const char *name;
    field_type type;
    int only_in;        /* 0: every page; else a mask of sections */
    int required_in;    /* mask of sections (plus REQ_ALL) */
} field_spec;

#define REQ_ALL 8

static const field_spec fields[] = {
    {"title", FT_STRING, IN_ALL, REQ_ALL},
    {"date", FT_DATE, IN_ALL, REQ_ALL},
    {"updated", FT_DATE, IN_ALL, 0},
    {"summary", FT_STRING, IN_ALL, 0},
    {"tracks", FT_STRING_LIST, IN_ALL, IN_CASES | IN_GUIDES},
    {"tags", FT_STRING_LIST, IN_ALL, 0},
    {"slug", FT_STRING, IN_ALL, 0},
    {"draft", FT_BOOL, IN_ALL, 0},
    {"aliases", FT_STRING_LIST, IN_ALL, 0},
    {"image", FT_IMAGE, IN_ALL, 0},
    {"audio", FT_AUDIO, IN_ALL, 0},
    {"layout", FT_STRING, IN_ALL, 0},
    {"author", FT_STRING, IN_ALL, 0},
    {"weight", FT_NUMBER, IN_ALL, 0},
    {"toc", FT_BOOL, IN_ALL, 0},
    {"municipality", FT_STRING, IN_ALL, IN_CASES},
    {"area", FT_STRING, IN_ALL, 0},
    {"workplace", FT_STRING, IN_CASES, 0},
    {"project", FT_STRING, IN_CASES | IN_GUIDES, 0},
    {"period", FT_PERIOD, IN_CASES | IN_PROJECTS, 0},
    {"effects", FT_EFFECTS, IN_CASES, 0},
    {"duration", FT_STRING, IN_GUIDES, 0},
    {"participants", FT_STRING, IN_GUIDES, 0},
    {"downloads", FT_DOWNLOADS, IN_GUIDES, 0},
    {"owner", FT_STRING, IN_PROJECTS, 0},
    {"partners", FT_STRING_LIST, IN_PROJECTS, 0},
    {"budget", FT_NUMBER, IN_PROJECTS, 0},
    {"status", FT_STATUS, IN_PROJECTS, 0},
    {"phases", FT_PHASES, IN_PROJECTS, 0},
    {NULL, FT_ANY, 0, 0}
};

static int section_mask(const page *p)
{
    if (p->kind != PAGE_SECTION)
        return 0;
    const char *k = p->section->key;
    if (!strcmp(k, "cases"))
        return IN_CASES;
    if (!strcmp(k, "guides"))
        return IN_GUIDES;
    if (!strcmp(k, "projects"))
        return IN_PROJECTS;
    return 0;
}

typedef struct checker {
    const site *s;
    const page *p;
    diag *d;
} checker;

static void err_at(checker *c, const value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err_at(checker *c, const value *v, const char *fmt, ...)
{
    buf msg = BUF_INIT;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_error(c->d, c->p->src_path, v ? v->line : 1, v ? v->col : 1, "%s",
               msg.data);
    buf_free(&msg);
}

static int check_string(checker *c, const char *name, const value *v)
{
    if (v->kind == VALUE_STRING)
        return 0;
    err_at(c, v, "\"%s\" must be text, not %s", name,
           value_kind_name(v->kind));
    return -1;
}

static int check_date(checker *c, const char *name, const value *v,
                      datetime *out)
{
    if (v->kind != VALUE_STRING) {
        err_at(c, v, "\"%s\" must be a date such as 2016-04-15, not %s",
               name, value_kind_name(v->kind));
        return -1;
    }
    buf why = BUF_INIT;
    buf_init(&why);
    datetime tmp;
    int rc = 0;
    if (date_parse_buf(v->as.str.s, c->s->cfg.time_zone, out ? out : &tmp,
                       &why) < 0) {
        err_at(c, v, "invalid %s \"%s\": %s", name, v->as.str.s, why.data);
        rc = -1;
    }
    buf_free(&why);
    return rc;
}

static int check_string_list(checker *c, const char *name, const value *v)
{
    if (v->kind != VALUE_LIST) {
        err_at(c, v, "\"%s\" must be a list such as [a, b], not %s", name,
               value_kind_name(v->kind));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < v->as.list.len; i++) {
        const value *it = v->as.list.items[i];
        if (it->kind != VALUE_STRING) {
            err_at(c, it, "each item of \"%s\" must be text, not %s", name,
                   value_kind_name(it->kind));
            rc = -1;
        } else if (it->as.str.len == 0) {
            err_at(c, it, "empty item in \"%s\"", name);
            rc = -1;
        }
    }
    return rc;
}

/* Check a map-valued field against its known keys: required ones present
 * and strings where strings are expected; unknown keys warned about. */
static int check_submap(checker *c, const char *name, const value *v,
                        const char *const *keys, const char *const *required)
{
    if (v->kind != VALUE_MAP) {
        err_at(c, v, "\"%s\" must be a map, not %s", name,
               value_kind_name(v->kind));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; required[i]; i++) {
        const value *x = value_map_get(v, required[i]);
        if (!x || x->kind == VALUE_NULL ||
            (x->kind == VALUE_STRING && x->as.str.len == 0)) {
            err_at(c, v, "\"%s\" needs \"%s\"", name, required[i]);
            rc = -1;
        }
    }
    for (size_t i = 0; i < v->as.map.len; i++) {
        const char *k = v->as.map.keys[i];
        int known = 0;
        for (size_t j = 0; keys[j]; j++)
            known |= !strcmp(k, keys[j]);
        const char *best = known ? NULL : did_you_mean(k, keys);
        if (!known) {
            const value *x = v->as.map.vals[i];
            if (best)
                diag_warning(c->d, c->p->src_path, x->line, x->col,
                             "unknown key \"%s\" in \"%s\" (did you mean "
                             "\"%s\"?)", k, name, best);
        }
    }
    return rc;
}

static int check_period(checker *c, const char *name, const value *v)
{
    static const char *const keys[] = {"from", "to", NULL};
    static const char *const req[] = {"from", NULL};
    if (check_submap(c, name, v, keys, req) < 0)
        return -1;
    int rc = 0;
    datetime from, to;
    const value *f = value_map_get(v, "from"), *t = value_map_get(v, "to");
    if (check_date(c, "period.from", f, &from) < 0)
        rc = -1;
    if (t && t->kind != VALUE_NULL) {
        if (check_date(c, "period.to", t, &to) < 0)
            rc = -1;
        else if (rc == 0 && to.epoch < from.epoch) {
            err_at(c, t, "period ends (%s) before it begins (%s)",
                   t->as.str.s, f->as.str.s);
            rc = -1;
        }
    }
    return rc;
}

static int check_effects(checker *c, const value *v)
{
    static const char *const keys[] = {"bottom_line", "measure", "unit",
                                       "before", "after", "better",
                                       "source", NULL};
    static const char *const req[] = {"bottom_line", "measure", "before",
                                      "after", NULL};
    if (v->kind != VALUE_LIST) {
        err_at(c, v, "\"effects\" must be a list of effects, not %s",
               value_kind_name(v->kind));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < v->as.list.len; i++) {
        const value *e = v->as.list.items[i];
        if (check_submap(c, "effects", e, keys, req) < 0) {
            rc = -1;
            continue;
        }
        const char *nums[] = {"before", "after"};
        for (int k = 0; k < 2; k++) {
            const value *x = value_map_get(e, nums[k]);
            if (x->kind != VALUE_NUMBER) {
                err_at(c, x, "effect \"%s\" must be a number such as 7.8 "
                       "(use a dot for decimals)", nums[k]);
                rc = -1;
            }
        }
        const value *b = value_map_get(e, "better");
        if (b && (b->kind != VALUE_STRING ||
                  (strcmp(b->as.str.s, "lower") &&
                   strcmp(b->as.str.s, "higher")))) {
            err_at(c, b, "effect \"better\" must be lower or higher");
            rc = -1;
        }
        const char *strs[] = {"bottom_line", "measure", "unit", "source"};
        for (int k = 0; k < 4; k++) {
            const value *x = value_map_get(e, strs[k]);
            if (x && x->kind != VALUE_STRING) {
                buf n = BUF_INIT;
                buf_init(&n);
                buf_printf(&n, "effects.%s", strs[k]);
                check_string(c, n.data, x);
                buf_free(&n);
                rc = -1;
            }
        }
    }
    return rc;
}

static int check_list_of_maps(checker *c, const char *name, const value *v,
                              const char *const *keys,
                              const char *const *req)
{
    if (v->kind != VALUE_LIST) {
        err_at(c, v, "\"%s\" must be a list, not %s", name,
               value_kind_name(v->kind));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < v->as.list.len; i++)
        if (check_submap(c, name, v->as.list.items[i], keys, req) < 0)
            rc = -1;
    return rc;
}

static int check_field(checker *c, const field_spec *f, const value *v)
{
    switch (f->type) {
    case FT_STRING:
        return check_string(c, f->name, v);
    case FT_DATE:
        return check_date(c, f->name, v, NULL);
    case FT_BOOL:
        if (v->kind != VALUE_BOOL) {
            err_at(c, v, "\"%s\" must be true or false", f->name);
            return -1;
        }
        return 0;
    case FT_NUMBER:
        if (v->kind != VALUE_NUMBER) {
            err_at(c, v, "\"%s\" must be a number, not %s", f->name,
                   value_kind_name(v->kind));
            return -1;
        }
        return 0;
    case FT_STRING_LIST:
        return check_string_list(c, f->name, v);
    case FT_IMAGE: {
        static const char *const keys[] = {"src", "alt", "caption", "credit",
                                           NULL};
        static const char *const req[] = {"src", NULL};
        int rc = check_submap(c, f->name, v, keys, req);
        const value *alt = v->kind == VALUE_MAP ? value_map_get(v, "alt")
                                                : NULL;
        if (v->kind == VALUE_MAP &&
            (!alt || alt->kind != VALUE_STRING || alt->as.str.len == 0)) {
            err_at(c, alt ? alt : v, "\"image\" needs \"alt\": words that "
                   "say what the picture shows (WCAG 1.1.1)");
            rc = -1;
        }
        return rc;
    }
    case FT_AUDIO: {
        static const char *const keys[] = {"src", "duration", "transcript",
                                           "title", NULL};
        static const char *const req[] = {"src", NULL};
        int rc = check_submap(c, f->name, v, keys, req);
        const value *t = v->kind == VALUE_MAP
                             ? value_map_get(v, "transcript") : NULL;
        if (v->kind == VALUE_MAP &&
            (!t || t->kind != VALUE_STRING || t->as.str.len == 0)) {
            err_at(c, t ? t : v, "\"audio\" needs a \"transcript\": the "
                   "words of the recording as text, inline or as a .md "
                   "file beside it (WCAG 1.2.1)");
            rc = -1;
        }
        return rc;
    }
    case FT_PERIOD:
        return check_period(c, f->name, v);
    case FT_EFFECTS:
        return check_effects(c, v);
    case FT_DOWNLOADS: {
        static const char *const keys[] = {"src", "title", NULL};
        static const char *const req[] = {"src", "title", NULL};
        return check_list_of_maps(c, f->name, v, keys, req);
    }
    case FT_PHASES: {
        static const char *const keys[] = {"name", "from", "to",
                                           "description", NULL};
        static const char *const req[] = {"name", NULL};
        int rc = check_list_of_maps(c, f->name, v, keys, req);
        if (rc == 0)
            for (size_t i = 0; i < v->as.list.len; i++) {
                const value *ph = v->as.list.items[i];
                const value *a = value_map_get(ph, "from");
                const value *b = value_map_get(ph, "to");
                if (a && check_date(c, "phases.from", a, NULL) < 0)
                    rc = -1;
                if (b && check_date(c, "phases.to", b, NULL) < 0)
                    rc = -1;
            }
        return rc;
    }
    case FT_STATUS:
        if (v->kind != VALUE_STRING ||
            (strcmp(v->as.str.s, "planlagt") && strcmp(v->as.str.s, "i-gang") &&
             strcmp(v->as.str.s, "afsluttet"))) {
            err_at(c, v, "\"status\" must be planlagt, i-gang or afsluttet");
            return -1;
        }
        return 0;
    case FT_ANY:
        return 0;
    }
    return 0;
}

void site_field_values(const value *fm, const char *field,
                       site_value_fn fn, void *arg)
{
    const char *dot = strchr(field, '.');
    if (dot) {
        const value *list = value_map_getn(fm, field, (size_t)(dot - field));
        if (list && list->kind == VALUE_LIST)
            for (size_t i = 0; i < list->as.list.len; i++)
                site_field_values(list->as.list.items[i], dot + 1, fn, arg);
        return;
    }
    const value *v = value_map_get(fm, field);
    if (!v)
        return;
    if (v->kind == VALUE_STRING)
        fn(arg, v);
    else if (v->kind == VALUE_LIST)
        for (size_t i = 0; i < v->as.list.len; i++)
            if (v->as.list.items[i]->kind == VALUE_STRING)
                fn(arg, v->as.list.items[i]);
}

typedef struct term_check {
    checker *c;
    const taxonomy_conf *tc;
} term_check;

/* A value of a closed taxonomy must be one of its declared terms. */
static void check_term(void *arg, const value *v)
{
    term_check *tk = arg;
    const taxonomy_conf *tc = tk->tc;
    const char *key = v->as.str.s;
    if (taxonomy_term(tc, key))
        return;
    buf allowed = BUF_INIT;
    buf_init(&allowed);
    const char *best = NULL;
    int bd = 4;
    for (size_t j = 0; j < tc->nterms; j++) {
        buf_printf(&allowed, "%s%s", j ? ", " : "", tc->terms[j].key);
        int dd = edit_distance(key, tc->terms[j].key);
        if (dd < bd) {
            bd = dd;
            best = tc->terms[j].key;
        }
    }
    if (best)
        err_at(tk->c, v, "unknown value \"%s\" for \"%s\" (did you mean "
               "\"%s\"? allowed: %s)", key, tc->field, best, allowed.data);
    else
        err_at(tk->c, v, "unknown value \"%s\" for \"%s\" (allowed: %s)",
               key, tc->field, allowed.data);
    buf_free(&allowed);
}

static void check_taxonomies(checker *c)
{
    const config *cfg = &c->s->cfg;
    for (size_t t = 0; t < cfg->ntaxonomies; t++) {
        term_check tk = {c, &cfg->taxonomies[t]};
        if (tk.tc->closed)
            site_field_values(c->p->fm, tk.tc->field, check_term, &tk);
    }
}

static void check_front_matter(checker *c, page *p)
{
    int mask = section_mask(p);
    const value *fm = p->fm;
    for (const field_spec *f = fields; f->name; f++) {
        const value *v = value_map_get(fm, f->name);
        int required = (f->required_in & REQ_ALL) || (f->required_in & mask);
        if (!v || v->kind == VALUE_NULL) {
            if (required)
                diag_error(c->d, p->src_path, 1, 1,
                           "missing required field \"%s\"", f->name);
            continue;
        }
        if (f->only_in && !(f->only_in & mask) && p->kind == PAGE_SECTION &&
            mask) {
            /* A field of another section: keep it, but say so once. */
            diag_warning(c->d, p->src_path, v->line, v->col,
                         "\"%s\" is not used in section \"%s\"", f->name,
                         p->section->key);
        }
        check_field(c, f, v);
    }
    /* Unknown fields: kept, with a "did you mean" for near misses. */
    for (size_t i = 0; i < fm->as.map.len; i++) {
        const char *k = fm->as.map.keys[i];
        const field_spec *best = NULL;
        int known = 0, bd = 3;
        for (const field_spec *f = fields; f->name; f++) {
            if (!strcmp(k, f->name)) {
                known = 1;
                break;
            }
            int dd = edit_distance(k, f->name);
            if (dd < bd) {
                bd = dd;
                best = f;
            }
        }
        if (!known && best) {
            const value *v = fm->as.map.vals[i];
            diag_warning(c->d, p->src_path, v->line, v->col,
                         "unknown field \"%s\" (did you mean \"%s\"?)", k,
                         best->name);
        }
    }
    check_taxonomies(c);
}

/* ---- reading one file ---- */

/* Split "---\n<yaml>---\n<body>".  Returns 0 and fills the offsets, or -1
 * after reporting. */
static int split_front_matter(const char *path, const char *text, size_t len,
                              size_t *yaml_start, size_t *yaml_end,
                              size_t *body_start, int *body_line, diag *d)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        i = 3;
    if (!(len - i >= 3 && !memcmp(text + i, "---", 3) &&
          (i + 3 == len || text[i + 3] == '\n' || text[i + 3] == '\r'))) {
        diag_error(d, path, 1, 1,
                   "missing front matter: the file must begin with a line "
                   "\"---\", the fields (title, date, ...), and another "
                   "\"---\"");
        return -1;
    }
    i += 3;
    while (i < len && text[i] != '\n')
        i++;
    if (i < len)
        i++;
    *yaml_start = i;
    int line = 2;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t n = e - i;
        if (n && text[i + n - 1] == '\r')
            n--;
        if ((n == 3 && (!memcmp(text + i, "---", 3) ||
                        !memcmp(text + i, "...", 3)))) {
            *yaml_end = i;
            *body_start = e < len ? e + 1 : e;
            *body_line = line + 1;
            return 0;
        }
        i = e < len ? e + 1 : e;
        line++;
    }
    diag_error(d, path, 1, 1,
               "unterminated front matter: no closing \"---\" line after the "
               "opening one");
    return -1;
}

static char *file_stem(const char *name)
{
    const char *dot = strrchr(name, '.');
    return xstrndup(name, dot ? (size_t)(dot - name) : strlen(name));
}

static int slug_escapes(const char *s)
{
    if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
        return 1;
    for (const char *p = s; *p; p++)
        if (*p == '/' || *p == '\\')
            return 1;
    return 0;
}

static page *page_read(site *s, const char *src_path, const char *rel_dir,
                       const char *file_name, int is_bundle, diag *d)
{
    buf text = BUF_INIT;
    buf_init(&text);
    buf full = BUF_INIT;
    buf_init(&full);
    fs_join(&full, s->opt->site_dir, src_path);
    if (fs_read_file(full.data, &text) < 0) {
        diag_error(d, src_path, 0, 0, "cannot read: %s", strerror(errno));
        buf_free(&text);
        buf_free(&full);
        return NULL;
    }
    buf_free(&full);
    size_t bad;
    if (!utf8_valid(text.data, text.len, &bad)) {
        int line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (text.data[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text.data[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        diag_error(d, src_path, line, col,
                   "invalid UTF-8 at byte offset %zu (save the file as "
                   "UTF-8)", bad);
        buf_free(&text);
        return NULL;
    }
    size_t ys, ye, bs;
    int body_line;
    if (split_front_matter(src_path, text.data, text.len, &ys, &ye, &bs,
                           &body_line, d) < 0) {
        buf_free(&text);
        return NULL;
    }
    value *fm = yaml_parse(src_path, text.data + ys, ye - ys, 2, d);
    if (!fm) {
        buf_free(&text);
        return NULL;
    }
    if (fm->kind != VALUE_MAP) {
        diag_error(d, src_path, 2, 1,
                   "front matter must be fields such as \"title: ...\"");
        value_free(fm);
        buf_free(&text);
        return NULL;
    }
    page *p = xcalloc(1, sizeof *p);
    p->src_path = xstrdup(src_path);
    p->fm = fm;
    p->body_len = text.len - bs;
    p->body = xstrndup(text.data + bs, p->body_len);
    p->body_line = body_line;
    buf_free(&text);

    /* Kind and section. */
    const char *first = rel_dir;
    const char *slash = strchr(rel_dir, '/');
    char *top = slash ? xstrndup(first, (size_t)(slash - first))
                      : xstrdup(first);
    const taxonomy_conf *tracks = config_taxonomy(&s->cfg, "tracks");
    if (*top && (p->section = config_section(&s->cfg, top)))
        p->kind = PAGE_SECTION;
    else if (*top && !slash && tracks && !strcmp(top, "tracks") && !is_bundle)
        p->kind = PAGE_TRACK;
    else
        p->kind = PAGE_PLAIN;
    free(top);

    checker c = {s, p, d};
    check_front_matter(&c, p);
    const value *t = value_map_get(fm, "title");
    p->title = t && t->kind == VALUE_STRING ? t->as.str.s : "";
    const value *dv = value_map_get(fm, "date");
    if (dv && dv->kind == VALUE_STRING &&
        date_parse(dv->as.str.s, s->cfg.time_zone, &p->date, &(const char *){0}) < 0)
        memset(&p->date, 0, sizeof p->date);
    const value *uv = value_map_get(fm, "updated");
    if (uv && uv->kind == VALUE_STRING &&
        date_parse(uv->as.str.s, s->cfg.time_zone, &p->updated,
                   &(const char *){0}) == 0)
        p->has_updated = 1;
    const value *dr = value_map_get(fm, "draft");
    p->draft = dr && dr->kind == VALUE_BOOL && dr->as.boolean;

    /* Slug: front matter, else the file (or page folder) name. */
    const value *sv = value_map_get(fm, "slug");
    buf slug = BUF_INIT;
    buf_init(&slug);
    if (sv && sv->kind == VALUE_STRING) {
        if (slug_escapes(sv->as.str.s)) {
            diag_error(d, src_path, sv->line, sv->col,
                       "slug \"%s\" is not a single URL word: it must not "
                       "contain '/' or be '..' (it would write outside its "
                       "section)", sv->as.str.s);
        } else {
            slugify(sv->as.str.s, &slug);
            if (!slug.len)
                diag_error(d, src_path, sv->line, sv->col,
                           "slug \"%s\" has no letters or digits",
                           sv->as.str.s);
        }
    }
    if (!slug.len) {
        const char *base = file_name;
        char *stem;
        if (is_bundle) {
            const char *ls = strrchr(rel_dir, '/');
            stem = xstrdup(ls ? ls + 1 : rel_dir);
        } else {
            stem = file_stem(base);
        }
        slugify(stem, &slug);
        free(stem);
        if (!slug.len)
            buf_puts(&slug, "side");
    }
    p->slug = buf_detach(&slug);
    if (is_bundle)
        p->bundle_dir = xstrndup(src_path, strlen(src_path) -
                                               strlen("/index.md"));
    return p;
}

/* URL path (without base) and output file of a page. */
static void page_place(site *s, page *p, const char *rel_dir, diag *d)
{
    buf path = BUF_INIT;
    buf_init(&path);
    if (p->kind == PAGE_SECTION) {
        buf_printf(&path, "%s/%s/", p->section->url, p->slug);
    } else if (p->kind == PAGE_TRACK) {
        const taxonomy_conf *tracks = config_taxonomy(&s->cfg, "tracks");
        if (!taxonomy_term(tracks, p->slug))
            diag_error(d, p->src_path, 1, 1,
                       "content/tracks/ holds the landing text of each track, "
                       "but \"%s\" is not a track in site.yaml", p->slug);
        p->term_key = xstrdup(p->slug);
        buf_printf(&path, "%s/%s/", tracks->url, p->slug);
    } else {
        /* Plain pages keep their folders, each folder name slugified. */
        const char *r = rel_dir;
        const char *stop = p->bundle_dir ? strrchr(rel_dir, '/') : NULL;
        if (p->bundle_dir && !stop)
            r = "";
        buf seg = BUF_INIT;
        buf_init(&seg);
        while (*r && (!stop || r < stop)) {
            const char *e = strchr(r, '/');
            if (!e || (stop && e > stop))
                e = stop ? stop : r + strlen(r);
            char *part = xstrndup(r, (size_t)(e - r));
            buf_clear(&seg);
            slugify(part, &seg);
            free(part);
            if (seg.len)
                buf_printf(&path, "%s/", seg.data);
            r = *e ? e + 1 : e;
        }
        buf_free(&seg);
        buf_printf(&path, "%s/", p->slug);
    }
    /* Defence in depth: the output path must stay inside the output. */
    buf norm = BUF_INIT;
    buf_init(&norm);
    if (fs_normalise(path.data, &norm) < 0 || norm.len == 0) {
        diag_error(d, p->src_path, 1, 1,
                   "the page's address \"%s\" would be outside the output "
                   "folder", path.data);
        buf_clear(&norm);
        buf_puts(&norm, "invalid");
    }
    buf out = BUF_INIT;
    buf_init(&out);
    buf_printf(&out, "%s/index.html", norm.data);
    p->out_path = buf_detach(&out);
    buf url = BUF_INIT;
    buf_init(&url);
    buf_printf(&url, "%s%s/", s->cfg.base_path, norm.data);
    p->url = buf_detach(&url);
    buf_free(&norm);
    buf_free(&path);
}

static void site_add(site *s, page *p, size_t *cap)
{
    if (s->npages == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        s->pages = xrealloc(s->pages, *cap * sizeof *s->pages);
    }
    s->pages[s->npages++] = p;
}

/* One Markdown file found by the scan, read in parallel afterwards. */
typedef struct scan_entry {
    char *src_path;
    char *rel_dir;
    char *name;
    int is_bundle;
    page *p;
} scan_entry;

typedef struct scan_list {
    scan_entry *e;
    size_t n, cap;
} scan_list;

/* Walk content/ depth-first in byte order of names (stable across
 * machines).  A folder with index.md is a page folder: its other files are
 * the page's resources and its subfolders are not scanned for pages. */
static void scan_dir(site *s, const char *rel_dir, scan_list *list, diag *d,
                     int depth)
{
    buf full = BUF_INIT, child = BUF_INIT, src = BUF_INIT;
    buf_init(&full);
    buf_init(&child);
    buf_init(&src);
    buf_printf(&full, "%s/content%s%s", s->opt->site_dir, *rel_dir ? "/" : "",
               rel_dir);
    size_t n;
    char **names = fs_list_dir(full.data, &n);
    if (!names) {
        if (depth == 0)
            diag_error(d, "content", 0, 0, "cannot read the content folder: "
                       "%s", strerror(errno));
        goto out;
    }
    if (depth > 32) {
        diag_error(d, full.data, 0, 0, "content folders nested too deeply");
        fs_free_list(names, n);
        goto out;
    }
    int is_bundle = 0;
    if (depth > 0)
        for (size_t i = 0; i < n; i++)
            if (!strcmp(names[i], "index.md"))
                is_bundle = 1;
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];
        if (name[0] == '.' || name[0] == '_' || name[strlen(name) - 1] == '~')
            continue;   /* hidden, private or editor backup */
        fs_join(&child, full.data, name);
        buf_clear(&src);
        buf_printf(&src, "content/%s%s%s", rel_dir, *rel_dir ? "/" : "", name);
        if (fs_is_dir(child.data)) {
            if (is_bundle)
                continue;
            buf sub = BUF_INIT;
            buf_init(&sub);
            buf_printf(&sub, "%s%s%s", rel_dir, *rel_dir ? "/" : "", name);
            scan_dir(s, sub.data, list, d, depth + 1);
            buf_free(&sub);
            continue;
        }
        size_t len = strlen(name);
        if (len < 3 || strcmp(name + len - 3, ".md"))
            continue;
        if (is_bundle && strcmp(name, "index.md"))
            continue;   /* other .md in a page folder: a resource */
        if (list->n == list->cap) {
            list->cap = list->cap ? list->cap * 2 : 256;
            list->e = xrealloc(list->e, list->cap * sizeof *list->e);
        }
        list->e[list->n++] = (scan_entry){xstrdup(src.data), xstrdup(rel_dir),
                                          xstrdup(name), is_bundle, NULL};
    }
    fs_free_list(names, n);
out:
    buf_free(&full);
    buf_free(&child);
    buf_free(&src);
}

typedef struct read_ctx {
    site *s;
    scan_list *list;
} read_ctx;

static void read_one(void *arg, size_t i, int worker, diag *d)
{
    (void)worker;
    read_ctx *rc = arg;
    scan_entry *e = &rc->list->e[i];
    e->p = page_read(rc->s, e->src_path, e->rel_dir, e->name, e->is_bundle, d);
}

static int page_cmp_out(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    int c = strcmp(x->out_path, y->out_path);
    return c ? c : strcmp(x->src_path, y->src_path);
}

int content_load(site *s, diag *d)
{
    size_t errors_before = d->errors;
    size_t cap = 0;
    scan_list list = {NULL, 0, 0};
    scan_dir(s, "", &list, d, 0);
    /* Reading, parsing and checking files is independent per file: done on
     * -j threads; placing them (URLs) follows in scan order. */
    read_ctx rc = {s, &list};
    parallel_for(s->opt->jobs, list.n, read_one, &rc, d);
    for (size_t i = 0; i < list.n; i++) {
        scan_entry *e = &list.e[i];
        if (e->p) {
            page_place(s, e->p, e->rel_dir, d);
            site_add(s, e->p, &cap);
        }
        free(e->src_path);
        free(e->rel_dir);
        free(e->name);
    }
    free(list.e);

    size_t pcap = s->npages ? s->npages : 1;
    s->published = xmalloc(pcap * sizeof *s->published);
    for (size_t i = 0; i < s->npages; i++) {
        page *p = s->pages[i];
        p->published = (!p->draft || s->opt->drafts) &&
                       (p->date.epoch <= s->opt->now || s->opt->future);
        if (p->published)
            s->published[s->npublished++] = p;
    }
    /* Two published pages may not share an address. */
    page **sorted = xmalloc(pcap * sizeof *sorted);
    memcpy(sorted, s->published, s->npublished * sizeof *sorted);
    qsort(sorted, s->npublished, sizeof *sorted, page_cmp_out);
    for (size_t i = 1; i < s->npublished; i++) {
        if (!strcmp(sorted[i - 1]->out_path, sorted[i]->out_path)) {
            const value *sv = value_map_get(sorted[i]->fm, "slug");
            diag_error(d, sorted[i]->src_path, sv ? sv->line : 1,
                       sv ? sv->col : 1,
                       "two pages have the address %s: %s and %s",
                       sorted[i]->url, sorted[i - 1]->src_path,
                       sorted[i]->src_path);
        }
    }
    free(sorted);
    return d->errors > errors_before ? -1 : 0;
}

/* ---- files a page refers to ---- */

static void media_free(media *m)
{
    free(m->src);
    free(m->url);
    free(m->file);
    memset(m, 0, sizeof *m);
}

/* Resolve src as written in page p's front matter (value v, for
 * positions): relative to the page folder, or "/assets/..." under the
 * site's assets folder.  Returns 0 and fills m, or -1 after an error. */
static int media_resolve(const site *s, const page *p, const value *v,
                         const char *what, media *m, diag *d)
{
    const char *src = v->as.str.s;
    buf rel = BUF_INIT, norm = BUF_INIT, file = BUF_INIT, url = BUF_INIT;
    buf_init(&rel);
    buf_init(&norm);
    buf_init(&file);
    buf_init(&url);
    int rc = -1;
    if (strstr(src, "://") || !strncmp(src, "//", 2)) {
        diag_error(d, p->src_path, v->line, v->col,
                   "%s \"%s\" must be a file of the site (in the page "
                   "folder or under assets/), so its size and type are "
                   "known", what, src);
        goto out;
    }
    if (src[0] == '/') {
        if (fs_normalise(src + 1, &norm) < 0 || strncmp(norm.data, "assets/", 7)) {
            diag_error(d, p->src_path, v->line, v->col,
                       "%s \"%s\": a path from the site root must be under "
                       "/assets/", what, src);
            goto out;
        }
        buf_printf(&file, "%s/%s", s->opt->site_dir, norm.data);
        buf_printf(&url, "%s%s", s->cfg.base_path, norm.data);
    } else {
        if (!p->bundle_dir) {
            diag_error(d, p->src_path, v->line, v->col,
                       "%s \"%s\": only a page folder (…/index.md) can hold "
                       "its own files; move the page into a folder or put "
                       "the file under assets/ and write \"/assets/%s\"",
                       what, src, src);
            goto out;
        }
        if (fs_normalise(src, &norm) < 0 || norm.len == 0) {
            diag_error(d, p->src_path, v->line, v->col,
                       "%s \"%s\" points outside the page folder", what, src);
            goto out;
        }
        buf_printf(&file, "%s/%s/%s", s->opt->site_dir, p->bundle_dir,
                   norm.data);
        const char *slash = strrchr(p->out_path, '/');
        buf_printf(&url, "%s%.*s/%s", s->cfg.base_path,
                   (int)(slash - p->out_path), p->out_path, norm.data);
    }
    long long size = fs_file_size(file.data);
    if (size < 0) {
        diag_error(d, p->src_path, v->line, v->col,
                   "%s file \"%s\" not found", what, src);
        goto out;
    }
    m->src = xstrdup(src);
    m->url = buf_detach(&url);
    m->file = buf_detach(&file);
    m->size = size;
    m->type = mime_type(m->file);
    rc = 0;
out:
    buf_free(&rel);
    buf_free(&norm);
    buf_free(&file);
    buf_free(&url);
    return rc;
}

static void resolve_transcript(const site *s, page *p, const value *t,
                               diag *d)
{
    const char *text = t->as.str.s;
    size_t n = t->as.str.len;
    int is_file = !strchr(text, '\n') && n > 3 &&
                  (!strcmp(text + n - 3, ".md") ||
                   (n > 4 && !strcmp(text + n - 4, ".txt")));
    if (!is_file) {
        p->transcript = xstrndup(text, n);
        p->transcript_len = n;
        p->transcript_line = t->line + 1;
        p->transcript_path = xstrdup(p->src_path);
        return;
    }
    media m = {0};
    if (media_resolve(s, p, t, "transcript", &m, d) < 0)
        return;
    buf body = BUF_INIT;
    buf_init(&body);
    size_t bad;
    if (fs_read_file(m.file, &body) < 0) {
        diag_error(d, p->src_path, t->line, t->col,
                   "cannot read transcript \"%s\"", text);
    } else if (!utf8_valid(body.data, body.len, &bad)) {
        diag_error(d, p->src_path, t->line, t->col,
                   "transcript \"%s\": invalid UTF-8 at byte offset %zu",
                   text, bad);
    } else {
        p->transcript_len = body.len;
        p->transcript = buf_detach(&body);
        p->transcript_line = 1;
        const char *rel = m.file + strlen(s->opt->site_dir);
        while (*rel == '/')
            rel++;
        p->transcript_path = xstrdup(rel);
    }
    buf_free(&body);
    media_free(&m);
}

/* Resolve page p's files (see content_resolve_media). */
static void resolve_page_media(site *s, page *p, diag *d)
{
    const value *img = value_map_get(p->fm, "image");
    const value *src = img ? value_map_get(img, "src") : NULL;
    if (src && src->kind == VALUE_STRING &&
        media_resolve(s, p, src, "image", &p->image, d) == 0 &&
        image_size(p->image.file, &p->image.width, &p->image.height) < 0)
        diag_warning(d, p->src_path, src->line, src->col,
                     "cannot read the size of image \"%s\" (is it a "
                     "PNG, JPEG, GIF, WebP or SVG file?)", src->as.str.s);
    const value *audio = value_map_get(p->fm, "audio");
    src = audio ? value_map_get(audio, "src") : NULL;
    if (src && src->kind == VALUE_STRING)
        media_resolve(s, p, src, "audio", &p->audio, d);
    const value *t = audio ? value_map_get(audio, "transcript") : NULL;
    if (t && t->kind == VALUE_STRING && t->as.str.len)
        resolve_transcript(s, p, t, d);
    const value *dl = value_map_get(p->fm, "downloads");
    if (dl && dl->kind == VALUE_LIST && dl->as.list.len) {
        p->downloads = xcalloc(dl->as.list.len, sizeof *p->downloads);
        for (size_t k = 0; k < dl->as.list.len; k++) {
            const value *ds = value_map_get(dl->as.list.items[k], "src");
            if (ds && ds->kind == VALUE_STRING &&
                media_resolve(s, p, ds, "download",
                              &p->downloads[p->ndownloads], d) == 0)
                p->ndownloads++;
        }
    }
}

int content_resolve_media(site *s, diag *d)
{
    size_t before = d->errors;
    for (size_t i = 0; i < s->npublished; i++)
        resolve_page_media(s, s->published[i], d);
    return d->errors > before ? -1 : 0;
}

page *content_reread_page(site *s, const page *old, diag *d)
{
    size_t before = d->errors;
    /* "content/<rel_dir>/<name>"; a page folder's rel_dir is the folder. */
    const char *rel = old->src_path + strlen("content/");
    const char *slash = strrchr(rel, '/');
    char *rel_dir = old->bundle_dir
                        ? xstrdup(old->bundle_dir + strlen("content/"))
                        : slash ? xstrndup(rel, (size_t)(slash - rel))
                                : xstrdup("");
    const char *name = slash ? slash + 1 : rel;
    page *p = page_read(s, old->src_path, rel_dir, name,
                        old->bundle_dir != NULL, d);
    if (p) {
        page_place(s, p, rel_dir, d);
        p->published = (!p->draft || s->opt->drafts) &&
                       (p->date.epoch <= s->opt->now || s->opt->future);
        if (p->published)
            resolve_page_media(s, p, d);
    }
    free(rel_dir);
    if (p && d->errors > before) {
        page_free(p);
        p = NULL;
    }
    return p;
}

page *site_find_source(const site *s, const char *src_path)
{
    /* Pages are in path order from the scan, but "index.md" folders sort
     * differently from the joined path; a linear scan is simple and this
     * runs once per link, so use bsearch only when it pays. */
    for (size_t i = 0; i < s->npages; i++)
        if (!strcmp(s->pages[i]->src_path, src_path))
            return s->pages[i];
    return NULL;
}

void site_absolute_url(const site *s, const char *url_path, buf *out)
{
    buf_puts(out, s->cfg.origin);
    buf_puts(out, url_path);
}

void page_free(page *p)
{
    if (!p)
        return;
    free(p->src_path);
    free(p->bundle_dir);
    free(p->term_key);
    free(p->slug);
    free(p->url);
    free(p->out_path);
    value_free(p->fm);
    value_free(p->item);
    media_free(&p->image);
    media_free(&p->audio);
    for (size_t k = 0; k < p->ndownloads; k++)
        media_free(&p->downloads[k]);
    free(p->downloads);
    free(p->transcript);
    free(p->transcript_path);
    if (p->transcript)
        md_result_free(&p->transcript_md);
    free(p->body);
    if (p->rendered)
        md_result_free(&p->md);
    free(p);
}

void site_free(site *s)
{
    for (size_t i = 0; i < s->npages; i++)
        page_free(s->pages[i]);
    free(s->pages);
    free(s->published);
    value_free(s->strings);
    for (size_t i = 0; s->reserved_ids && s->reserved_ids[i]; i++)
        free(s->reserved_ids[i]);
    free(s->reserved_ids);
    config_free(&s->cfg);
}
