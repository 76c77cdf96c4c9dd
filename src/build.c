/*
 * build.c - the build pipeline.
 *
 *   config_load → content_load → markdown (parallel) → lists and terms →
 *   layouts → render and write into a staging folder (parallel) → assets →
 *   swap.
 *
 * Every stage reports into one diag list and the build stops before the
 * first write when any stage found an error, so `formidl build` prints
 * every content error at once and never publishes half a site.
 *
 * Parallelism: the Markdown and the render/write stages split their work
 * over -j threads (default: the number of processors).  Each thread has its
 * own diag list, output buffer and context map; the shared model is read
 * only.  Output does not depend on the thread count.
 */
#define _GNU_SOURCE
#include "build.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "output.h"
#include "render.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- parallel for ---- */

typedef struct par_ctx {
    size_t n;
    size_t next;            /* atomic */
    void (*fn)(void *arg, size_t i, int worker, diag *d);
    void *arg;
    diag *diags;            /* one per worker */
} par_ctx;

typedef struct par_worker {
    par_ctx *ctx;
    int id;
} par_worker;

static void *par_run(void *p)
{
    par_worker *w = p;
    par_ctx *c = w->ctx;
    for (;;) {
        size_t i = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED);
        if (i >= c->n)
            break;
        c->fn(c->arg, i, w->id, &c->diags[w->id]);
    }
    return NULL;
}

/* Run fn(arg, i, worker, d) for i in [0, n) on `jobs` threads; worker
 * diagnostics are merged into d afterwards. */
