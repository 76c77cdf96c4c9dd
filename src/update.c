/*
 * update.c - `formidl serve`'s rebuild of what one edit affects.  See
 * build_update in build.h.
 *
 * serve keeps the model of its last good build (pages, items, lists,
 * feeds, jobs, the search index's words) in a build_session.  When the
 * only changes are edits of existing Markdown pages, each is read again
 * and checked, and if it stays where it was in every list, the model is
 * patched instead of rebuilt:
 *
 *   "stays where it was": published or not as before; the same address,
 *   date, updated date, kind and slug; the same placing fields in the
 *   front matter (terms, project, effects, media, layout, aliases: see
 *   placing_keys), and a section page's new title keeps it between the
 *   same neighbours of its date.  Then every list holds the same pages in
 *   the same order, related pages and neighbours do not move, and every
 *   feed holds the same items.  Other fields (summary, title, workplace,
 *   ...) only show where the page's item or cards show.
 *   Anything else (a new or deleted page, a layout, site.yaml, a tag or
 *   a date changed) returns -1 and serve runs a full build.
 *
 *   A changed file under assets/ (a style sheet, a script) is copied in
 *   place, unless it is an image (pages hold its size), a file a page names
 *   in its front matter (its size shows) or gone: then a full build.
 *
 * The patch: the page takes the new body, front matter and Markdown
 * result; its shared layout value (page->item) is updated in place, so
 * every list value holding it sees the change; the small "cards" other
 * pages hold of it (related pages, a project's cases) are updated too,
 * and after a new title the links other pages hold to it (newer, older,
 * project), its breadcrumbs and the lists' extra values that copy titles
 * (a bottom line's effects).
 * Then only the jobs whose output shows the page are run again: its own
 * page; every list page whose slice holds it or a page holding one of its
 * cards; list pages whose extra values (a track's latest cases) hold it;
 * the home page; the search page; the feeds listing it; the search index
 * (the words of the changed documents only, see search_build_cached).
 * Files are written in place, and only when their bytes changed.
 *
 * The test of all this is that the served folder after any sequence of
 * updates is byte-identical to a fresh full build (tests/serve.sh).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "build.h"
#include "buf.h"
#include "fsutil.h"
#include "mime.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Front-matter fields that place a page in lists, feeds and relations,
 * or name files: a change to one of them needs a full build.  Every other
 * field (summary, workplace, period, status, ... and the title of a
 * section page, see same_title_order) only shows on the page and where its
 * item is shown. */
static const char *const placing_keys[] = {
    "date", "updated", "draft", "slug", "layout", "aliases", "project",
    "image", "audio", "downloads", "effects", NULL
};

static int places(const site *s, const page *p, const char *key)
{
    for (size_t i = 0; placing_keys[i]; i++)
        if (!strcmp(key, placing_keys[i]))
            return 1;
    if (!strcmp(key, "title"))
        return p->kind != PAGE_SECTION;    /* site.pages, track titles */
    for (size_t i = 0; i < s->cfg.ntaxonomies; i++) {
        const char *f = s->cfg.taxonomies[i].field;
        size_t n = strcspn(f, ".");
        if (strlen(key) == n && !strncmp(key, f, n))
            return 1;
    }
    return 0;
}

/* Do a and b (the same page before and after) agree on every placing
 * field? */
static int same_placing_fields(const site *s, const page *a, const page *b)
{
    const value *x = a->fm, *y = b->fm;
    for (size_t i = 0; i < x->as.map.len; i++)
        if (places(s, a, x->as.map.keys[i]) &&
            !value_equal(x->as.map.vals[i],
                         value_map_get(y, x->as.map.keys[i])))
            return 0;
    for (size_t i = 0; i < y->as.map.len; i++)
        if (places(s, a, y->as.map.keys[i]) &&
            !value_map_get(x, y->as.map.keys[i]))
            return 0;
    return 1;
}

/* Pages of the same date are ordered by title: a new title must keep the
 * page between the same neighbours. */
