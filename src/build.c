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
#include "imagesize.h"
#include "mdpar.h"
#include "output.h"
#include "par.h"
#include "render.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- Markdown ---- */

typedef struct md_stage {
    pthread_mutex_t lock;   /* see content_render_markdown */
    site *s;
    value *index;   /* src_path → page number */
    size_t offset;  /* first page of this parallel run */
    const page *cur;/* the page being converted (under lock) */
} md_stage;

/* The page read from the source file target, or NULL. */
static const page *linked_page(const md_stage *m, const char *target)
{
    const value *v = value_map_get(m->index, target);
    return v ? m->s->pages[(size_t)v->as.number] : NULL;
}

static const char *resolve_link(void *ctx, const char *target)
{
    const page *p = linked_page(ctx, target);
    return p && p->published ? p->url : NULL;
}

static const char *explain_link(void *ctx, const char *target)
{
    md_stage *m = ctx;
    const page *p = linked_page(m, target);
    if (!p)
        return NULL;
    if (p->draft && !m->s->opt->drafts)
        return "that page is a draft (build with --drafts to include it)";
    return "that page is dated in the future (build with --future to "
           "include it)";
}

/* Markdown images: the file must exist (in the page folder, or under
 * assets/ for "/assets/..."), and its size goes into width and height. */
static int image_info(void *ctx, const char *src, int *width, int *height)
{
    md_stage *m = ctx;
    const page *p = m->cur;
    buf rel = BUF_INIT, file = BUF_INIT;
    buf_init(&rel);
    buf_init(&file);
    int rc;
    if (!strncmp(src, "/assets/", 8) || (src[0] == '/' && src[1] != '/' &&
                                         !strncmp(src, m->s->cfg.base_path,
                                                  strlen(m->s->cfg.base_path)) &&
                                         !strncmp(src + strlen(m->s->cfg.base_path),
                                                  "assets/", 7))) {
        const char *a = strstr(src, "assets/");
        if (fs_normalise(a, &rel) < 0) {
            rc = -1;
            goto out;
        }
        rc = 0;
    } else {
        rc = md_local_path(p->src_path, src, &rel);
        if (rc != 0)
            goto out;
    }
    fs_join(&file, m->s->opt->site_dir, rel.data);
    if (!fs_is_file(file.data)) {
        rc = -1;
        goto out;
    }
    if (image_size(file.data, width, height) < 0)
        *width = *height = 0;
    rc = 0;
out:
    buf_free(&rel);
    buf_free(&file);
    return rc;
}

static void md_page(md_stage *m, page *p, diag *d)
{
    md_options o = {0};
    o.allow_html = m->s->cfg.allow_html;
    o.resolve = resolve_link;
    o.resolve_ctx = m;
    o.explain = explain_link;
    o.image = image_info;
    o.reserved_ids = (const char *const *)m->s->reserved_ids;
    o.footnote_backref_label =
        value_get_string(m->s->strings, "footnote_back");
    pthread_mutex_lock(&m->lock);
    m->cur = p;
    md_render(p->src_path, p->body, p->body_len, p->body_line, &o, &p->md, d);
    if (p->transcript)
        md_render(p->transcript_path, p->transcript, p->transcript_len,
                  p->transcript_line, &o, &p->transcript_md, d);
    pthread_mutex_unlock(&m->lock);
    p->rendered = 1;
}

static void md_one(void *arg, size_t i, int worker, diag *d)
{
    (void)worker;
    md_stage *m = arg;
    md_page(m, m->s->published[m->offset + i], d);
}

static value *source_index(const site *s)
{
    value *index = value_new_map();
    for (size_t i = 0; i < s->npages; i++)
        value_map_set(index, s->pages[i]->src_path,
                      value_new_number((double)i));
    return index;
}

int content_render_page_markdown(site *s, page *p, diag *d)
{
    size_t before = d->errors;
    md_stage m = {PTHREAD_MUTEX_INITIALIZER, s, source_index(s), 0, NULL};
    md_page(&m, p, d);
    value_free(m.index);
    return d->errors > before ? -1 : 0;
}

static void md_convert(void *ctx, size_t i, diag *d)
{
    md_one(ctx, i, 0, d);
}

static md_result *md_result_of(void *ctx, size_t i, size_t k)
{
    md_stage *m = ctx;
    page *p = m->s->published[i];
    if (!p->rendered)
        return NULL;
    if (k == 0)
        return &p->md;
    return p->transcript ? &p->transcript_md : NULL;
}