static void parallel_for(int jobs, size_t n,
                         void (*fn)(void *, size_t, int, diag *), void *arg,
                         diag *d)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    par_ctx c = {n, 0, fn, arg, xcalloc((size_t)jobs, sizeof(diag))};
    par_worker *ws = xcalloc((size_t)jobs, sizeof *ws);
    pthread_t *ts = xcalloc((size_t)jobs, sizeof *ts);
    for (int i = 0; i < jobs; i++) {
        diag_init(&c.diags[i]);
        ws[i].ctx = &c;
        ws[i].id = i;
    }
    int started = 0;
    for (int i = 1; i < jobs; i++)
        if (pthread_create(&ts[i], NULL, par_run, &ws[i]) == 0)
            started = i;
        else
            break;
    par_run(&ws[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(ts[i], NULL);
    for (int i = 0; i < jobs; i++)
        diag_merge(d, &c.diags[i]);
    free(c.diags);
    free(ws);
    free(ts);
}

/* ---- Markdown ---- */

typedef struct md_stage {
    pthread_mutex_t lock;   /* see content_render_markdown */
    site *s;
    value *index;   /* src_path → page number */
    size_t offset;  /* first page of this parallel run */
} md_stage;

static const char *resolve_link(void *ctx, const char *target)
{
    md_stage *m = ctx;
    const value *v = value_map_get(m->index, target);
    if (!v)
        return NULL;
    const page *p = m->s->pages[(size_t)v->as.number];
    return p->published ? p->url : NULL;
}

static const char *explain_link(void *ctx, const char *target)
{
    md_stage *m = ctx;
    const value *v = value_map_get(m->index, target);
    if (!v)
        return NULL;
    const page *p = m->s->pages[(size_t)v->as.number];
    if (p->draft && !m->s->opt->drafts)
        return "that page is a draft (build with --drafts to include it)";
    return "that page is dated in the future (build with --future to "
           "include it)";
}

static void md_one(void *arg, size_t i, int worker, diag *d)
{
    (void)worker;
    md_stage *m = arg;
    page *p = m->s->published[m->offset + i];
    md_options o = {0};
    o.allow_html = m->s->cfg.allow_html;
    o.resolve = resolve_link;
    o.resolve_ctx = m;
    o.explain = explain_link;
    o.footnote_backref_label =
        value_get_string(m->s->strings, "footnote_back");
    pthread_mutex_lock(&m->lock);
    md_render(p->src_path, p->body, p->body_len, p->body_line, &o, &p->md, d);
    pthread_mutex_unlock(&m->lock);
    p->rendered = 1;
}

int content_render_markdown(site *s, diag *d)
{
    size_t before = d->errors;
    /* cmark-gfm 0.29 is not safe to run on two threads at once: every
     * parse adds its extensions' special characters to a process-wide table
     * and removes them when it is done (github/cmark-gfm#176), so one
     * finishing parse can blind another to "~" or "|".  Markdown is
     * therefore converted one page at a time, under this lock. */
    md_stage m = {PTHREAD_MUTEX_INITIALIZER, s, value_new_map(), 0};
    for (size_t i = 0; i < s->npages; i++)
        value_map_set(m.index, s->pages[i]->src_path,
                      value_new_number((double)i));
    if (s->npublished) {
        /* The first call registers cmark-gfm's extensions, which is not
         * thread-safe; do it here, alone. */
        md_one(&m, 0, 0, d);
        m.offset = 1;
        parallel_for(s->opt->jobs, s->npublished - 1, md_one, &m, d);
    }
    value_free(m.index);
    return d->errors > before ? -1 : 0;
}

/* ---- ordering ---- */

/* Newest first; then title by Danish collation; then source path, so the
 * order is total and the same on every machine. */
static int page_cmp_newest(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    if (x->date.epoch != y->date.epoch)
        return x->date.epoch > y->date.epoch ? -1 : 1;
    int c = collate_da(x->title, y->title);
    return c ? c : strcmp(x->src_path, y->src_path);
}

/* ---- lists: sections, tracks, taxonomy terms, home ---- */

typedef struct term_group {
    char *slug;
    char *key;          /* first spelling seen (closed: the declared key) */
    const char *title;
    page **items;
    size_t n, cap;
    page *intro;        /* tracks: content/tracks/<key>.md */
} term_group;

typedef struct taxonomy_index {
    const taxonomy_conf *conf;
    term_group *terms;
    size_t n, cap;
} taxonomy_index;

typedef struct listing {
    char *title;
    char *url;              /* base URL path of page 1 */
    const char *layout;
    const char *origin;     /* for "layout not found" */
    page **items;
    size_t n;
    const page *intro;
    const term_group *term;
    const taxonomy_index *taxonomy;  /* terms index pages */
    int paginate;
} listing;

typedef struct job {
    const page *p;          /* a content page, or */
    const listing *l;       /* a list page */
    size_t page_no;         /* 1-based */
    size_t page_count;
    char *out_path;
} job;

typedef struct build_state {
    site *s;
    renderer r;
    output out;
    taxonomy_index *tax;
    size_t ntax;
    listing *lists;
    size_t nlists, lists_cap;
    job *jobs;
    size_t njobs, jobs_cap;
    value **ctxs;           /* per worker */
    size_t pages_written;
} build_state;

static void group_add(term_group *g, page *p)
{
    if (g->n && g->items[g->n - 1] == p)
        return;     /* a page naming a term twice counts once */
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8;
        g->items = xrealloc(g->items, g->cap * sizeof *g->items);
    }
    g->items[g->n++] = p;
}

static term_group *index_term(taxonomy_index *ti, const char *key)
{
    buf slug = BUF_INIT;
    buf_init(&slug);
    slugify(key, &slug);
    if (!slug.len)
        buf_puts(&slug, "x");
    for (size_t i = 0; i < ti->n; i++)
        if (!strcmp(ti->terms[i].slug, slug.data)) {
            buf_free(&slug);
            return &ti->terms[i];
        }
    if (ti->n == ti->cap) {
        ti->cap = ti->cap ? ti->cap * 2 : 16;
        ti->terms = xrealloc(ti->terms, ti->cap * sizeof *ti->terms);
    }
    term_group *g = &ti->terms[ti->n++];
    memset(g, 0, sizeof *g);
    g->slug = buf_detach(&slug);
    g->key = xstrdup(key);
    const term_conf *tc = taxonomy_term(ti->conf, key);
    g->title = tc ? tc->title : g->key;
    return g;
}