static int same_title_order(const site *s, const page *was, const page *now)
{
    if (!strcmp(was->title, now->title))
        return 1;
    for (size_t i = 0; i < s->npublished; i++) {
        const page *q = s->published[i];
        if (q == was || q->date.epoch != was->date.epoch)
            continue;
        int before = page_cmp_newest(&was, &q) < 0;
        int after = page_cmp_newest(&now, &q) < 0;
        if (before != after)
            return 0;
    }
    return 1;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Would the page sit in the same place in every list, feed and relation? */
static int same_place(const page *a, const page *b)
{
    return a->published == b->published && a->draft == b->draft &&
           a->kind == b->kind && a->section == b->section &&
           same_str(a->slug, b->slug) && same_str(a->url, b->url) &&
           same_str(a->out_path, b->out_path) &&
           same_str(a->term_key, b->term_key) &&
           same_str(a->bundle_dir, b->bundle_dir) &&
           a->date.epoch == b->date.epoch &&
           a->has_updated == b->has_updated &&
           (!a->has_updated || a->updated.epoch == b->updated.epoch);
}

/* Move what an edit can change from fresh into p; fresh gets the old. */
static void take_edit(page *p, page *fresh)
{
    value *fm = p->fm;
    p->fm = fresh->fm;
    fresh->fm = fm;
    p->title = fresh->title;
    char *body = p->body;
    size_t body_len = p->body_len;
    int body_line = p->body_line;
    p->body = fresh->body;
    p->body_len = fresh->body_len;
    p->body_line = fresh->body_line;
    fresh->body = body;
    fresh->body_len = body_len;
    fresh->body_line = body_line;
    md_result md = p->md, tmd = p->transcript_md;
    p->md = fresh->md;
    p->transcript_md = fresh->transcript_md;
    fresh->md = md;
    fresh->transcript_md = tmd;
}

/* Set p->item's values from a fresh page value; 1 if any differed.  The
 * keys relations.c added (related, newer, breadcrumbs, ...) stay. */
static int build_key(const char *key)
{
    for (size_t k = 0; build_item_keys[k]; k++)
        if (!strcmp(key, build_item_keys[k]))
            return 1;
    return 0;
}

static int refresh_item(const build_state *b, page *p)
{
    value *nv = render_page_value(&b->r, p, 0);
    int changed = 0;
    for (size_t i = 0; i < nv->as.map.len; i++) {
        const char *key = nv->as.map.keys[i];
        value *v = nv->as.map.vals[i];
        if (!build_key(key) && !value_equal(value_map_get(p->item, key), v)) {
            value_map_set(p->item, key, value_ref(v));
            changed = 1;
        }
    }
    /* A field taken out of the front matter. */
    for (size_t i = p->item->as.map.len; i-- > 0;) {
        const char *key = p->item->as.map.keys[i];
        if (!build_key(key) && !value_map_get(nv, key)) {
            value_map_remove(p->item, key);
            changed = 1;
        }
    }
    value_free(nv);
    return changed;
}

/* After p's title changed: the links to it other pages hold (newer,
 * older, a case's project) and its own breadcrumbs.  The pages holding
 * such links go into held. */
static void retitle_links(const build_state *b, page *p, page ***held,
                          size_t *n, size_t *cap)
{
    static const char *const keys[] = {"newer", "older", "project"};
    const site *s = b->s;
    for (size_t i = 0; i < s->npublished; i++) {
        page *q = s->published[i];
        for (size_t k = 0; k < 3 && q->item; k++) {
            value *link = value_map_get(q->item, keys[k]);
            if (!link || link->kind != VALUE_MAP ||
                !same_str(value_get_string(link, "url"), p->url))
                continue;
            value_map_set_string(link, "title", p->title);
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *held = xrealloc(*held, *cap * sizeof **held);
            }
            (*held)[(*n)++] = q;
        }
    }
    value_map_set(p->item, "breadcrumbs", relations_page_breadcrumbs(b, p));
}

typedef struct page_set {
    page **p;
    size_t n, cap;
} page_set;

static void set_add(page_set *s, page *p)
{
    if (p->mark)
        return;
    p->mark = 1;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->p = xrealloc(s->p, s->cap * sizeof *s->p);
    }
    s->p[s->n++] = p;
}

/* The cards of p that other pages hold (related pages, a project's
 * cases) take p's new values; the pages holding them go into held. */
static void refresh_cards(const site *s, const page *p, page_set *held)
{
    static const char *const lists[] = {"related", "project_cases"};
    for (size_t i = 0; i < s->npublished; i++) {
        page *q = s->published[i];
        for (size_t l = 0; l < 2 && q->item; l++) {
            const value *cards = value_map_get(q->item, lists[l]);
            for (size_t k = 0; cards && cards->kind == VALUE_LIST &&
                               k < cards->as.list.len; k++) {
                value *card = cards->as.list.items[k];
                if (!same_str(value_get_string(card, "url"), p->url))
                    continue;
                int changed = 0;
                for (size_t c = 0; c < card->as.map.len; c++) {
                    value *v = value_map_get(p->item, card->as.map.keys[c]);
                    if (v && !value_equal(card->as.map.vals[c], v)) {
                        value_map_set(card, card->as.map.keys[c],
                                      value_ref(v));
                        changed = 1;
                    }
                }
                if (changed)
                    set_add(held, q);
            }
        }
    }
}