static void md_store(void *ctx, size_t i, size_t k, md_result *r)
{
    md_stage *m = ctx;
    page *p = m->s->published[i];
    if (k == 0) {
        p->md = *r;
        p->rendered = 1;
    } else {
        p->transcript_md = *r;
    }
}

static void md_reset(void *ctx, size_t i)
{
    md_stage *m = ctx;
    page *p = m->s->published[i];
    if (p->rendered) {
        md_result_free(&p->md);
        if (p->transcript)
            md_result_free(&p->transcript_md);
    }
    p->rendered = 0;
}

int content_render_markdown(site *s, diag *d)
{
    size_t before = d->errors;
    /* cmark-gfm 0.29 is not safe to run on two threads at once: every
     * parse adds its extensions' special characters to a process-wide table
     * and removes them when it is done (github/cmark-gfm#176).  So pages
     * are converted in -j worker processes (mdpar.c), one page at a time in
     * each; the lock only guards m.cur. */
    md_stage m = {PTHREAD_MUTEX_INITIALIZER, s, source_index(s), 0, NULL};
    mdpar_job job = {s->npublished, 2, &m, md_convert, md_result_of,
                     md_store, md_reset};
    /* Worker processes pay off only for enough pages. */
    mdpar_run(&job, s->npublished >= 200 ? s->opt->jobs : 1, d);
    value_free(m.index);
    return d->errors > before ? -1 : 0;
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

const char *const build_item_keys[] = {"newer", "older", "project",
                                       "project_cases", "breadcrumbs",
                                       "related", "feeds", NULL};

void build_add_job(build_state *b, job j)
{
    if (b->njobs == b->jobs_cap) {
        b->jobs_cap = b->jobs_cap ? b->jobs_cap * 2 : 256;
        b->jobs = xrealloc(b->jobs, b->jobs_cap * sizeof *b->jobs);
    }
    b->jobs[b->njobs++] = j;
}

static void plan_jobs(build_state *b)
{
    site *s = b->s;
    for (size_t i = 0; i < s->npublished; i++) {
        page *p = s->published[i];
        if (p->kind == PAGE_TRACK)
            continue;   /* rendered as the track's landing page */
        build_add_job(b, (job){.kind = JOB_PAGE, .p = p, .page_no = 1,
                               .page_count = 1,
                               .out_path = xstrdup(p->out_path)});
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
            build_add_job(b, (job){.kind = JOB_LIST, .l = l, .page_no = k,
                                   .page_count = count,
                                   .out_path = out_path_of(
                                       u.data, s->cfg.base_path)});
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
    switch (j->kind) {
    case JOB_PAGE:
        return j->p->src_path;
    case JOB_LIST:
        return j->l->intro ? j->l->intro->src_path : j->l->origin;
    case JOB_FEED:
        return "feeds";
    case JOB_BYTES:
    default:
        return j->origin ? j->origin : "site";
    }
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
        if (strcmp(x->out_path, y->out_path) || x->kind == JOB_SEARCH)
            continue;
        if (x->kind == JOB_PAGE && y->kind == JOB_PAGE)
            continue;   /* already reported by content_load */
        const job *pg = y->kind == JOB_PAGE ? y : x;
        const job *other = pg == y ? x : y;
        diag_error(d, job_origin(pg), 1, 1,
                   "two outputs have the same file /%s: %s and %s",
                   pg->out_path, job_origin(pg), job_origin(other));
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
        buf rel = BUF_INIT;
        buf_init(&rel);
        buf_printf(&rel, "layouts/%s.mustache", name);
        int exists = fs_is_file_in(s->opt->site_dir, rel.data);
        buf_free(&rel);
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

/* CPU time of the render stage per kind of work, summed over threads, in
 * microseconds (for -v). */
static void add_us(uint64_t *counter, double since_ms)
{
    __atomic_add_fetch(counter, (uint64_t)((now_ms() - since_ms) * 1000),
                       __ATOMIC_RELAXED);
}

/* A progress line on a terminal for builds that take more than a second:
 * "Bygger: 8.123 af 16.909 filer". */
static void progress(build_state *b)
{
    const build_options *opt = b->s->opt;
    size_t done = __atomic_add_fetch(&b->done, 1, __ATOMIC_RELAXED);
    if (!b->progress || (done % 256 && done != b->njobs))
        return;
    double t = now_ms();
    if (t - b->t_start < 1000 && done != b->njobs)
        return;
    (void)opt;
    fprintf(stderr, "\rBygger: %zu af %zu filer", done, b->njobs);
    if (done == b->njobs)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void run_job(void *arg, size_t i, int worker, diag *d)
{
    build_state *b = arg;
    job *j = &b->jobs[i];
    double t0 = now_ms();
    progress(b);
    value *ctx = b->ctxs[worker];
    buf html = BUF_INIT;
    buf_init(&html);
    int rc;
    if (j->kind == JOB_SEARCH) {
        publish_write_search(b, j, d);
        add_us(&b->us_pages, t0);
        buf_free(&html);
        return;
    }
    if (j->kind == JOB_BYTES) {
        output_write(&b->out, j->out_path, j->bytes, j->nbytes, d);
        add_us(&b->us_write, t0);
        buf_free(&html);
        return;
    } else if (j->kind == JOB_FEED) {
        rc = publish_render_feed(b, j->f, &html, d);
    } else if (j->kind == JOB_PAGE && b->search_list &&
               !strcmp(render_layout_name(j->p), "search")) {
        /* The search page lists everything by track for readers without
         * JavaScript. */
        value *pv = value_map_shallow_copy(j->p->item);
        value_map_set(pv, "content", value_new_stringn(j->p->md.html,
                                                       j->p->md.html_len));
        rc = render_with(&b->r, ctx, "search", j->p->src_path, pv,
                         value_ref(b->search_list), &html, d);
    } else if (j->kind == JOB_PAGE) {
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
        if (l->intro && j->page_no > 1) {
            /* Page 2, 3 ... of a track: its own address, not page 1's. */
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
        /* The feeds its <head> announces: the site's, and the list's own. */
        value *feeds = value_new_list();
        if (b->site_feeds && b->site_feeds->as.list.len)
            value_list_push(feeds, value_ref(b->site_feeds->as.list.items[0]));
        if (l->feed && !l->is_home) {
            value *f = value_new_map();
            buf t = BUF_INIT;
            buf_init(&t);
            buf_printf(&t, "%s (RSS)", l->feed->title);
            value_map_set_string(f, "title", t.data);
            buf_free(&t);
            value_map_set_string(f, "url", l->feed->url);
            value_list_push(feeds, f);
        }
        value_map_set(pv, "feeds", feeds);
        value_map_set(pv, "breadcrumbs", relations_list_breadcrumbs(b, l));
        value *lv = list_value(b, l, j->page_no, j->page_count);
        rc = render_with(&b->r, ctx, l->layout, job_origin(j), pv, lv, &html,
                         d);
    }
    add_us(j->kind == JOB_FEED ? &b->us_feeds : &b->us_pages, t0);
    double t1 = now_ms();
    if (rc == 0)
        output_write(&b->out, j->out_path, html.data, html.len, d);
    add_us(&b->us_write, t1);
    buf_free(&html);
}

typedef struct some_jobs {
    build_state *b;
    const size_t *which;
} some_jobs;

static void run_some(void *arg, size_t i, int worker, diag *d)
{
    some_jobs *sj = arg;
    run_job(sj->b, sj->which[i], worker, d);
}

void build_run_jobs(build_state *b, const size_t *which, size_t n, diag *d)
{
    int jobs = b->s->opt->jobs;
    b->ctxs = xcalloc((size_t)jobs, sizeof *b->ctxs);
    for (int i = 0; i < jobs; i++)
        b->ctxs[i] = render_context_new(&b->r);
    some_jobs sj = {b, which};
    parallel_for(jobs, n, run_some, &sj, d);
    for (int i = 0; i < jobs; i++)
        value_free(b->ctxs[i]);
    free(b->ctxs);
    b->ctxs = NULL;
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

/* The search page's list: every section page, newest first, and the
 * same grouped by track. */
static void make_search_list(build_state *b)
{
    const listing *home = &b->lists[0];
    value *m = value_new_map();
    value *items = value_new_list();
    for (size_t i = 0; i < home->n; i++)
        value_list_push(items, value_ref(home->items[i]->item));
    value_map_set(m, "items", items);
    value_map_set_number(m, "count", (double)home->n);
    value *groups = value_new_list();
    const taxonomy_index *ti = lists_taxonomy(b, "tracks");
    for (size_t c = 0; ti && c < ti->conf->nterms; c++) {
        for (size_t k = 0; k < ti->n; k++) {
            const term_group *g = &ti->terms[k];
            if (strcmp(g->key, ti->conf->terms[c].key))
                continue;
            value *gv = value_new_map();
            value_map_set_string(gv, "key", g->key);
            value_map_set_string(gv, "title", g->title);
            buf u = BUF_INIT;
            buf_init(&u);
            buf_printf(&u, "%s%s/%s/", b->s->cfg.base_path, ti->conf->url,
                       g->slug);
            value_map_set_string(gv, "url", u.data);
            buf_free(&u);
            value *gi = value_new_list();
            for (size_t i = 0; i < g->n; i++)
                value_list_push(gi, value_ref(g->items[i]->item));
            value_map_set(gv, "items", gi);
            value_map_set_number(gv, "count", (double)g->n);
            value_list_push(groups, gv);
        }
    }
    value_map_set(m, "by_track", groups);
    b->search_list = m;
}

static void build_state_free(build_state *b)
{
    value_free(b->search_list);
    lists_free(b);
    publish_free(b);
    for (size_t i = 0; i < b->njobs; i++) {
        free(b->jobs[i].out_path);
        free(b->jobs[i].bytes);
    }
    free(b->jobs);
}

/* The site and what the build made of it. */
static void model_free(site *s, build_state *b)
{
    build_state_free(b);
    if (b->r.tpls)
        render_free(&b->r);
    site_free(s);
}

/* The pipeline; with a session, the model is kept in it after success. */
static int run(const build_options *opt, diag *d, build_result *res,
               build_session *ss)
{
    double t0 = now_ms();
    int want_sources = res->want_sources;
    memset(res, 0, sizeof *res);
    res->want_sources = want_sources;
    site local_site;
    build_state local_state;
    site *s = ss ? &ss->s : &local_site;
    build_state *b = ss ? xmalloc(sizeof *b) : &local_state;
    memset(s, 0, sizeof *s);
    memset(b, 0, sizeof *b);
    s->opt = opt;
    if (config_load(&s->cfg, opt->site_dir, opt->base_url, d) < 0) {
        site_free(s);
        if (ss)
            free(b);
        return 1;
    }
    if (output_check_dir(opt->out_dir, opt->site_dir, d) < 0) {
        site_free(s);
        if (ss)
            free(b);
        return 2;
    }

    b->s = s;
    if (ss) {
        b->search = &ss->search;
        b->search_files = value_new_map();
    }
    content_load(s, d);
    content_resolve_media(s, d);
    render_init(&b->r, s, d);
    s->strings = value_ref(b->r.strings);
    double t_scan = now_ms();
    content_render_markdown(s, d);
    double t_md = now_ms();

    parallel_for(opt->jobs, s->npublished, make_item, b, d);
    page **sorted = xmalloc((s->npublished ? s->npublished : 1) *
                            sizeof *sorted);
    memcpy(sorted, s->published, s->npublished * sizeof *sorted);
    qsort(sorted, s->npublished, sizeof *sorted, page_cmp_newest);
    lists_build_taxonomies(b, sorted, s->npublished, d);
    lists_build(b, sorted, s->npublished);
    free(sorted);
    relations_add(b, d);
    for (size_t i = 0; i < s->npublished; i++)
        if (!strcmp(render_layout_name(s->published[i]), "search")) {
            make_search_list(b);
            break;
        }
    plan_jobs(b);
    publish_plan(b, d);
    check_collisions(b, d);
    check_layouts(b, d);
    double t_plan = now_ms();

    int status = 0;
    if (d->errors) {
        status = 1;
        goto done;
    }
    if (output_begin(&b->out, opt->out_dir, d) < 0) {
        status = 3;
        goto done;
    }
    /* The search index is the longest single job: start it first. */
    for (size_t i = 1; i < b->njobs; i++)
        if (b->jobs[i].kind == JOB_SEARCH) {
            job tmp = b->jobs[0];
            b->jobs[0] = b->jobs[i];
            b->jobs[i] = tmp;
        }
    int jobs = opt->jobs;
    b->t_start = t0;
    b->progress = !opt->quiet && isatty(STDERR_FILENO);
    b->ctxs = xcalloc((size_t)jobs, sizeof *b->ctxs);
    for (int i = 0; i < jobs; i++)
        b->ctxs[i] = render_context_new(&b->r);
    parallel_for(jobs, b->njobs, run_job, b, d);
    for (int i = 0; i < jobs; i++)
        value_free(b->ctxs[i]);
    free(b->ctxs);
    double t_render = now_ms();

    buf assets = BUF_INIT;
    buf_init(&assets);
    fs_join(&assets, opt->site_dir, "assets");
    if (fs_is_dir(assets.data))
        output_copy_tree(&b->out, assets.data, "assets", d);
    buf_free(&assets);
    copy_bundles(b, d);

    if (d->errors) {
        output_abort(&b->out);
        status = 1;
        goto done;
    }
    res->files = b->out.files;
    res->unchanged = b->out.unchanged;
    for (size_t i = 0; i < b->njobs; i++)
        res->pages += b->jobs[i].kind == JOB_PAGE || b->jobs[i].kind == JOB_LIST;
    if (res->want_sources) {
        res->sources = value_new_map();
        for (size_t i = 0; i < b->njobs; i++)
            value_map_set_string(res->sources, b->jobs[i].out_path,
                                 job_origin(&b->jobs[i]));
    }
    if (output_commit(&b->out, d) < 0) {
        output_abort(&b->out);
        status = 3;
        goto done;
    }
    double t_end = now_ms();
    res->ms_load = t_scan - t0;
    res->ms_markdown = t_md - t_scan;
    res->ms_plan = t_plan - t_md;
    res->ms_render = t_render - t_plan;
    res->ms_cpu_pages = b->us_pages / 1000.0;
    res->ms_cpu_feeds = b->us_feeds / 1000.0;
    res->ms_cpu_write = b->us_write / 1000.0;
    res->ms_total = t_end - t0;

done:
    if (ss && status == 0) {
        /* Kept for build_update; only the finished bytes go. */
        for (size_t i = 0; i < b->njobs; i++) {
            free(b->jobs[i].bytes);
            b->jobs[i].bytes = NULL;
        }
        ss->b = b;
        ss->ready = 1;
        return status;
    }
    value_free(b->search_files);
    model_free(s, b);
    if (ss) {
        free(b);
        memset(s, 0, sizeof *s);
    }
    return status;
}

int build_run(const build_options *opt, diag *d, build_result *res)
{
    return run(opt, d, res, NULL);
}

void build_session_init(build_session *ss)
{
    memset(ss, 0, sizeof *ss);
}

/* Drop the kept model (the search cache stays: it checks itself). */
static void session_clear(build_session *ss)
{
    if (ss->ready) {
        model_free(&ss->s, ss->b);
        free(ss->b);
        ss->b = NULL;
        ss->ready = 0;
    }
    value_free(ss->old_fm);
    ss->old_fm = NULL;
}

void build_session_free(build_session *ss)
{
    session_clear(ss);
    search_cache_free(ss->search);
    value_free(ss->search_files);
    free(ss->site_dir);
    free(ss->out_dir);
    free(ss->base_url);
    memset(ss, 0, sizeof *ss);
}

int build_run_session(const build_options *opt, diag *d, build_result *res,
                      build_session *ss)
{
    session_clear(ss);
    free(ss->site_dir);
    free(ss->out_dir);
    free(ss->base_url);
    ss->opt = *opt;
    ss->opt.site_dir = ss->site_dir = xstrdup(opt->site_dir);
    ss->opt.out_dir = ss->out_dir = xstrdup(opt->out_dir);
    ss->base_url = opt->base_url ? xstrdup(opt->base_url) : NULL;
    ss->opt.base_url = ss->base_url;
    int status = run(&ss->opt, d, res, ss);
    if (status == 0) {
        value_free(ss->search_files);
        ss->search_files = ss->b->search_files;
        ss->b->search_files = NULL;
    }
    return status;
}

int cmd_build(const build_options *opt)
{
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
    build_result res = {0};
    int status = build_run(opt, &d, &res);
    diag_print(&d, stderr, !opt->quiet);
    if (status == 1 && !opt->quiet)
        fprintf(stderr, "Bygningen fejlede med %zu fejl. Intet blev "
                "udgivet.\n", d.errors);
    if (status == 0 && opt->verbose)
        fprintf(stderr,
                "tider: indlæsning og front matter %.0f ms, markdown %.0f ms, "
                "lister, relationer og søgeindeks %.0f ms, sider og feeds "
                "%.0f ms (CPU: sider %.0f ms, feeds %.0f ms, skrivning "
                "%.0f ms), i alt %.0f ms\n", res.ms_load, res.ms_markdown,
                res.ms_plan, res.ms_render, res.ms_cpu_pages,
                res.ms_cpu_feeds, res.ms_cpu_write, res.ms_total);
    if (status == 0 && !opt->quiet) {
        const char *out = opt->out_dir;
        if (!strncmp(out, "./", 2))
            out += 2;
        printf("Byggede %zu sider (%zu filer, %zu uændrede) på %.0f ms → "
               "%s/\n", res.pages, res.files, res.unchanged, res.ms_total,
               out);
    }
    diag_free(&d);
    return status;
}