static void collect_values(const value *fm, const char *field,
                           void (*fn)(void *, const char *), void *arg)
{
    const char *dot = strchr(field, '.');
    if (dot) {
        const value *list = value_map_getn(fm, field, (size_t)(dot - field));
        if (list && list->kind == VALUE_LIST)
            for (size_t i = 0; i < list->as.list.len; i++)
                collect_values(list->as.list.items[i], dot + 1, fn, arg);
        return;
    }
    const value *v = value_map_get(fm, field);
    if (!v)
        return;
    if (v->kind == VALUE_STRING)
        fn(arg, v->as.str.s);
    else if (v->kind == VALUE_LIST)
        for (size_t i = 0; i < v->as.list.len; i++)
            if (v->as.list.items[i]->kind == VALUE_STRING)
                fn(arg, v->as.list.items[i]->as.str.s);
}

typedef struct add_arg {
    taxonomy_index *ti;
    page *p;
} add_arg;

static void add_term(void *arg, const char *key)
{
    add_arg *a = arg;
    group_add(index_term(a->ti, key), a->p);
}

static int group_cmp(const void *a, const void *b)
{
    const term_group *x = a, *y = b;
    int c = collate_da(x->title, y->title);
    return c ? c : strcmp(x->slug, y->slug);
}

static void build_taxonomies(build_state *b, page **sorted, size_t n)
{
    site *s = b->s;
    b->ntax = s->cfg.ntaxonomies;
    b->tax = xcalloc(b->ntax ? b->ntax : 1, sizeof *b->tax);
    for (size_t t = 0; t < b->ntax; t++) {
        taxonomy_index *ti = &b->tax[t];
        ti->conf = &s->cfg.taxonomies[t];
        /* Declared terms exist even before any page uses them. */
        for (size_t k = 0; k < ti->conf->nterms; k++)
            index_term(ti, ti->conf->terms[k].key);
        for (size_t i = 0; i < n; i++) {
            if (sorted[i]->kind != PAGE_SECTION)
                continue;
            add_arg a = {ti, sorted[i]};
            collect_values(sorted[i]->fm, ti->conf->field, add_term, &a);
        }
        if (!ti->conf->closed && ti->n > 1)
            qsort(ti->terms, ti->n, sizeof *ti->terms, group_cmp);
    }
    /* Track landing texts. */
    const taxonomy_conf *tracks = config_taxonomy(&s->cfg, "tracks");
    for (size_t t = 0; tracks && t < b->ntax; t++) {
        if (b->tax[t].conf != tracks)
            continue;
        for (size_t i = 0; i < s->npublished; i++) {
            page *p = s->published[i];
            if (p->kind != PAGE_TRACK || !p->term_key)
                continue;
            for (size_t k = 0; k < b->tax[t].n; k++)
                if (!strcmp(b->tax[t].terms[k].key, p->term_key))
                    b->tax[t].terms[k].intro = p;
        }
    }
}

static listing *add_listing(build_state *b)
{
    if (b->nlists == b->lists_cap) {
        b->lists_cap = b->lists_cap ? b->lists_cap * 2 : 32;
        b->lists = xrealloc(b->lists, b->lists_cap * sizeof *b->lists);
    }
    listing *l = &b->lists[b->nlists++];
    memset(l, 0, sizeof *l);
    l->paginate = 1;
    return l;
}

static void add_job(build_state *b, const page *p, const listing *l,
                    size_t page_no, size_t page_count, char *out_path)
{
    if (b->njobs == b->jobs_cap) {
        b->jobs_cap = b->jobs_cap ? b->jobs_cap * 2 : 256;
        b->jobs = xrealloc(b->jobs, b->jobs_cap * sizeof *b->jobs);
    }
    job *j = &b->jobs[b->njobs++];
    j->p = p;
    j->l = l;
    j->page_no = page_no;
    j->page_count = page_count;
    j->out_path = out_path;
}

/* URL path (under base_path) of page k of a list whose page 1 is at url. */
static void list_page_url(const listing *l, size_t k, buf *out)
{
    buf_puts(out, l->url);
    if (k > 1)
        buf_printf(out, "side/%zu/", k);
}