/* Does the tree v hold the item of a marked page? */
static int holds_marked(const value *v, const page_set *set)
{
    if (!v)
        return 0;
    if (v->kind == VALUE_MAP) {
        for (size_t i = 0; i < set->n; i++)
            if (set->p[i]->item == v)
                return 1;
        for (size_t i = 0; i < v->as.map.len; i++)
            if (holds_marked(v->as.map.vals[i], set))
                return 1;
    } else if (v->kind == VALUE_LIST) {
        for (size_t i = 0; i < v->as.list.len; i++)
            if (holds_marked(v->as.list.items[i], set))
                return 1;
    }
    return 0;
}

static int list_page_shows(const build_state *b, const job *j,
                           const page_set *shown, const page_set *edited,
                           signed char *extra_holds,
                           const unsigned char *extra_new)
{
    const listing *l = j->l;
    signed char *held = &extra_holds[l - b->lists];
    if (extra_new[l - b->lists])
        return 1;
    if (l->intro && l->intro->mark)
        return 1;
    for (size_t i = 0; i < edited->n; i++)
        if (l->intro == edited->p[i])
            return 1;
    if (!shown->n)
        return 0;
    if (l->is_home)
        return 1;       /* latest per track, guides: cheap to redo */
    if (*held < 0)      /* once per list, not once per page of it */
        *held = (signed char)holds_marked(l->extra, shown);
    if (*held)
        return 1;
    size_t per = l->paginate ? (size_t)b->s->cfg.per_page : l->n;
    size_t from = (j->page_no - 1) * per, to = from + per;
    for (size_t i = from; i < to && i < l->n; i++)
        if (l->items[i]->mark)
            return 1;
    return 0;
}

static int feed_lists(const feed_spec *f, const page_set *edited)
{
    for (size_t i = 0; i < f->n; i++)
        for (size_t k = 0; k < edited->n; k++)
            if (f->items[i] == edited->p[k])
                return 1;
    return 0;
}

/* Does a change of path (under content/, not a .md file) matter?  Files
 * the scan skips do not (an editor's temporary file, say); a page folder's
 * files and folders that hold pages do. */
static int other_file_matters(const site *s, const char *path)
{
    size_t len = strlen(path);
    buf full = BUF_INIT;
    buf_init(&full);
    fs_join(&full, s->opt->site_dir, path);
    int dir = fs_is_dir(full.data);
    buf_free(&full);
    if (dir)
        return 1;
    for (size_t i = 0; i < s->npages; i++) {
        const page *p = s->pages[i];
        if (!strncmp(p->src_path, path, len) && p->src_path[len] == '/')
            return 1;   /* a folder that held pages */
        size_t bl = p->bundle_dir ? strlen(p->bundle_dir) : 0;
        if (bl && !strncmp(path, p->bundle_dir, bl) && path[bl] == '/') {
            /* In a page folder: it matters if it is there now, or was
             * published by the last build (not an editor's temporary file
             * that came and went). */
            buf f = BUF_INIT;
            buf_init(&f);
            fs_join(&f, s->opt->site_dir, path);
            int there = fs_is_file(f.data);
            if (!there) {
                const char *slash = strrchr(p->out_path, '/');
                buf_clear(&f);
                buf_printf(&f, "%s/%.*s%s", s->opt->out_dir,
                           (int)(slash - p->out_path), p->out_path,
                           path + bl);
                there = fs_is_file(f.data);
            }
            buf_free(&f);
            return there;
        }
    }
    return 0;
}

static int media_is(const media *m, const char *file)
{
    return m->file && !strcmp(m->file, file);
}

/* Can a changed file under assets/ simply be copied in place?  Not when
 * it is gone, or an image (pages hold their sizes), or a file a page
 * names in its front matter (its size is in feeds and on the page). */