static const char *layout_or(const renderer *r, const char *want,
                             const char *fallback)
{
    return tpl_set_has(r->tpls, want) ? want : fallback;
}

static void build_lists(build_state *b, page **sorted, size_t n)
{
    site *s = b->s;
    const char *bp = s->cfg.base_path;
    buf u = BUF_INIT;
    buf_init(&u);

    /* Home: every section page, newest first. */
    page **content = xmalloc((n ? n : 1) * sizeof *content);
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        if (sorted[i]->kind == PAGE_SECTION)
            content[nc++] = sorted[i];
    listing *home = add_listing(b);
    home->title = xstrdup(s->cfg.title);
    home->url = xstrdup(bp);
    home->layout = layout_or(&b->r, "home", "list");
    home->origin = "layouts/home.mustache";
    home->items = content;
    home->n = nc;
    home->paginate = 0;

    for (size_t i = 0; i < s->cfg.nsections; i++) {
        const section_conf *sc = &s->cfg.sections[i];
        listing *l = add_listing(b);
        l->title = xstrdup(sc->title);
        buf_clear(&u);
        buf_printf(&u, "%s%s/", bp, sc->url);
        l->url = xstrdup(u.data);
        l->layout = "list";
        l->origin = "layouts/list.mustache";
        l->items = xmalloc((nc ? nc : 1) * sizeof *l->items);
        for (size_t k = 0; k < nc; k++)
            if (content[k]->section == sc)
                l->items[l->n++] = content[k];
    }

    for (size_t t = 0; t < b->ntax; t++) {
        taxonomy_index *ti = &b->tax[t];
        int is_tracks = !strcmp(ti->conf->key, "tracks");
        listing *idx = add_listing(b);
        idx->title = xstrdup(ti->conf->title);
        buf_clear(&u);
        buf_printf(&u, "%s%s/", bp, ti->conf->url);
        idx->url = xstrdup(u.data);
        idx->layout = layout_or(&b->r, "terms", "list");
        idx->origin = "layouts/terms.mustache";
        idx->taxonomy = ti;
        idx->paginate = 0;
        for (size_t k = 0; k < ti->n; k++) {
            term_group *g = &ti->terms[k];
            listing *l = add_listing(b);
            l->title = xstrdup(g->title);
            buf_clear(&u);
            buf_printf(&u, "%s%s/%s/", bp, ti->conf->url, g->slug);
            l->url = xstrdup(u.data);
            l->layout = is_tracks ? layout_or(&b->r, "track", "list")
                                  : layout_or(&b->r, "term", "list");
            l->origin = is_tracks ? "layouts/track.mustache"
                                  : "layouts/term.mustache";
            l->items = g->items;
            l->n = g->n;
            l->intro = g->intro;
            l->term = g;
        }
    }
    buf_free(&u);
}

static value *pagination_value(const listing *l, size_t k, size_t count)
{
    value *m = value_new_map();
    value_map_set_number(m, "current", (double)k);
    value_map_set_number(m, "total", (double)count);
    value_map_set_bool(m, "many", count > 1);
    buf u = BUF_INIT;
    buf_init(&u);
    if (k > 1) {
        list_page_url(l, k - 1, &u);
        value_map_set_string(m, "prev_url", u.data);
    }
    if (k < count) {
        buf_clear(&u);
        list_page_url(l, k + 1, &u);
        value_map_set_string(m, "next_url", u.data);
    }
    /* A window of page links: first, last, and two either side of the
     * current one, with a gap marker where numbers are skipped; so a list
     * of 600 pages does not put 600 links on each of them. */
    value *pages = value_new_list();
    size_t last_shown = 0;
    for (size_t i = 1; i <= count; i++) {
        if (i != 1 && i != count && (i + 2 < k || i > k + 2))
            continue;
        if (last_shown && i > last_shown + 1) {
            value *gap = value_new_map();
            value_map_set_bool(gap, "gap", 1);
            value_list_push(pages, gap);
        }
        last_shown = i;
        value *pg = value_new_map();
        value_map_set_number(pg, "number", (double)i);
        buf_clear(&u);
        list_page_url(l, i, &u);
        value_map_set_string(pg, "url", u.data);
        value_map_set_bool(pg, "current", i == k);
        value_list_push(pages, pg);
    }
    value_map_set(m, "pages", pages);
    buf_free(&u);
    return m;
}

static value *list_value(build_state *b, const listing *l, size_t k,
                         size_t count)
{
    const site *s = b->s;
    value *m = value_new_map();
    value_map_set_string(m, "title", l->title);
    buf u = BUF_INIT;
    buf_init(&u);
    list_page_url(l, k, &u);
    value_map_set_string(m, "url", u.data);
    buf_free(&u);
    size_t per = l->paginate ? (size_t)s->cfg.per_page : l->n;
    if (l == &b->lists[0])
        per = (size_t)s->cfg.per_page;   /* home: the latest pages */
    size_t from = (k - 1) * per, to = from + per;
    if (to > l->n)
        to = l->n;
    value *items = value_new_list();
    for (size_t i = from; i < to; i++)
        value_list_push(items, value_ref(l->items[i]->item));
    value_map_set(m, "items", items);
    value_map_set_number(m, "count", (double)l->n);
    value_map_set_bool(m, "empty", l->n == 0);
    if (l->paginate)
        value_map_set(m, "pagination", pagination_value(l, k, count));
    if (l->term) {
        value_map_set_string(m, "term_key", l->term->key);
        value_map_set_string(m, "term_slug", l->term->slug);
    }
    if (l->taxonomy) {
        const taxonomy_index *ti = l->taxonomy;
        value *terms = value_new_list();
        for (size_t i = 0; i < ti->n; i++) {
            value *t = value_new_map();
            value_map_set_string(t, "key", ti->terms[i].key);
            value_map_set_string(t, "title", ti->terms[i].title);
            buf tu = BUF_INIT;
            buf_init(&tu);
            buf_printf(&tu, "%s%s/%s/", s->cfg.base_path, ti->conf->url,
                       ti->terms[i].slug);
            value_map_set_string(t, "url", tu.data);
            buf_free(&tu);
            value_map_set_number(t, "count", (double)ti->terms[i].n);
            value_list_push(terms, t);
        }
        value_map_set(m, "terms", terms);
    }
    if (l == &b->lists[0]) {
        /* Home: the latest pages of each track. */
        value *tracks = value_new_list();
        for (size_t t = 0; t < b->ntax; t++) {
            if (strcmp(b->tax[t].conf->key, "tracks"))
                continue;
            for (size_t i = 0; i < b->tax[t].n; i++) {
                const term_group *g = &b->tax[t].terms[i];
                value *tv = value_new_map();
                value_map_set_string(tv, "key", g->key);
                value_map_set_string(tv, "title", g->title);
                buf tu = BUF_INIT;
                buf_init(&tu);
                buf_printf(&tu, "%s%s/%s/", s->cfg.base_path,
                           b->tax[t].conf->url, g->slug);
                value_map_set_string(tv, "url", tu.data);
                buf_free(&tu);
                if (g->intro) {
                    const char *sum = value_get_string(g->intro->item,
                                                       "summary");
                    value_map_set_string(tv, "summary", sum ? sum : "");
                }
                value *latest = value_new_list();
                for (size_t k2 = 0; k2 < g->n && k2 < 3; k2++)
                    value_list_push(latest, value_ref(g->items[k2]->item));
                value_map_set(tv, "items", latest);
                value_list_push(tracks, tv);
            }
        }
        value_map_set(m, "tracks", tracks);
    }
    return m;
}

/* ---- jobs: one output file each ---- */

static char *out_path_of(const char *url, const char *base_path)
{
    /* url starts with base_path; the rest is the folder in the output. */
    buf b = BUF_INIT;
    buf_init(&b);
    buf_printf(&b, "%sindex.html", url + strlen(base_path));
    return buf_detach(&b);
}