static int asset_copy_enough(const site *s, const char *path)
{
    buf full = BUF_INIT;
    buf_init(&full);
    fs_join(&full, s->opt->site_dir, path);
    const char *type = mime_type(path);
    struct stat st;     /* (the build skips symbolic links) */
    int ok = lstat(full.data, &st) == 0 && S_ISREG(st.st_mode) &&
             strncmp(type, "image/", 6);
    for (size_t i = 0; ok && i < s->npublished; i++) {
        const page *p = s->published[i];
        ok = !media_is(&p->image, full.data) &&
             !media_is(&p->audio, full.data) &&
             !same_str(p->transcript_path, path);
        for (size_t k = 0; ok && k < p->ndownloads; k++)
            ok = !media_is(&p->downloads[k], full.data);
    }
    buf_free(&full);
    return ok;
}

/* Reread the changed files: 0 with the fresh pages in fresh[], 1 after
 * errors, -1 when a full build is needed. */
static int reread(build_session *ss, char *const *paths, size_t n,
                  page **old, page **fresh, unsigned char *copy, diag *d)
{
    site *s = &ss->s;
    size_t before = d->errors;
    for (size_t i = 0; i < n; i++) {
        const char *path = paths[i];
        size_t len = strlen(path);
        if (!strncmp(path, "assets/", 7)) {
            if (!asset_copy_enough(s, path))
                return -1;
            copy[i] = 1;
            continue;
        }
        if (strncmp(path, "content/", 8))
            return -1;      /* site.yaml, layouts, ... */
        if (len < 3 || strcmp(path + len - 3, ".md")) {
            if (other_file_matters(s, path))
                return -1;
            continue;
        }
        old[i] = site_find_source(s, path);
        buf full = BUF_INIT;
        buf_init(&full);
        fs_join(&full, s->opt->site_dir, path);
        int exists = fs_is_file(full.data);
        buf_free(&full);
        if (!old[i] || !exists)
            return -1;      /* a page added or removed */
        for (size_t k = 0; k < i; k++)
            if (old[k] && old[k] == old[i])
                return -1;  /* (serve never sends a path twice) */
        fresh[i] = content_reread_page(s, old[i], d);
        if (fresh[i] && (!same_place(old[i], fresh[i]) ||
                         !same_placing_fields(s, old[i], fresh[i]) ||
                         !same_title_order(s, old[i], fresh[i])))
            return -1;
    }
    if (d->errors > before)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (fresh[i] && fresh[i]->published)
            content_render_page_markdown(s, fresh[i], d);
    return d->errors > before ? 1 : 0;
}