static void plan_jobs(build_state *b)
{
    site *s = b->s;
    for (size_t i = 0; i < s->npublished; i++) {
        page *p = s->published[i];
        if (p->kind == PAGE_TRACK)
            continue;   /* rendered as the track's landing page */
        add_job(b, p, NULL, 1, 1, xstrdup(p->out_path));
    }
    for (size_t i = 0; i < b->nlists; i++) {
        const listing *l = &b->lists[i];
        size_t per = (size_t)s->cfg.per_page;
        size_t count = l->paginate ? (l->n + per - 1) / per : 1;
        if (count == 0)
            count = 1;
        buf u = BUF_INIT;
        buf_init(&u);
        for (size_t k = 1; k <= count; k++) {
            buf_clear(&u);
            list_page_url(l, k, &u);
            add_job(b, NULL, l, k, count, out_path_of(u.data,
                                                      s->cfg.base_path));
        }
        buf_free(&u);
    }
}

static int job_cmp_path(const void *a, const void *b)
{
    const job *x = *(job *const *)a, *y = *(job *const *)b;
    return strcmp(x->out_path, y->out_path);
}

static const char *job_origin(const job *j)
{
    return j->p ? j->p->src_path : j->l->intro ? j->l->intro->src_path
                                               : j->l->origin;
}

/* Every output file must come from exactly one source. */
static void check_collisions(build_state *b, diag *d)
{
    job **sorted = xmalloc((b->njobs ? b->njobs : 1) * sizeof *sorted);
    for (size_t i = 0; i < b->njobs; i++)
        sorted[i] = &b->jobs[i];
    qsort(sorted, b->njobs, sizeof *sorted, job_cmp_path);
    for (size_t i = 1; i < b->njobs; i++) {
        const job *x = sorted[i - 1], *y = sorted[i];
        if (strcmp(x->out_path, y->out_path))
            continue;
        if (x->p && y->p)
            continue;   /* already reported by content_load */
        const job *pg = y->p ? y : x;
        const job *other = pg == y ? x : y;
        diag_error(d, job_origin(pg), 1, 1,
                   "the page's address /%s collides with the generated "
                   "list page of %s", pg->out_path, job_origin(other));
    }
    free(sorted);
}

static int fs_is_file_in(const char *dir, const char *rel)
{
    buf p = BUF_INIT;
    buf_init(&p);
    fs_join(&p, dir, rel);
    int r = fs_is_file(p.data);
    buf_free(&p);
    return r;
}

static void check_layouts(build_state *b, diag *d)
{
    site *s = b->s;
    for (size_t i = 0; i < s->npublished; i++) {
        const page *p = s->published[i];
        if (p->kind == PAGE_TRACK)
            continue;
        const char *name = render_layout_name(p);
        if (tpl_set_has(b->r.tpls, name))
            continue;
        /* A layout that exists but did not compile is reported already. */
        buf file = BUF_INIT;
        buf_init(&file);
        buf_printf(&file, "%s/layouts/%s.mustache", s->opt->site_dir, name);
        int exists = fs_is_file(file.data);
        buf_free(&file);
        if (exists)
            continue;
        const value *lv = value_map_get(p->fm, "layout");
        if (lv)
            diag_error(d, p->src_path, lv->line, lv->col,
                       "layout \"%s\" not found (no layouts/%s.mustache)",
                       name, name);
        else if (p->kind == PAGE_SECTION && p->section->layout)
            diag_error(d, s->cfg.path, p->section->layout_line,
                       p->section->layout_col,
                       "layout \"%s\" of section \"%s\" not found (no "
                       "layouts/%s.mustache; needed by %s)", name,
                       p->section->key, name, p->src_path);
        else
            diag_error(d, p->src_path, 1, 1,
                       "layout \"%s\" not found (no layouts/%s.mustache)",
                       name, name);
    }
    if (!tpl_set_has(b->r.tpls, "list") &&
        !fs_is_file_in(s->opt->site_dir, "layouts/list.mustache"))
        diag_error(d, "layouts/list.mustache", 0, 0,
                   "missing: every site needs a \"list\" layout for its "
                   "section and index pages");
}

static void run_job(void *arg, size_t i, int worker, diag *d)
{
    build_state *b = arg;
    job *j = &b->jobs[i];
    value *ctx = b->ctxs[worker];
    buf html = BUF_INIT;
    buf_init(&html);
    int rc;
    if (j->p) {
        rc = render_page(&b->r, ctx, j->p, &html, d);
    } else {
        const listing *l = j->l;
        value *pv = NULL;
        if (l->intro) {
            pv = value_map_shallow_copy(l->intro->item);
            value_map_set(pv, "content",
                          value_new_stringn(l->intro->md.html,
                                            l->intro->md.html_len));
        }
        if (!pv) {
            pv = value_new_map();
            value_map_set_string(pv, "title", l->title);
            buf u = BUF_INIT;
            buf_init(&u);
            list_page_url(l, j->page_no, &u);
            value_map_set_string(pv, "url", u.data);
            buf_clear(&u);
            site_absolute_url(b->s, value_get_string(pv, "url"), &u);
            value_map_set_string(pv, "permalink", u.data);
            buf_free(&u);
        }
        value_map_set_bool(pv, "is_list", 1);
        value *lv = list_value(b, l, j->page_no, j->page_count);
        rc = render_with(&b->r, ctx, l->layout, job_origin(j), pv, lv, &html,
                         d);
    }
    if (rc == 0)
        output_write(&b->out, j->out_path, html.data, html.len, d);
    buf_free(&html);
}

/* Copy each page folder's own files (images, audio) next to its page. */
static void copy_bundles(build_state *b, diag *d)
{
    site *s = b->s;
    buf src = BUF_INIT, rel = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
    buf_init(&src);
    buf_init(&rel);
    buf_init(&from);
    buf_init(&to);
    for (size_t i = 0; i < s->npublished; i++) {
        const page *p = s->published[i];
        if (!p->bundle_dir)
            continue;
        fs_join(&src, s->opt->site_dir, p->bundle_dir);
        size_t n;
        char **names = fs_list_dir(src.data, &n);
        if (!names)
            continue;
        const char *slash = strrchr(p->out_path, '/');
        buf_clear(&rel);
        buf_put(&rel, p->out_path, (size_t)(slash - p->out_path));
        for (size_t k = 0; k < n; k++) {
            if (names[k][0] == '.' || !strcmp(names[k], "index.md") ||
                !strcmp(names[k], "index.html"))
                continue;
            fs_join(&from, src.data, names[k]);
            fs_join(&to, rel.data, names[k]);
            if (fs_is_dir(from.data))
                output_copy_tree(&b->out, from.data, to.data, d);
            else if (fs_is_file(from.data))
                output_copy(&b->out, from.data, to.data, d);
        }
        fs_free_list(names, n);
    }
    buf_free(&src);
    buf_free(&rel);
    buf_free(&from);
    buf_free(&to);
}

static void make_item(void *arg, size_t i, int worker, diag *d)
{
    (void)worker;
    (void)d;
    build_state *b = arg;
    page *p = b->s->published[i];
    p->item = render_page_value(&b->r, p, 0);
}

static void build_state_free(build_state *b)
{
    for (size_t i = 0; i < b->nlists; i++) {
        free(b->lists[i].title);
        free(b->lists[i].url);
        if (!b->lists[i].term)
            free(b->lists[i].items);
    }
    free(b->lists);
    for (size_t t = 0; t < b->ntax; t++) {
        for (size_t k = 0; k < b->tax[t].n; k++) {
            free(b->tax[t].terms[k].slug);
            free(b->tax[t].terms[k].key);
            free(b->tax[t].terms[k].items);
        }
        free(b->tax[t].terms);
    }
    free(b->tax);
    for (size_t i = 0; i < b->njobs; i++)
        free(b->jobs[i].out_path);
    free(b->jobs);
}

static int finish(diag *d, const build_options *opt, int status)
{
    diag_print(d, stderr, !opt->quiet);
    if (status == 1 && !opt->quiet)
        fprintf(stderr, "Bygningen fejlede med %zu fejl. Intet blev "
                "udgivet.\n", d->errors);
    diag_free(d);
    return status;
}