int build_update(build_session *ss, char *const *paths, size_t n, diag *d,
                 build_result *res)
{
    double t0 = now_ms();
    memset(res, 0, sizeof *res);
    if (!ss->ready || n == 0)
        return -1;
    site *s = &ss->s;
    build_state *b = ss->b;
    page **old = xcalloc(n, sizeof *old);
    page **fresh = xcalloc(n, sizeof *fresh);
    unsigned char *copy = xcalloc(n, 1);    /* assets to copy in place */
    int status = reread(ss, paths, n, old, fresh, copy, d);
    if (status != 0) {
        for (size_t i = 0; i < n; i++)
            page_free(fresh[i]);
        free(old);
        free(fresh);
        free(copy);
        return status;
    }
    double t_read = now_ms();

    /* Patch the model. */
    if (!ss->old_fm)
        ss->old_fm = value_new_list();
    page_set edited = {0}, shown = {0};
    page **held = NULL;         /* pages holding links to retitled ones */
    size_t nheld = 0, capheld = 0;
    page **retitled = xcalloc(n, sizeof *retitled);
    size_t nretitled = 0;
    for (size_t i = 0; i < n; i++) {
        page *p = old[i];
        if (!p)
            continue;   /* a file that does not matter */
        const char *was = p->title;     /* in the old front matter, kept */
        take_edit(p, fresh[i]);
        value_list_push(ss->old_fm, fresh[i]->fm);
        fresh[i]->fm = NULL;
        page_free(fresh[i]);
        if (p->published)
            set_add(&edited, p);
        if (p->published && strcmp(was, p->title))
            retitled[nretitled++] = p;
    }
    for (size_t i = 0; i < edited.n; i++)
        edited.p[i]->mark = 0;
    /* New titles: links to the pages, and lists whose extra values copy
     * titles (a bottom line's effects).  (Before any marks are set: the
     * extras use them.) */
    unsigned char *extra_new = xcalloc(b->nlists ? b->nlists : 1, 1);
    for (size_t i = 0; i < nretitled; i++)
        retitle_links(b, retitled[i], &held, &nheld, &capheld);
    for (size_t l = 0; nretitled && l < b->nlists; l++) {
        listing *li = &b->lists[l];
        int has = 0;
        for (size_t k = 0; li->extra && k < li->n && !has; k++)
            for (size_t r = 0; r < nretitled; r++)
                has |= li->items[k] == retitled[r];
        if (!has)
            continue;
        value *nx = lists_extra(b, li);
        if (nx && !value_equal(nx, li->extra)) {
            value_free(li->extra);
            li->extra = nx;
            extra_new[l] = 1;
        } else {
            value_free(nx);
        }
    }
    for (size_t i = 0; i < edited.n; i++) {
        page *p = edited.p[i];
        if (refresh_item(b, p)) {
            set_add(&shown, p);
            refresh_cards(s, p, &shown);
        }
    }
    for (size_t i = 0; i < nheld; i++)
        set_add(&shown, held[i]);
    free(held);
    free(retitled);

    /* The jobs to run again. */
    const listing *home = b->nlists ? &b->lists[0] : NULL;
    unsigned char *in_search = xcalloc(home && home->n ? home->n : 1, 1);
    int search_changed = 0, search_shown = 0;
    for (size_t k = 0; home && k < home->n; k++)
        for (size_t i = 0; i < edited.n; i++)
            if (home->items[k] == edited.p[i])
                in_search[k] = 1, search_changed = 1;
    for (size_t k = 0; home && k < home->n; k++)
        search_shown |= home->items[k]->mark;
    signed char *extra_holds = xmalloc(b->nlists ? b->nlists : 1);
    memset(extra_holds, -1, b->nlists ? b->nlists : 1);
    size_t *which = xmalloc((b->njobs ? b->njobs : 1) * sizeof *which);
    size_t nwhich = 0;
    for (size_t i = 0; i < b->njobs; i++) {
        const job *j = &b->jobs[i];
        int run = 0;
        switch (j->kind) {
        case JOB_PAGE:
            run = j->p->mark ||
                  (search_shown && b->search_list &&
                   !strcmp(render_layout_name(j->p), "search"));
            for (size_t k = 0; k < edited.n && !run; k++)
                run = j->p == edited.p[k];
            break;
        case JOB_LIST:
            run = list_page_shows(b, j, &shown, &edited, extra_holds,
                                  extra_new);
            break;
        case JOB_FEED:
            run = feed_lists(j->f, &edited);
            break;
        case JOB_SEARCH:
            run = search_changed;
            break;
        case JOB_BYTES:
            break;
        }
        if (run)
            which[nwhich++] = i;
    }
    for (size_t i = 0; i < shown.n; i++)
        shown.p[i]->mark = 0;

    /* Run them, writing in place. */
    value *search_files = NULL;
    if (search_changed) {
        search_files = value_new_map();
        b->search_files = search_files;
        b->search_prev = ss->search_files;
        b->search_changed = in_search;
    }
    b->progress = 0;
    output_begin_in_place(&b->out, ss->opt.out_dir);
    build_run_jobs(b, which, nwhich, d);
    for (size_t i = 0; i < n; i++)
        if (copy[i]) {
            buf full = BUF_INIT;
            buf_init(&full);
            fs_join(&full, s->opt->site_dir, paths[i]);
            output_copy(&b->out, full.data, paths[i], d);
            buf_free(&full);
        }
    if (search_files && !d->errors) {
        /* Index files the new index no longer has. */
        for (size_t i = 0; ss->search_files &&
                           i < ss->search_files->as.map.len; i++)
            if (!value_map_get(search_files, ss->search_files->as.map.keys[i]))
                output_remove(&b->out, ss->search_files->as.map.keys[i]);
        value_free(ss->search_files);
        ss->search_files = search_files;
    } else {
        value_free(search_files);
    }
    b->search_files = NULL;
    b->search_prev = NULL;
    b->search_changed = NULL;
    res->files = b->out.files;
    res->unchanged = b->out.unchanged;
    for (size_t i = 0; i < nwhich; i++)
        res->pages += b->jobs[which[i]].kind == JOB_PAGE ||
                      b->jobs[which[i]].kind == JOB_LIST;
    output_end_in_place(&b->out);
    double t_end = now_ms();
    res->ms_load = t_read - t0;
    res->ms_render = t_end - t_read;
    res->ms_total = t_end - t0;
    free(which);
    free(extra_holds);
    free(extra_new);
    free(in_search);
    free(edited.p);
    free(shown.p);
    free(old);
    free(fresh);
    free(copy);
    if (d->errors) {
        /* A page failed to render or a file to be written: some files may
         * be new, others old, so the next change rebuilds everything. */
        ss->ready = 0;
        return 1;
    }
    return 0;
}