int cmd_build(const build_options *opt)
{
    double t0 = now_ms();
    diag d;
    diag_init(&d);
    if (strcmp(opt->site_dir, ".") && strcmp(opt->site_dir, "./")) {
        buf prefix = BUF_INIT;
        buf_init(&prefix);
        buf_puts(&prefix, opt->site_dir);
        if (prefix.data[prefix.len - 1] != '/')
            buf_putc(&prefix, '/');
        diag_set_prefix(&d, prefix.data);
        buf_free(&prefix);
    }
    site s;
    memset(&s, 0, sizeof s);
    s.opt = opt;
    if (config_load(&s.cfg, opt->site_dir, opt->base_url, &d) < 0) {
        site_free(&s);
        return finish(&d, opt, 1);
    }
    if (output_check_dir(opt->out_dir, opt->site_dir, &d) < 0) {
        site_free(&s);
        return finish(&d, opt, 2);
    }

    build_state b;
    memset(&b, 0, sizeof b);
    b.s = &s;
    content_load(&s, &d);
    render_init(&b.r, &s, &d);
    s.strings = value_ref(b.r.strings);
    double t_scan = now_ms();
    content_render_markdown(&s, &d);
    double t_md = now_ms();

    parallel_for(opt->jobs, s.npublished, make_item, &b, &d);
    page **sorted = xmalloc((s.npublished ? s.npublished : 1) *
                            sizeof *sorted);
    memcpy(sorted, s.published, s.npublished * sizeof *sorted);
    qsort(sorted, s.npublished, sizeof *sorted, page_cmp_newest);
    build_taxonomies(&b, sorted, s.npublished);
    build_lists(&b, sorted, s.npublished);
    free(sorted);
    plan_jobs(&b);
    check_collisions(&b, &d);
    check_layouts(&b, &d);

    int status = 0;
    if (d.errors) {
        status = 1;
        goto done;
    }
    if (output_begin(&b.out, opt->out_dir, &d) < 0) {
        status = 3;
        goto done;
    }
    int jobs = opt->jobs;
    b.ctxs = xcalloc((size_t)jobs, sizeof *b.ctxs);
    for (int i = 0; i < jobs; i++)
        b.ctxs[i] = render_context_new(&b.r);
    parallel_for(jobs, b.njobs, run_job, &b, &d);
    for (int i = 0; i < jobs; i++)
        value_free(b.ctxs[i]);
    free(b.ctxs);
    double t_render = now_ms();

    buf assets = BUF_INIT;
    buf_init(&assets);
    fs_join(&assets, opt->site_dir, "assets");
    if (fs_is_dir(assets.data))
        output_copy_tree(&b.out, assets.data, "assets", &d);
    buf_free(&assets);
    copy_bundles(&b, &d);

    if (d.errors) {
        output_abort(&b.out);
        status = 1;
        goto done;
    }
    size_t files = b.out.files;
    if (output_commit(&b.out, &d) < 0) {
        output_abort(&b.out);
        status = 3;
        goto done;
    }
    double t_end = now_ms();
    if (opt->verbose)
        fprintf(stderr,
                "tider: indlæsning %.0f ms, markdown %.0f ms, "
                "skabeloner og skrivning %.0f ms, i alt %.0f ms\n",
                t_scan - t0, t_md - t_scan, t_render - t_md, t_end - t0);
    if (!opt->quiet) {
        size_t pages = 0;
        for (size_t i = 0; i < b.njobs; i++)
            pages++;
        diag_print(&d, stderr, 1);
        diag_free(&d);
        printf("Byggede %zu sider (%zu filer) på %.0f ms → %s/\n", pages,
               files, t_end - t0, opt->out_dir);
    }

done:
    build_state_free(&b);
    if (b.r.tpls)
        render_free(&b.r);
    site_free(&s);
    if (status != 0 || opt->quiet)
        return finish(&d, opt, status);
    diag_free(&d);
    return 0;
}
